'use strict';

// The README's runnable code blocks, as pasted (issue 17). A block is runnable when the line
// before its opening fence is `<!-- runnable: KIND -->`; KIND says how to run it:
//   cjs   → quickstart.js,  node        esm → quickstart.mjs, node
//   ts    → quickstart.ts,  tsc (the package's pinned typescript) then node
//   cargo-toml + rust → a cargo project (Cargo.toml's [dependencies] and src/main.rs), built
//         --offline with the workspace's Cargo.lock and target dir, then run
// Each runs in a fresh folder whose node_modules/messagemedia-conversations-sdk is the repo's
// npm/ folder, against a sandbox with demo data, with MESSAGEMEDIA_API_KEY, _SECRET and
// _BASE_URL set as the README tells users to; it must exit 0.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startSandbox } = require('../../npm/test-support/sandbox');

const ROOT = path.join(__dirname, '..', '..');
const NPM = path.join(ROOT, 'npm');

/** `{ kind, code }` for every runnable block of `markdown`, in order. */
function runnableBlocks(markdown) {
  const blocks = [];
  const re = /^<!-- runnable: ([a-z-]+) -->\n```[a-z]*\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) blocks.push({ kind: m[1], code: m[2] });
  return blocks;
}

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = runnableBlocks(README);

test('the README marks its quickstarts runnable', () => {
  assert.deepEqual(BLOCKS.map((b) => b.kind).sort(), ['browser', 'cargo-toml', 'cjs', 'esm', 'rust', 'ts']);
});

let sandbox;
test.before(async () => {
  sandbox = await startSandbox({ seedDemo: true });
});
test.after(() => sandbox?.stop());

function env() {
  return {
    ...process.env,
    MESSAGEMEDIA_API_KEY: sandbox.key,
    MESSAGEMEDIA_API_SECRET: sandbox.secret,
    MESSAGEMEDIA_BASE_URL: sandbox.url,
  };
}

/** A fresh folder with the package installed as node_modules/messagemedia-conversations-sdk. */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(NPM, path.join(dir, 'node_modules', 'messagemedia-conversations-sdk'), 'dir');
  fs.symlinkSync(path.join(NPM, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'dir');
  return dir;
}

function run(file, args, cwd) {
  return execFileSync(file, args, { cwd, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

const block = (kind) => BLOCKS.find((b) => b.kind === kind).code;

test('the Node CommonJS quickstart runs as pasted', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'quickstart.js'), block('cjs'));
  const out = run(process.execPath, ['quickstart.js'], dir);
  assert.match(out, /messages\n/);
  assert.match(out, /404 /);
});

test('the Node ESM quickstart runs as pasted', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'quickstart.mjs'), block('esm'));
  const out = run(process.execPath, ['quickstart.mjs'], dir);
  assert.match(out, /app user\(s\) on http:\/\/127\.0\.0\.1:\d+ via the (native|wasm) engine/);
});

test('the TypeScript quickstart type-checks and runs as pasted', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'quickstart.ts'), block('ts'));
  const tsc = path.join(NPM, 'node_modules', 'typescript', 'bin', 'tsc');
  // The command of the block's first line, with the package's pinned tsc for npx's.
  run(process.execPath, [tsc, '--module', 'nodenext', '--target', 'es2022', '--strict', 'quickstart.ts'], dir);
  const out = run(process.execPath, ['quickstart.js'], dir);
  assert.match(out, /facebook Hi /);
});

test('the Rust quickstart builds and runs as pasted', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-rust-'));
  // The README's path dependency names the repo's core relative to a project beside it; here it
  // is the absolute path of this checkout's core.
  const deps = block('cargo-toml').replace(/path = "[^"]*core"/, `path = ${JSON.stringify(path.join(ROOT, 'core'))}`);
  assert.notEqual(deps, block('cargo-toml'), 'the README names core by path');
  fs.writeFileSync(path.join(dir, 'Cargo.toml'), `[package]\nname = "readme-quickstart"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n${deps}`);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'main.rs'), block('rust'));
  // The workspace's lockfile and target dir: no download, and the dependencies already built.
  fs.copyFileSync(path.join(ROOT, 'Cargo.lock'), path.join(dir, 'Cargo.lock'));
  const cargo = process.env.CARGO || 'cargo';
  run(cargo, ['build', '--offline', '--quiet', '--target-dir', path.join(ROOT, 'target')], dir);
  const out = run(path.join(ROOT, 'target', 'debug', 'readme-quickstart'), [], dir);
  assert.match(out, /Some\(/);
});
