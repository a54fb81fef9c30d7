'use strict';

// MessageMedia's own Postman collection (../shared/postman/, unchanged) run with newman against a
// fresh sandbox: every one of its 9 requests must answer 2xx. The vendor file is read as is;
// in memory its hard-coded base URL and app user ids become variables ({{baseUrl}},
// {{appUserId}}) and its empty Basic auth {{username}}/{{password}}, all given to newman as an
// environment. The run has three parts, as a user of a real account would do it: after "Get
// facebook auth url" the authorisation URL is opened (the sandbox plays Facebook), and after the
// page is integrated a Facebook user writes to it (so there is an app user to message).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const newman = require('newman');

const ROOT = path.resolve(__dirname, '..', '..');
const COLLECTION = path.join(ROOT, '..', 'shared', 'postman', 'Conversations.postman_collection.json');
const SANDBOX_BIN = process.env.SANDBOX_BIN || path.join(ROOT, 'target', 'debug', 'conversations-sandbox');
const OUT = path.join(ROOT, 'test-output', 'postman');
const KEY = 'sandbox-key';
const SECRET = 'sandbox-secret';
const VENDOR_BASE = 'https://api.messagemedia.com';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Starts a fresh sandbox on a free port; resolves { url, stop() }. */
function startSandbox() {
  return new Promise((resolve, reject) => {
    const proc = spawn(SANDBOX_BIN, ['--port', '0', '--key', KEY, '--secret', SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      proc.removeAllListeners('exit');
      resolve({ url: m[1], stop: () => new Promise((done) => { proc.once('exit', done); proc.kill('SIGTERM'); }) });
    });
  });
}

/**
 * The vendor's collection with its fixed values turned into variables (in memory only).
 * @returns {object} a Postman collection (v2.1 JSON)
 */
function parameterisedCollection() {
  const collection = JSON.parse(fs.readFileSync(COLLECTION, 'utf8'));
  for (const item of collection.item) {
    const { request } = item;
    const raw = typeof request.url === 'string' ? request.url : request.url.raw;
    assert.ok(raw.startsWith(VENDOR_BASE), raw);
    // A string URL is re-parsed by newman, so host/path arrays cannot keep the vendor's host.
    request.url = raw.replace(VENDOR_BASE, '{{baseUrl}}').replace(UUID, '{{appUserId}}');
    assert.equal(request.auth.type, 'basic');
    for (const entry of request.auth.basic) {
      if (entry.key === 'username') entry.value = '{{username}}';
      if (entry.key === 'password') entry.value = '{{password}}';
    }
  }
  return collection;
}

/** Runs the named requests of the collection; resolves the executions (name, status, body). */
function run(collection, environment, names) {
  return new Promise((resolve, reject) => {
    const executions = [];
    newman.run({
      collection,
      environment: { values: Object.entries(environment).map(([key, value]) => ({ key, value, type: 'default' })) },
      folder: names,
      reporters: [],
      timeoutRequest: 10_000,
    }).on('request', (err, args) => {
      executions.push({
        name: args.item.name,
        error: err ? String(err) : null,
        status: args.response ? args.response.code : null,
        body: args.response ? args.response.stream.toString('utf8') : null,
      });
    }).on('done', (err) => (err ? reject(err) : resolve(executions)));
  });
}

async function control(url, route, body) {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

test('MessageMedia\'s Postman collection: 9/9 requests 2xx against a fresh sandbox (newman)', async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  const collection = parameterisedCollection();
  assert.equal(collection.item.length, 9);
  const env = { baseUrl: sandbox.url, username: KEY, password: SECRET, appUserId: 'not-yet-known' };

  const part1 = await run(collection, env, ['Provision account', 'Get facebook auth url']);
  const authorise = part1.find((e) => e.name === 'Get facebook auth url');
  assert.ok(authorise && authorise.status === 200, JSON.stringify(part1));
  // The user opens the authorisation URL in a browser; here a plain GET (no credentials).
  const login = await fetch(JSON.parse(authorise.body).authorisation_url);
  assert.equal(login.status, 200);

  const part2 = await run(collection, env, ['Get facebook pages', 'Integrate facebook page']);
  // A Facebook user writes to the integrated page: now there is an app user to talk to.
  const inbound = await control(sandbox.url, '/sandbox/inbound', {
    page_id: '1573307926039629', given_name: 'Ben', surname: 'Sims', text: 'Hi! Is the coffee any good?',
  });
  env.appUserId = inbound.app_user_id;
  const part3 = await run(collection, env, [
    'Get users', 'Get messages', 'Send message (text)', 'Send message (image)', 'Send message (buttons)',
  ]);

  const all = [...part1, ...part2, ...part3];
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'newman.json'), JSON.stringify(all, null, 2));
  const lines = all.map((e) => `${e.status ?? e.error}  ${e.name}`);
  const ok = all.filter((e) => e.status >= 200 && e.status < 300).length;
  console.log(`newman: ${ok}/${all.length} requests 2xx\n  ${lines.join('\n  ')}`);
  assert.deepEqual(all.map((e) => e.name), collection.item.map((i) => i.name), 'every request ran, once, in order');
  assert.equal(ok, 9, lines.join('\n'));

  // What the collection sent is in the history, with its fields.
  const res = await fetch(`${sandbox.url}/beta/conversations/users/${env.appUserId}/messages`, {
    headers: { authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` },
  });
  const sent = (await res.json()).messages.data.filter((m) => m.direction === 'SENT');
  assert.deepEqual(sent.map((m) => m.type ?? 'text'), ['text', 'image', 'actions']);
  assert.equal(sent[0].text, 'Hello World!');
  assert.match(sent[1].media, /^https:\/\/en\.facebookbrand\.com\/.*\.png$/);
  assert.deepEqual(sent[2].actions, [
    { type: 'reply', displayText: 'The best!', responseText: 'Y' },
    { type: 'reply', displayText: 'That was coffee?', responseText: 'N' },
  ]);
});
