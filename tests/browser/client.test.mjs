// The package's browser build in headless Chromium against a running sandbox: browser safety
// (credentials need allowBrowserCredentials; a credential-less baseUrl sends no Authorization),
// the same typed errors as Node, timeouts and AbortSignal through the wasm engine's fetch.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, startSandbox, startStatic } from './support.mjs';

const KEY = 'sandbox-key';
const SECRET = 'sandbox-secret';
// The sandbox's control endpoints take its credentials and JSON.
const CONTROL = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` };
let chrome;
let web;
let sandbox;
let seen = [];

test.before(async () => {
  sandbox = await startSandbox(['--seed-demo']);
  // The page's own backend: /api/* on the page's origin, recording what the browser sends.
  web = await startStatic({
    api(req, res) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ url: req.url, authorization: req.headers.authorization ?? null, body });
        if (req.method === 'POST' && req.url.endsWith('/messages')) {
          res.writeHead(202, { 'content-type': 'application/json', 'x-request-id': 'req-send' });
          res.end('{"channel":"facebook","text":"","message_id":"m1"}');
        } else if (req.url.endsWith('/users/missing')) {
          res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req-missing' });
          res.end('{"message":"The app user does not exist."}');
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-list' });
          res.end('{"data":[{"id":"u1","surname":"Sims","given_name":"Ben","profile_pic":"p.png"}]}');
        }
      });
    },
  });
  chrome = await launch();
});
test.after(async () => {
  await chrome?.close();
  await web?.close();
  await sandbox?.stop();
});

async function inPage(fn, arg) {
  const page = await openPage(chrome.browser, `${web.url}/tests/browser/page.html`);
  try {
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

test('credentials without allowBrowserCredentials: InvalidInputError from the constructor', async () => {
  const out = await inPage(async ({ base }) => {
    const { ConversationsClient, InvalidInputError } = await import('/npm/browser.mjs');
    try {
      new ConversationsClient({ baseUrl: base, username: 'k', password: 'p' });
      return { thrown: false };
    } catch (err) {
      return { thrown: true, isInvalid: err instanceof InvalidInputError, code: err.code, field: err.field, message: err.message };
    }
  }, { base: sandbox.url });
  assert.equal(out.thrown, true);
  assert.equal(out.isInvalid, true);
  assert.equal(out.code, 'invalid_input');
  assert.equal(out.field, 'allowBrowserCredentials');
  assert.match(out.message, /allowBrowserCredentials: true/);
});

test('with allowBrowserCredentials the sandbox answers, with the seeded users', async () => {
  const out = await inPage(async ({ base, key, secret }) => {
    const { ConversationsClient } = await import('/npm/browser.mjs');
    const client = new ConversationsClient({ baseUrl: base, username: key, password: secret, allowBrowserCredentials: true });
    const users = await client.listAppUsers();
    return users.data.map((u) => `${u.givenName} ${u.surname}`);
  }, { base: sandbox.url, key: KEY, secret: SECRET });
  assert.deepEqual(out.sort(), ['Ben Sims', 'Robert Hood']);
});

test('the recommended setup: a relative, credential-less baseUrl sends no Authorization header', async () => {
  seen = [];
  const out = await inPage(async () => {
    const { ConversationsClient } = await import('/npm/browser.mjs');
    const client = new ConversationsClient({ baseUrl: '/api/conversations' });
    const users = await client.listAppUsers();
    return { users: users.data.length, baseUrl: client.baseUrl };
  });
  assert.equal(out.users, 1);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, '/api/conversations/beta/conversations/users');
  assert.equal(seen[0].authorization, null);
});

test('API errors are the same typed errors as in Node', async () => {
  const out = await inPage(async ({ base, key, secret }) => {
    const sdk = await import('/npm/browser.mjs');
    const client = new sdk.ConversationsClient({ baseUrl: base, username: key, password: secret, allowBrowserCredentials: true });
    const wrong = new sdk.ConversationsClient({ baseUrl: base, username: key, password: 'wrong', allowBrowserCredentials: true, maxRetries: 0 });
    const grab = (p) => p.then(() => null, (e) => ({
      name: e.name, code: e.code, status: e.status, message: e.message, api: e instanceof sdk.APIError, json: JSON.stringify(e),
    }));
    return {
      missing: await grab(client.getAppUser('no-such-user')),
      unauthorised: await grab(wrong.listAppUsers()),
      invalid: await grab(client.sendMessage('', { text: 'x', channel: 'facebook' })),
    };
  }, { base: sandbox.url, key: KEY, secret: SECRET });
  assert.deepEqual({ ...out.missing, json: undefined }, {
    name: 'NotFoundError', code: 'api', status: 404, message: 'The app user does not exist.', api: true, json: undefined,
  });
  assert.deepEqual(JSON.parse(out.missing.json), { errorMessage: 'The app user does not exist.', errorCode: 404, errorResponse: '{"message":"The app user does not exist."}' });
  assert.equal(out.unauthorised.name, 'AuthenticationError');
  assert.equal(out.unauthorised.status, 401);
  assert.equal(out.invalid.name, 'InvalidInputError');
});

test('a stalled server times out and an AbortSignal aborts, through the wasm engine', async () => {
  await fetch(`${sandbox.url}/sandbox/faults`, {
    method: 'POST',
    headers: CONTROL,
    body: JSON.stringify({ match: { method: 'GET', path_prefix: '/beta/conversations/facebook/pages' }, action: { kind: 'delay', ms: 5000 } }),
  });
  try {
    const out = await inPage(async ({ base, key, secret }) => {
      const { ConversationsClient } = await import('/npm/browser.mjs');
      const client = new ConversationsClient({ baseUrl: base, username: key, password: secret, allowBrowserCredentials: true, maxRetries: 0 });
      const t0 = performance.now();
      const timeout = await client.listFacebookPages({ timeoutMs: 200 }).catch((e) => `${e.name}: ${e.message}`);
      const t1 = performance.now();
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const aborted = await client.listFacebookPages({ signal: ac.signal }).catch((e) => `${e.name} ${e.code}`);
      return { timeout, aborted, timeoutMs: t1 - t0, abortMs: performance.now() - t1 };
    }, { base: sandbox.url, key: KEY, secret: SECRET });
    assert.match(out.timeout, /^TimeoutError: GET .*: timed out after 200 ms$/);
    assert.ok(out.timeoutMs < 2000, `timeout took ${out.timeoutMs} ms`);
    assert.equal(out.aborted, 'AbortError aborted');
    assert.ok(out.abortMs < 2000, `abort took ${out.abortMs} ms`);
  } finally {
    await fetch(`${sandbox.url}/sandbox/faults`, { method: 'DELETE', headers: CONTROL });
  }
});

test('GETs are retried on 503 by core\'s policy, and the compat surface works in the page', async () => {
  await fetch(`${sandbox.url}/sandbox/faults`, {
    method: 'POST',
    headers: CONTROL,
    body: JSON.stringify({ match: { method: 'GET', path_prefix: '/beta/conversations/users' }, count: 1, action: { kind: 'status', status: 503 } }),
  });
  await fetch(`${sandbox.url}/sandbox/requests`, { method: 'DELETE', headers: CONTROL });
  const out = await inPage(async ({ base }) => {
    const lib = (await import('/npm/browser.mjs')).default;
    lib.Configuration.BASEURI = base;
    const result = await new Promise((resolve) => {
      lib.AppUsersController.getAppUsers((error, response, context) => resolve({
        error: error && error.message, users: response && response.data.length, status: context.response.statusCode,
      }));
    });
    return result;
  }, { base: sandbox.url });
  // No credentials (compat Configuration unset): the sandbox answers 401 after the retried 503.
  const counts = await (await fetch(`${sandbox.url}/sandbox/requests`, { headers: CONTROL })).json();
  assert.equal(counts.by_route['GET /beta/conversations/users'], 2, JSON.stringify(counts));
  assert.equal(out.status, 401);
  assert.equal(out.error, 'HTTP Response Not OK');
});

test('rich messages, .withResponse(), unknown fields and error headers through the wasm engine', async () => {
  seen = [];
  const out = await inPage(async () => {
    const sdk = await import('/npm/browser.mjs');
    const client = new sdk.ConversationsClient({ baseUrl: '/api/conversations', maxRetries: 0 });
    const listed = await client.listAppUsers().withResponse();
    const sent = await client.sendMessage('u1', {
      text: 'Was the coffee any good?', channel: 'facebook',
      actions: [{ type: 'reply', displayText: 'The best!', responseText: 'Y' }],
    }).withResponse();
    await client.sendMessage('u1', { channel: 'facebook', type: 'image', media: 'https://x.test/a.png', extra: null });
    const err = await client.getAppUser('missing').then(() => null, (e) => ({
      name: e.name, status: e.status, body: e.body, headers: e.headers,
    }));
    return {
      listed: { data: listed.data, status: listed.response.status, id: listed.response.headers['x-request-id'], body: listed.response.body },
      sent: { data: sent.data, status: sent.response.status, id: sent.response.headers['x-request-id'] },
      err,
    };
  });
  assert.deepEqual(out.listed, {
    data: { data: [{ id: 'u1', surname: 'Sims', givenName: 'Ben', profilePic: 'p.png' }] },
    status: 200,
    id: 'req-list',
    body: '{"data":[{"id":"u1","surname":"Sims","given_name":"Ben","profile_pic":"p.png"}]}',
  });
  assert.deepEqual(out.sent, { data: { channel: 'facebook', text: '', messageId: 'm1' }, status: 202, id: 'req-send' });
  const posts = seen.filter((r) => r.url.endsWith('/messages')).map((r) => r.body);
  assert.deepEqual(posts, [
    '{"channel":"facebook","type":"actions","text":"Was the coffee any good?","actions":[{"type":"reply","displayText":"The best!","responseText":"Y"}]}',
    '{"channel":"facebook","type":"image","media":"https://x.test/a.png"}',
  ]);
  assert.equal(out.err.name, 'NotFoundError');
  assert.equal(out.err.status, 404);
  assert.equal(out.err.headers['x-request-id'], 'req-missing');
});

test('the wasm engine execute() sends a passthrough body exactly as given (compat in browsers)', async () => {
  seen = [];
  const body = '{ "channel": "facebook", "type": "image", "media": "https://x.test/a.png", "x": null }';
  const out = await inPage(async ({ origin, text }) => {
    // The ./streamed entry awaits the module's instantiation (browser.mjs instantiates on the
    // first client), so the glue's Engine class is ready to use directly.
    await import('/npm/wasm/streamed.mjs');
    const { Engine } = await import('/npm/wasm/conversations.mjs');
    const engine = new Engine({ baseUrl: `${origin}/api/conversations` });
    const given = await engine.execute('createSendMessage', 'u1', text, undefined, 5000, undefined, undefined, true);
    const checked = await engine.execute('createSendMessage', 'u1', text, undefined, 5000);
    const blank = await engine.execute('createSendMessage', ' ', text, undefined, 5000, undefined, undefined, true);
    return { given: given.status, checked: checked.status, blank: blank.error && blank.error.field };
  }, { origin: web.url, text: body });
  assert.deepEqual(out, { given: 202, checked: 202, blank: 'appUserId' });
  assert.deepEqual(seen.map((r) => r.body), [body, '{"channel":"facebook","type":"image","media":"https://x.test/a.png"}']);
});
