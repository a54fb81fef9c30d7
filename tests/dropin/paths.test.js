'use strict';

// The original SDK's file paths, side by side: every file of its lib/ (the copy installed by
// `make dropin-deps`) can be required from this package by the same path, with and without
// `.js`, and exports the same kind of value with at least the original's static and instance
// methods. The root-level objects are the very ones the package's root exports.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { spawnSync } = require('node:child_process');
const { ORIGINAL_LIB, OURS } = require('./run');

// Resolves by package name from inside the package (its `exports` apply, as for an installed copy).
const ours = createRequire(path.join(OURS, 'package.json'));
const root = ours('messagemedia-conversations-sdk');

function filesUnder(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory()
    ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : entry.name.endsWith('.js') ? [`${prefix}${entry.name.slice(0, -3)}`] : []));
}

/** What a module exports, as comparable facts: its kind and its methods. */
function shapeOf(value) {
  // Own and inherited methods (a class's statics are inherited from its base class).
  const methods = (obj) => {
    const names = new Set();
    for (let o = obj; o !== null && o !== undefined && o !== Function.prototype && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const n of Object.getOwnPropertyNames(o)) {
        if (n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(o, n).value === 'function') names.add(n);
      }
    }
    return [...names].sort();
  };
  return {
    type: typeof value,
    statics: typeof value === 'function' ? methods(value) : [],
    instance: typeof value === 'function' ? methods(value.prototype) : [],
    keys: typeof value === 'object' && value !== null ? Object.keys(value).sort() : [],
  };
}

const haveOriginal = fs.existsSync(ORIGINAL_LIB);

test('every file of the original\'s lib/ resolves here, with and without .js, with the original\'s methods', {
  skip: !haveOriginal && process.env.CI !== 'true' ? 'the original is not installed: make dropin-deps' : false,
}, () => {
  const files = filesUnder(ORIGINAL_LIB);
  assert.ok(files.length >= 30, `the original's lib/ has ${files.length} files`);
  // The original configures winston (console output, logfile.log) when loaded: a child in a scratch dir.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dropin-paths-'));
  let originals;
  try {
    const script = `
      const shapeOf = ${shapeOf.toString()};
      const out = {};
      for (const f of ${JSON.stringify(files)}) out[f] = shapeOf(require(${JSON.stringify(ORIGINAL_LIB)} + '/' + f));
      require('fs').writeFileSync('shapes.json', JSON.stringify(out));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(run.status, 0, run.stderr);
    originals = JSON.parse(fs.readFileSync(path.join(scratch, 'shapes.json'), 'utf8'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  for (const file of files) {
    const bare = ours(`messagemedia-conversations-sdk/lib/${file}`);
    assert.equal(ours(`messagemedia-conversations-sdk/lib/${file}.js`), bare, `lib/${file}.js`);
    const mine = shapeOf(bare);
    const original = originals[file];
    assert.equal(mine.type, original.type, `lib/${file}: typeof`);
    for (const part of ['statics', 'instance']) {
      const missing = original[part].filter((n) => !mine[part].includes(n));
      assert.deepEqual(missing, [], `lib/${file}: ${part} of the original missing here`);
    }
    // Properties by presence: basicAuthPassword is there but kept out of enumeration (README).
    assert.deepEqual(original.keys.filter((n) => !(n in bare)), [], `lib/${file}: properties of the original missing here`);
    const name = file.split('/').at(-1);
    if (/^(Models|Controllers|Exceptions)\//.test(file) && name in root) assert.equal(bare, root[name], `lib/${file} is the root export's ${name}`);
  }
  assert.equal(ours('messagemedia-conversations-sdk/lib'), root);
  assert.equal(ours('messagemedia-conversations-sdk/lib/index'), root);
  assert.equal(ours('messagemedia-conversations-sdk/lib/configuration'), root.Configuration);
  assert.equal(ours('messagemedia-conversations-sdk/lib/LogConfig'), root.Logger);
});
