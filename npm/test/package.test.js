'use strict';

// Packaging: `npm pack`, install the tarball into a fresh project with no Rust toolchain on PATH,
// then `require` and `import` it and make one call against a local server.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startApi } = require('../test-support/api');

const pkgDir = path.join(__dirname, '..');
const hasAddon = fs.readdirSync(pkgDir).some((f) => f.endsWith('.node'));

const { run } = require('../test-support/run');

test('npm pack → install without cargo on PATH → require and import work', { timeout: 90_000 }, async (t) => {
  assert.ok(hasAddon, 'no *.node in npm/: build the addon first (make addon)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-pack-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // No Rust toolchain: the package must work from what it ships.
  const PATH = process.env.PATH.split(path.delimiter).filter((p) => !/cargo|rustup/.test(p)).join(path.delimiter);
  const env = { ...process.env, PATH, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  delete env.CARGO_HOME;
  delete env.RUSTUP_HOME;
  const where = await run('sh', ['-c', 'command -v cargo || echo none'], { env });
  assert.match(where.out, /none/, 'cargo still on PATH');

  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: pkgDir, env });
  assert.equal(packed.code, 0, packed.out);
  const info = JSON.parse(packed.out.slice(packed.out.indexOf('[')));
  const files = info[0].files.map((f) => f.path).sort();
  for (const f of ['index.js', 'index.mjs', 'index.d.ts', 'index.d.mts', 'package.json', 'lib/client.js', 'lib/engine.js',
    'lib/index.js', 'lib/configuration.js', 'lib/APIHelper.js', 'lib/Controllers/AppUsersController.js', 'lib/Models/BaseMessageDto.js',
    'lib/Exceptions/APIException.js', 'lib/Http/Client/RequestClient.js']) {
    assert.ok(files.includes(f), `tarball lacks ${f}`);
  }
  assert.ok(files.some((f) => f.endsWith('.node')), 'tarball lacks the addon');
  assert.ok(!files.some((f) => /^(test|test-support|node_modules)\//.test(f)), `tarball has test files: ${files}`);

  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const installed = await run('npm', ['install', '--offline', '--ignore-scripts', path.join(tmp, info[0].filename)], { cwd: app, env });
  assert.equal(installed.code, 0, installed.out);

  const api = await startApi();
  t.after(() => api.close());
  const cjs = await run(process.execPath, ['-e', `
    const { ConversationsClient, AppUsersController, Configuration } = require('messagemedia-conversations-sdk');
    if (!require.resolve('messagemedia-conversations-sdk').includes('node_modules')) throw new Error('not the installed copy');
    new ConversationsClient({ username: 'k', password: 'p', baseUrl: process.env.API_URL }).listAppUsers()
      .then((r) => console.log('cjs', r.data.length));
  `], { cwd: app, env: { ...env, API_URL: api.url } });
  assert.equal(cjs.code, 0, cjs.out);
  assert.match(cjs.out, /cjs 2/);

  // The original SDK's deep paths, as its examples require them, from the installed copy.
  const deep = await run(process.execPath, ['-e', `
    const root = require('messagemedia-conversations-sdk');
    const same = [
      [require('messagemedia-conversations-sdk/lib'), root],
      [require('messagemedia-conversations-sdk/lib/index.js'), root],
      [require('messagemedia-conversations-sdk/lib/configuration'), root.Configuration],
      [require('messagemedia-conversations-sdk/lib/Controllers/AppUsersController'), root.AppUsersController],
      [require('messagemedia-conversations-sdk/lib/Models/BaseMessageDto.js'), root.BaseMessageDto],
      [require('messagemedia-conversations-sdk/lib/Exceptions/APIException'), root.APIException],
    ];
    if (same.some(([a, b]) => a !== b)) throw new Error('a deep path is another object');
    console.log('deep', typeof require('messagemedia-conversations-sdk/lib/APIHelper').cleanObject);
  `], { cwd: app, env });
  assert.equal(deep.code, 0, deep.out);
  assert.match(deep.out, /deep function/);

  const esm = await run(process.execPath, ['--input-type=module', '-e', `
    import { ConversationsClient } from 'messagemedia-conversations-sdk';
    const r = await new ConversationsClient({ username: 'k', password: 'p', baseUrl: process.env.API_URL }).getAppUser('u1').catch((e) => e.name);
    console.log('esm', r);
  `], { cwd: app, env: { ...env, API_URL: api.url } });
  assert.equal(esm.code, 0, esm.out);
  assert.match(esm.out, /esm NotFoundError/);
});

// The package says "type": "commonjs", so every tool (Node, webpack, Vite...) reads each .js file
// it ships as CommonJS: an ES module among them (wasm-bindgen's glue once was wasm/conversations.js,
// which webpack then parsed as CommonJS) must be a .mjs file.
test('every .js file the package ships is CommonJS, as its "type" says', () => {
  const vm = require('node:vm');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'commonjs');
  assert.ok(fs.existsSync(path.join(pkgDir, 'wasm')), 'no npm/wasm/: build the wasm engine first (make wasm)');
  const shipped = [];
  const walk = (rel) => {
    const abs = path.join(pkgDir, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const entry of fs.readdirSync(abs)) walk(path.join(rel, entry));
    } else if (rel.endsWith('.js')) {
      shipped.push(rel);
    }
  };
  for (const entry of pkg.files) walk(entry);
  assert.ok(shipped.includes('index.js') && shipped.includes(path.join('lib', 'client.js')), String(shipped));
  for (const rel of shipped) {
    // As Node's CommonJS loader compiles a file: a function body (a leading #! line removed).
    const source = fs.readFileSync(path.join(pkgDir, rel), 'utf8').replace(/^#!.*/, '');
    assert.doesNotThrow(() => vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: rel }),
      `${rel} is not CommonJS: ship it as .mjs`);
  }
  // The ES modules are .mjs, the wasm engine's glue included.
  assert.ok(fs.existsSync(path.join(pkgDir, 'wasm', 'conversations.mjs')));
});
