// Renames, in wasm-bindgen's glue (conversations.js), the wasm imports, exports and import module
// that `wasm-opt --minify-imports-and-exports-and-modules` shortened (run by build.sh):
//   node bindings-wasm/minify-glue.mjs DIR NAMES.json
// DIR holds conversations.js and the minified conversations_bg.wasm; NAMES.json is wasm-opt's
// mapping (its stdout). The long hashed names (`__wbg_setTimeout_158a5e013bb07ccc`, about a
// hundred of them) were 2 KB of the gzipped module. Fails loudly on anything it does not find
// exactly where wasm-bindgen writes it, so a glue format change breaks the build, not the engine.
import fs from 'node:fs';
import path from 'node:path';

const [dir, namesFile] = process.argv.slice(2);
const fail = (message) => {
  console.error(`bindings-wasm/minify-glue.mjs: ${message}`);
  process.exit(1);
};
const names = JSON.parse(fs.readFileSync(namesFile, 'utf8'));
const gluePath = path.join(dir, 'conversations.js');
let glue = fs.readFileSync(gluePath, 'utf8');

/** The import module names of a .wasm (its import section). */
function importModules(wasm) {
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let b;
    do {
      b = wasm[p++];
      r |= (b & 0x7f) << s;
      s += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  const name = () => {
    const n = leb();
    p += n;
    return wasm.subarray(p - n, p).toString();
  };
  while (p < wasm.length) {
    const id = wasm[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {
      const modules = new Set();
      const count = leb();
      for (let i = 0; i < count; i++) {
        modules.add(name());
        name();
        const kind = wasm[p++];
        if (kind === 0) leb(); // function: type index
        else if (kind === 1) { p++; const flags = leb(); leb(); if (flags & 1) leb(); } // table
        else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); } // memory
        else if (kind === 3) p += 2; // global
        else fail(`unknown import kind ${kind}`);
      }
      return modules;
    }
    p = end;
  }
  return new Set();
}

const escape = (s) => s.replace(/[$]/g, '\\$&');
const key = (short) => JSON.stringify(short);
const member = (short) => (/^[A-Za-z_$][\w$]*$/.test(short) ? `.${short}` : `[${key(short)}]`);

const modules = new Set(names.imports.map(([module]) => module));
const minified = importModules(fs.readFileSync(path.join(dir, 'conversations_bg.wasm')));
if (modules.size !== 1 || minified.size !== 1) fail(`expected one import module, found ${[...modules]} → ${[...minified]}`);
const [from] = modules;
const [to] = minified;
const moduleKey = `        ${JSON.stringify(from)}: import0,`;
if (glue.split(moduleKey).length !== 2) fail(`the glue does not name the import module ${from} once`);
glue = glue.replace(moduleKey, `        ${key(to)}: import0,`);

for (const [, long, short] of names.imports) {
  const re = new RegExp(`^(\\s+)${escape(long)}: function\\(`, 'gm');
  const hits = glue.match(re)?.length ?? 0;
  if (hits !== 1) fail(`import ${long} is defined ${hits} times in the glue`);
  glue = glue.replace(re, `$1${key(short)}: function(`);
}
for (const [long, short] of names.exports) {
  const re = new RegExp(`\\bwasm\\.${escape(long)}\\b`, 'g');
  // Exports the glue never uses (wasm-bindgen's own hooks) are left alone.
  glue = glue.replace(re, `wasm${member(short)}`);
}
for (const long of [...names.imports.map(([, l]) => l), ...names.exports.map(([l]) => l)]) {
  if (new RegExp(`wasm\\.${escape(long)}\\b|^\\s+${escape(long)}:`, 'm').test(glue)) fail(`${long} is still used by its old name`);
}
fs.writeFileSync(gluePath, glue);
