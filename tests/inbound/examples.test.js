'use strict';

// The inbound examples run as users would run them (copied into a project whose node_modules
// holds the package): the Express receiver, the Next.js-style route handler with real Requests,
// the Node quickstart; and the Dockerfile's entrypoint arguments are ones the sandbox accepts.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');

const ROOT = path.join(__dirname, '..', '..');
const { startSandbox, sandboxBinary } = require(path.join(ROOT, 'npm', 'testing.js'));

const { run } = require('../../npm/test-support/run');

/** A project directory whose node_modules has the package (npm/) and express. */
function project(t, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-examples-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'npm'), path.join(dir, 'node_modules', 'messagemedia-conversations-sdk'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'npm', 'node_modules', 'express'), path.join(dir, 'node_modules', 'express'), 'dir');
  for (const [to, from] of Object.entries(files)) fs.copyFileSync(path.join(ROOT, from), path.join(dir, to));
  return dir;
}

test('examples/express/receiver.js --sandbox receives the simulated message', { timeout: 60_000 }, async (t) => {
  const dir = project(t, { 'receiver.js': 'examples/express/receiver.js' });
  const r = await run(process.execPath, ['receiver.js', '--sandbox'], { cwd: dir, env: { ...process.env, PORT: '0' } });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Ben Sims \([0-9a-f-]{36}\): Hi! Is this thing on\?/);
  assert.match(r.out, /delivered=true \(HTTP 200\)/);
});

test('examples/nextjs route handler answers the sandbox\'s event as a Request', { timeout: 30_000 }, async (t) => {
  const dir = project(t, { 'route.mjs': 'examples/nextjs/app/api/conversations/route.mjs' });
  const route = await import(pathToFileURL(path.join(dir, 'route.mjs')).href);
  const sandbox = await startSandbox({ seedDemo: true });
  t.after(() => sandbox.close());
  const { event } = await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'From a route handler' });
  const logged = [];
  const log = console.log;
  console.log = (...a) => logged.push(a.join(' '));
  let first;
  let again;
  try {
    const req = () => new Request('https://example.test/api/conversations', { method: 'POST', body: JSON.stringify(event), headers: { 'content-type': 'application/json' } });
    first = await route.POST(req());
    again = await route.POST(req());
  } finally {
    console.log = log;
  }
  assert.equal(first.status, 200);
  assert.deepEqual(await again.json(), { received: true, duplicate: true });
  assert.deepEqual(logged, ['Ada wrote: From a route handler']);
  const bad = await route.POST(new Request('https://example.test/api/conversations', { method: 'POST', body: '{"not":"an event"}' }));
  assert.equal(bad.status, 400);
});

test('examples/node/quickstart.js receives its callback through createCallbackHandler', { timeout: 60_000 }, async (t) => {
  const dir = project(t, { 'quickstart.js': 'examples/node/quickstart.js' });
  const sandbox = await startSandbox();
  t.after(() => sandbox.close());
  const r = await run(process.execPath, ['quickstart.js', sandbox.url], { cwd: dir });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /callback received by our receiver: message\.received from Ben Sims: "Hi! How much is shipping to Australia\?"/);
  assert.match(r.out, /delivered=true after 1 attempt/);
  assert.match(r.out, /\nDone\./);
});

test('the Dockerfile\'s entrypoint arguments start the sandbox', { timeout: 30_000 }, async (t) => {
  const docker = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const entry = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(docker)[1]);
  assert.equal(entry[0], 'conversations-sandbox');
  const args = entry.slice(1);
  // The same flags; tests bind to loopback only, so 0.0.0.0 and 8080 (the container's own
  // address and port) become 127.0.0.1 and a free port.
  assert.equal(args[args.indexOf('--host') + 1], '0.0.0.0');
  args[args.indexOf('--host') + 1] = '127.0.0.1';
  args[args.indexOf('--port') + 1] = '0';
  const child = spawn(sandboxBinary(), [...args, '--seed-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGTERM'));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const res = await fetch(`${url}/beta/conversations/users`, { headers: { authorization: `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}` } });
  assert.equal(res.status, 200);
  // The build stage's profile exists in the workspace.
  assert.match(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'), /\[profile\.sandbox-dist\]/);
  assert.match(docker, /--profile sandbox-dist/);
});
