'use strict';

// Issue 16's "done when", from the tarball `make package` writes (dist/), installed into a fresh
// directory with no Rust toolchain on PATH: startSandbox() runs from the shipped binary, a
// receiver built with createCallbackHandler gets a typed event for simulateInbound,
// handleCallbackRequest answers a Request, watchInbound yields the same message, and
// `npx conversations-sandbox` starts the sandbox.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const dist = path.join(ROOT, 'dist');

const { run } = require('../../npm/test-support/run');

// What the fresh project runs (CommonJS), with the installed package only.
const SCRIPT = `
const assert = require('node:assert/strict');
const http = require('node:http');
const { createCallbackHandler, handleCallbackRequest } = require('messagemedia-conversations-sdk');
const { startSandbox, sandboxBinary } = require('messagemedia-conversations-sdk/testing');

(async () => {
  assert.match(sandboxBinary(), /node_modules.*bin.conversations-sandbox-linux-x64$/);
  let resolveEvent;
  const received = new Promise((r) => { resolveEvent = r; });
  const receiver = http.createServer(createCallbackHandler((event) => resolveEvent(event)));
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const sandbox = await startSandbox();
  try {
    const client = sandbox.client();
    await client.provisionAccount({ name: 'Fresh project', callbackUrl: 'http://127.0.0.1:' + receiver.address().port + '/cb' });
    await fetch((await client.getFacebookAuthorisationUrl()).authorisationUrl);
    await client.integrateFacebookPage((await client.listFacebookPages()).data[0].id);

    const watch = client.watchInbound({ intervalMs: 50, since: 0 });
    const sent = await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'Hello from a fresh project' });
    const event = await received;
    assert.equal(event.type, 'message.received');
    assert.equal(event.appUser.id, sent.appUserId);
    assert.equal(event.message.text, 'Hello from a fresh project');
    console.log('receiver got', event.type, 'from', event.appUser.givenName + ':', JSON.stringify(event.message.text));

    const [delivery] = await sandbox.deliveries();
    assert.deepEqual(delivery.event, sent.event);
    const response = await handleCallbackRequest(
      new Request('https://example.test/api/conversations', { method: 'POST', body: JSON.stringify(delivery.event) }),
      (e) => { assert.equal(e.message.text, 'Hello from a fresh project'); });
    assert.equal(response.status, 200);
    console.log('handleCallbackRequest answered', response.status);

    const { value } = await watch.next();
    await watch.return();
    assert.equal(value.message.text, 'Hello from a fresh project');
    assert.equal(value.message.timestamp, event.message.timestamp);
    assert.equal(value.appUser.id, event.appUser.id);
    console.log('watchInbound yielded', JSON.stringify(value.message.text));
  } finally {
    receiver.close();
    await sandbox.close();
  }
})().catch((err) => { console.error(err); process.exit(1); });
`;

test('from the packed tarball, without Rust: sandbox, callback receiver, fetch handler, watchInbound, npx', { timeout: 120_000 }, async (t) => {
  // The newest package tarball `make package` wrote.
  const tarballs = (fs.existsSync(dist) ? fs.readdirSync(dist) : [])
    .filter((f) => /^messagemedia-conversations-sdk-\d.*\.tgz$/.test(f))
    .sort((a, b) => fs.statSync(path.join(dist, b)).mtimeMs - fs.statSync(path.join(dist, a)).mtimeMs);
  assert.ok(tarballs.length > 0, 'no tarball in dist/: run make package');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-inbound-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const PATH = process.env.PATH.split(path.delimiter).filter((p) => !/cargo|rustup/.test(p)).join(path.delimiter);
  const env = { ...process.env, PATH, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  for (const k of ['CARGO_HOME', 'RUSTUP_HOME', 'CONVERSATIONS_SANDBOX_BIN', 'CONVERSATIONS_ENGINE']) delete env[k];
  assert.match((await run('sh', ['-c', 'command -v cargo || echo none'], { env })).out, /none/, 'cargo still on PATH');

  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'fresh', version: '1.0.0', private: true }));
  const installed = await run('npm', ['install', '--offline', '--ignore-scripts', path.join(dist, tarballs[0])], { cwd: tmp, env });
  assert.equal(installed.code, 0, installed.out);

  fs.writeFileSync(path.join(tmp, 'flow.js'), SCRIPT);
  const flow = await run(process.execPath, ['flow.js'], { cwd: tmp, env });
  assert.equal(flow.code, 0, flow.out);
  assert.match(flow.out, /receiver got message\.received from Ada: "Hello from a fresh project"/);
  assert.match(flow.out, /handleCallbackRequest answered 200/);
  assert.match(flow.out, /watchInbound yielded "Hello from a fresh project"/);

  const esm = await run(process.execPath, ['--input-type=module', '-e', `
    import { startSandbox } from 'messagemedia-conversations-sdk/testing';
    const sb = await startSandbox({ seedDemo: true });
    const users = await sb.client().listAppUsers();
    console.log('esm users', users.data.map((u) => u.givenName).join(','));
    await sb.close();
  `], { cwd: tmp, env });
  assert.equal(esm.code, 0, esm.out);
  assert.match(esm.out, /esm users Ben,Robert/);

  // npx conversations-sandbox: prints its listening line, serves, stops on SIGTERM.
  // In its own process group: npx does not always pass SIGTERM on to the bin script it runs, and a
  // sandbox left running would hold the pipes open and keep this test process alive.
  const child = spawn('npx', ['--no-install', 'conversations-sandbox', '--port', '0', '--seed-demo'], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
  t.after(() => killGroup('SIGKILL'));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => reject(new Error(`npx exited ${code}: ${out}`)));
  });
  const res = await fetch(`${url}/beta/conversations/users`, { headers: { authorization: `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}` } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).data.length, 2);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  killGroup('SIGTERM');
  assert.ok(await exited);
});
