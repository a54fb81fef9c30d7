'use strict';

// The modern ConversationsClient over real sockets.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const util = require('node:util');
const sdk = require('..');
const { startApi, OPERATIONS, EXAMPLES, USER_ID, PAGE_ID, basic } = require('../test-support/api');

const { ConversationsClient } = sdk;
const SECRET = 's3cret-password';
const client = (api, extra = {}) => new ConversationsClient({ username: 'key', password: SECRET, baseUrl: api.url, ...extra });

let api;
test.before(async () => { api = await startApi((req, res) => api.script?.(req, res)); });
test.after(() => api.close());
test.beforeEach(() => { api.script = null; });

const MODERN = {
  createSendMessage: (c) => c.sendMessage(USER_ID, { text: 'Hello', channel: 'facebook' }),
  getAppUserMessages: (c) => c.listMessages(USER_ID),
  getAppUserById: (c) => c.getAppUser(USER_ID),
  getAppUsers: (c) => c.listAppUsers(),
  createConfigureAccount: (c) => c.provisionAccount({ name: 'Rainbow Serpent Festival', callbackUrl: 'https://callback.url.com' }),
  createIntegrateFacebookPage: (c) => c.integrateFacebookPage(PAGE_ID),
  getFacebookPages: (c) => c.listFacebookPages(),
  getFacebookAuthorisationURL: (c) => c.getFacebookAuthorisationUrl(),
};
const EXPECTED = {
  createSendMessage: { channel: 'facebook', text: 'Hello' },
  getAppUserMessages: {
    messages: { data: EXAMPLES.messages.messages.data },
    metadata: { userId: USER_ID, accountId: 'FunGuys007' },
  },
  getAppUserById: { id: USER_ID, surname: 'Sims', givenName: 'Ben' },
  getAppUsers: { data: EXAMPLES.users.data.map((u) => ({ id: u.id, surname: u.surname, givenName: u.given_name })) },
  createConfigureAccount: { name: 'Rainbow Serpent Festival', callbackUrl: 'https://callback.url.com' },
  createIntegrateFacebookPage: '',
  getFacebookPages: EXAMPLES.pages,
  getFacebookAuthorisationURL: { authorisationUrl: EXAMPLES.authorise.authorisation_url },
};

for (const spec of OPERATIONS) {
  test(`${spec.op}: plain camelCase output and the documented request`, async () => {
    const c = client(api);
    assert.deepEqual(await MODERN[spec.op](c), EXPECTED[spec.op]);
    const req = api.requests.at(-1);
    assert.equal(req.method, spec.method);
    assert.equal(req.url, spec.path);
    assert.equal(req.headers.authorization, basic('key', SECRET));
    if (spec.body) assert.deepEqual(JSON.parse(req.body), spec.body);
  });
}

test('error classes follow the status', async () => {
  const c = client(api, { maxRetries: 0 });
  const cases = [[400, sdk.BadRequestError], [401, sdk.AuthenticationError], [403, sdk.PermissionDeniedError],
    [404, sdk.NotFoundError], [409, sdk.ConflictError], [429, sdk.RateLimitError], [500, sdk.InternalServerError],
    [503, sdk.InternalServerError], [418, sdk.APIError]];
  for (const [status, Cls] of cases) {
    api.script = () => [status, `body ${status}`];
    const err = await c.getAppUser(USER_ID).then(() => assert.fail('resolved'), (e) => e);
    assert.ok(err instanceof Cls, `${status} → ${Cls.name}, got ${err.name}`);
    assert.ok(err instanceof sdk.APIError && err instanceof sdk.ConversationsError && err instanceof Error);
    assert.equal(err.code, 'api');
    assert.equal(err.status, status);
    assert.equal(err.body, `body ${status}`);
    assert.equal(err.name, Cls.name);
  }
});

test('GET is retried on 503 (server hits counted)', async () => {
  let hits = 0;
  api.script = () => (++hits < 3 ? [503, 'busy'] : undefined);
  const c = client(api);
  assert.deepEqual(await c.listAppUsers(), EXPECTED.getAppUsers);
  assert.equal(hits, 3);
  hits = -10;
  await assert.rejects(c.listAppUsers(), sdk.InternalServerError);
  assert.equal(hits, -7, 'gives up after 1 + maxRetries attempts');
});

test('POST is not retried after a connection reset; GET is', async () => {
  let hits = 0;
  api.script = (req, res) => {
    hits++;
    if (req.method === 'POST' || hits === 1) {
      res.socket.destroy();
      return true;
    }
    return undefined;
  };
  const c = client(api);
  const err = await c.sendMessage(USER_ID, { text: 'x', channel: 'facebook' }).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.ConnectionError, err.name);
  assert.equal(err.code, 'transport');
  assert.match(err.message, /connection reset|socket hang up/);
  assert.ok(err.cause);
  assert.equal(hits, 1);
  hits = 0;
  await c.listAppUsers();
  assert.equal(hits, 2);
});

test('Retry-After is honoured', async () => {
  let hits = 0;
  api.script = () => (++hits === 1 ? [503, 'later', { 'retry-after': '1' }] : undefined);
  const started = Date.now();
  await client(api).listAppUsers();
  const took = Date.now() - started;
  assert.equal(hits, 2);
  assert.ok(took >= 950 && took < 3000, `waited ${took} ms`);
});

test('a stalled server gives TimeoutError after the per-attempt timeout (client and per-call)', async () => {
  api.script = () => true; // never answers
  const started = Date.now();
  const err = await client(api, { timeoutMs: 150, maxRetries: 0 }).listAppUsers().then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.TimeoutError, err.name);
  assert.match(err.message, /timed out after 150 ms/);
  assert.ok(Date.now() - started < 1000);
  const t2 = Date.now();
  await assert.rejects(client(api, { maxRetries: 0 }).listAppUsers({ timeoutMs: 100 }), sdk.TimeoutError);
  assert.ok(Date.now() - t2 < 1000);
});

test('one client, many stalled calls with different timeouts: each expires on its own deadline', async () => {
  // The transport keeps every attempt's deadline on one timer (transport-node.js, Watchdog):
  // later, earlier and equal deadlines, and calls that finish in between, must all be honoured.
  api.script = (req) => !req.url.endsWith('/users'); // app users answer; every other call stalls
  const c = client(api, { maxRetries: 0 });
  const timeouts = [400, 120, 250, 60, 250, 180, 90, 320];
  const started = performance.now();
  const stalled = timeouts.map((ms) => c.getAppUser(USER_ID, { timeoutMs: ms }).then(
    () => assert.fail('resolved'),
    (err) => ({ ms, err, after: performance.now() - started }),
  ));
  const answered = await c.listAppUsers();
  assert.equal(answered.data.length, EXAMPLES.users.data.length);
  for (const { ms, err, after } of await Promise.all(stalled)) {
    assert.ok(err instanceof sdk.TimeoutError, `${ms} ms: ${err.name}`);
    assert.match(err.message, new RegExp(`timed out after ${ms} ms`));
    assert.ok(after >= ms - 1, `${ms} ms call expired early, after ${after.toFixed(1)} ms`);
    assert.ok(after < ms + 200, `${ms} ms call expired late, after ${after.toFixed(1)} ms`);
  }
});

test('the overall deadline bounds retries of timed-out attempts', async () => {
  api.script = () => true;
  const started = Date.now();
  await assert.rejects(client(api, { timeoutMs: 5000, deadlineMs: 300 }).listAppUsers(), sdk.TimeoutError);
  const took = Date.now() - started;
  assert.ok(took < 1500, `took ${took} ms`);
});

test('AbortSignal rejects promptly with AbortError and releases the socket', async () => {
  let closed = 0;
  api.script = (req, res) => { res.socket.once('close', () => { closed++; }); return true; };
  const c = client(api);
  const ac = new AbortController();
  const started = Date.now();
  setTimeout(() => ac.abort(), 50);
  const err = await c.listAppUsers({ signal: ac.signal }).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.AbortError, err.name);
  assert.equal(err.code, 'aborted');
  assert.ok(Date.now() - started < 500);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(closed, 1, 'the in-flight socket was destroyed');

  // Already aborted: no request at all.
  const before = api.requests.length;
  await assert.rejects(c.listAppUsers({ signal: AbortSignal.abort() }), sdk.AbortError);
  assert.equal(api.requests.length, before);

  // Aborted while waiting to retry.
  let hits = 0;
  api.script = () => { hits++; return [503, 'later', { 'retry-after': '3' }]; };
  const ac2 = new AbortController();
  const c2 = client(api);
  const t2 = Date.now();
  setTimeout(() => ac2.abort(), 100);
  await assert.rejects(c2.listAppUsers({ signal: ac2.signal }), sdk.AbortError);
  assert.ok(Date.now() - t2 < 1000);
  assert.equal(hits, 1);
});

test('sockets are reused across calls (one keep-alive connection)', async () => {
  const c = client(api);
  const before = api.connections;
  for (let i = 0; i < 20; i++) await c.listAppUsers();
  assert.equal(api.connections - before, 1);
});

test('several clients with different accounts in one process', async () => {
  const a = client(api, { username: 'alice', password: 'pa' });
  const b = client(api, { username: 'bob', password: 'pb' });
  const seen = [];
  api.script = (req) => { seen.push(req.headers.authorization); return undefined; };
  await Promise.all([a.listAppUsers(), b.listAppUsers(), a.listAppUsers()]);
  assert.deepEqual(seen.sort(), [basic('alice', 'pa'), basic('alice', 'pa'), basic('bob', 'pb')].sort());
});

test('inspect, console.log and JSON.stringify of a client show no secret', () => {
  const c = client(api);
  const encoded = Buffer.from(`key:${SECRET}`).toString('base64');
  for (const text of [util.inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c), String(c), util.format('%o', c), Object.keys(c).join()]) {
    assert.ok(!text.includes(SECRET) && !text.includes(encoded), text);
  }
  assert.match(util.inspect(c), /baseUrl/);
  assert.deepEqual(JSON.parse(JSON.stringify(c)), { baseUrl: api.url });
  assert.equal(new ConversationsClient({ username: 'k', password: 'p' }).baseUrl, 'https://api.messagemedia.com');
});

test('bad constructor options throw InvalidInputError synchronously, naming the option', () => {
  const bad = [
    [{ bogus: 1 }, 'bogus'],
    [{ timeoutMs: '5' }, 'timeoutMs'],
    [{ username: 5 }, 'username'],
    [{ fetch: 'nope' }, 'fetch'],
    [{ logger: { info: 'x' } }, 'logger'],
    [{ agent: {} }, 'agent'],
    [{ baseUrl: 'ftp://example.com' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ maxRetries: -1 }, 'maxRetries'],
  ];
  for (const [options, field] of bad) {
    assert.throws(() => new ConversationsClient(options), (err) => {
      assert.ok(err instanceof sdk.InvalidInputError, `${JSON.stringify(options)} → ${err}`);
      assert.equal(err.field, field);
      assert.equal(err.code, 'invalid_input');
      return true;
    });
  }
  assert.throws(() => new ConversationsClient('x'), sdk.InvalidInputError);
});

test('bad call arguments reject with InvalidInputError before any request', async () => {
  const c = client(api);
  const before = api.requests.length;
  await assert.rejects(c.getAppUser(''), (e) => e instanceof sdk.InvalidInputError && e.field === 'appUserId');
  await assert.rejects(c.getAppUser(undefined), (e) => e instanceof sdk.InvalidInputError && e.field === 'appUserId');
  await assert.rejects(c.sendMessage(USER_ID, { text: 'x' }), (e) => e instanceof sdk.InvalidInputError && /channel/.test(e.field));
  await assert.rejects(c.sendMessage(USER_ID), (e) => e instanceof sdk.InvalidInputError && e.field === 'body');
  await assert.rejects(c.provisionAccount({ callbackUrl: 'x' }), (e) => e instanceof sdk.InvalidInputError && /name/.test(e.field));
  await assert.rejects(c.listAppUsers({ timeoutMs: -1 }), (e) => e instanceof sdk.InvalidInputError && e.field === 'timeoutMs');
  await assert.rejects(c.listAppUsers({ signal: 'x' }), (e) => e instanceof sdk.InvalidInputError && e.field === 'signal');
  const circular = {};
  circular.self = circular;
  await assert.rejects(c.sendMessage(USER_ID, circular), (e) => e instanceof sdk.InvalidInputError && e.field === 'body');
  assert.equal(api.requests.length, before);
});

test('a malformed 2xx body gives DecodeError with the raw body', async () => {
  api.script = () => [200, '{"id": 12'];
  const err = await client(api).getAppUser(USER_ID).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.DecodeError, err.name);
  assert.equal(err.body, '{"id": 12');
});

test('the response body is capped at maxResponseBytes (declared or streamed)', async () => {
  const big = JSON.stringify({ data: Array.from({ length: 50 }, (_, i) => ({ id: String(i), surname: 'x'.repeat(20), given_name: 'y' })) });
  const c = client(api, { maxResponseBytes: 200 });
  api.script = () => [200, big];
  let err = await c.listAppUsers().then(() => assert.fail('resolved'), (e) => e);
  // Same as the Rust client and the wasm engine: a decode error carrying the status.
  assert.ok(err instanceof sdk.DecodeError, err.name);
  assert.equal(err.code, 'decode');
  assert.equal(err.status, 200);
  assert.match(err.message, /response body exceeds the 200-byte limit/);
  api.script = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length
    res.write(big.slice(0, 150));
    setTimeout(() => res.end(big.slice(150)), 10);
    return true;
  };
  err = await c.listAppUsers().then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.DecodeError, err.name);
  assert.match(err.message, /response body exceeds the 200-byte limit/);
});

test('a refused connection is a ConnectionError saying so, with the Node error as cause', async () => {
  const gone = await startApi();
  const url = gone.url;
  await gone.close();
  const err = await new ConversationsClient({ username: 'k', password: 'p', baseUrl: url, maxRetries: 1 })
    .sendMessage(USER_ID, { text: 'x', channel: 'facebook' }).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.ConnectionError);
  assert.match(err.message, /connection refused/);
  assert.equal(err.cause.code, 'ECONNREFUSED');
  assert.equal(err.errorCode, null);
});

test('the fetch option routes every call through the given fetch', async () => {
  let calls = 0;
  const counting = (url, init) => { calls++; return globalThis.fetch(url, init); };
  const c = client(api, { fetch: counting });
  assert.deepEqual(await c.listAppUsers(), EXPECTED.getAppUsers);
  assert.deepEqual(await c.sendMessage(USER_ID, { text: 'Hello', channel: 'facebook' }), EXPECTED.createSendMessage);
  assert.equal(await c.integrateFacebookPage(PAGE_ID), '');
  assert.equal(calls, 3);
  assert.equal(api.requests.at(-1).headers.authorization, basic('key', SECRET));
  api.script = () => [404, 'nope'];
  await assert.rejects(c.getAppUser(USER_ID), sdk.NotFoundError);
  api.script = () => true;
  await assert.rejects(c.listAppUsers({ timeoutMs: 100 }), sdk.TimeoutError);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  await assert.rejects(c.listAppUsers({ signal: ac.signal }), sdk.AbortError);
});

test('the agent option uses the given agent', async () => {
  const agent = new http.Agent({ keepAlive: true });
  let created = 0;
  const original = agent.createConnection.bind(agent);
  agent.createConnection = (...args) => { created++; return original(...args); };
  const c = client(api, { agent });
  await c.listAppUsers();
  await c.listAppUsers();
  assert.equal(created, 1);
  agent.destroy();
});

test('interceptor-style mocks of http.request see the default path', async () => {
  const original = http.request;
  let intercepted = 0;
  http.request = function patched(...args) { intercepted++; return original.apply(this, args); };
  try {
    await client(api).listAppUsers();
  } finally {
    http.request = original;
  }
  assert.equal(intercepted, 1);
});

test('a logger gets redacted events; without one nothing is logged', async () => {
  const events = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (msg, fields) => events.push({ level, msg, ...fields })]));
  let hits = 0;
  api.script = () => (++hits === 1 ? [503, 'busy'] : undefined);
  await client(api, { logger }).listAppUsers();
  const levels = events.map((e) => e.level);
  assert.deepEqual(levels, ['debug', 'warn', 'debug', 'info']);
  const done = events.at(-1);
  assert.equal(done.status, 200);
  assert.equal(done.method, 'GET');
  assert.equal(done.attempt, 2);
  assert.equal(typeof done.durationMs, 'number');
  assert.equal(typeof events[1].delayMs, 'number');
  const text = JSON.stringify(events);
  assert.ok(!text.includes(SECRET) && !text.includes(Buffer.from(`key:${SECRET}`).toString('base64')));
});

test('user agent suffix is appended', async () => {
  await client(api, { userAgent: 'my-app/2.0' }).listAppUsers();
  assert.match(api.requests.at(-1).headers['user-agent'], /^messagemedia-conversations-sdk-1\.0\.0 .*my-app\/2\.0$/);
});

// The pipeline's passthrough hooks (ENGINE.md), which the original SDK's surface builds on: the
// body text goes out byte for byte with only the id checked, and 2xx bodies go to `parse`.
test('pipeline passthrough: body sent as given, 2xx to parse, errors from the engine', async () => {
  const { createState, perform } = require('../lib/pipeline');
  const state = createState({ username: 'key', password: SECRET, baseUrl: api.url, maxRetries: 0 });
  const seen = [];
  const ctx = {
    passthrough: true,
    sent: () => {}, received: () => {}, result: () => assert.fail('result is not called when parse is given'),
    parse: (res) => { seen.push(res.status); return JSON.parse(Buffer.from(res.body).toString('utf8')); },
  };
  const body = '{ "channel": "facebook", "type": "image", "media": "https://x.test/a.png", "extra": null }';
  api.script = () => [200, '{"id": 42, "new_field": [1]}'];
  assert.deepEqual(await perform(state, 'createSendMessage', USER_ID, body, null, ctx), { id: 42, new_field: [1] });
  assert.equal(api.requests.at(-1).body, body);
  assert.deepEqual(seen, [200]);
  // Without a body: none is sent.
  api.script = () => [201, '{}'];
  await perform(state, 'createSendMessage', USER_ID, undefined, null, ctx);
  assert.equal(api.requests.at(-1).body, '');
  // Only the id is checked.
  for (const id of [null, undefined, '  ']) {
    const err = await perform(state, 'createSendMessage', id, body, null, ctx).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(err.code, 'invalid_input');
    assert.equal(err.field, 'appUserId');
  }
  // A non-2xx goes through the engine's decode: the documented message and the raw body.
  api.script = () => [400, 'nope'];
  const err = await perform(state, 'createSendMessage', USER_ID, body, null, ctx).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.BadRequestError);
  assert.equal(err.message, 'The posted request is invalid or the account is not provisioned.');
  assert.equal(err.body, 'nope');
  assert.deepEqual(seen, [200, 201]);
  state.transport.close();
});

// Rich messages: each kind the vendor's Postman collection sends produces its exact wire body.
const COLLECTION = (() => {
  const file = require('node:path').join(__dirname, '..', '..', '..', 'shared', 'postman', 'Conversations.postman_collection.json');
  const bodies = {};
  const walk = (items) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      else if (item.request.body && item.request.body.raw) bodies[item.name] = JSON.stringify(JSON.parse(item.request.body.raw));
    }
  };
  walk(JSON.parse(require('node:fs').readFileSync(file, 'utf8')).item);
  return bodies;
})();

test('each message kind goes out as the Postman collection writes it', async () => {
  const c = client(api);
  const actions = [
    { type: 'reply', displayText: 'The best!', responseText: 'Y' },
    { type: 'reply', displayText: 'That was coffee?', responseText: 'N' },
  ];
  const kinds = {
    'Send message (text)': { text: 'Hello World!', channel: 'facebook' },
    'Send message (image)': {
      type: 'image', channel: 'facebook', media: 'https://en.facebookbrand.com/wp-content/uploads/2016/05/en_like_button_header_05_2018.png',
    },
    // type 'actions' is implied by actions, and sent.
    'Send message (buttons)': { text: 'Was the coffee any good?', actions, channel: 'facebook' },
  };
  for (const [name, message] of Object.entries(kinds)) {
    api.script = () => [202, { channel: 'facebook', text: message.text ?? '' }];
    const copy = structuredClone(message);
    await c.sendMessage(USER_ID, message);
    assert.equal(api.requests.at(-1).body, COLLECTION[name], name);
    assert.deepEqual(message, copy, `${name}: the caller's object is not changed`);
  }
});

test('extra body fields are sent as given, null ones are not; unknown kinds pass through', async () => {
  const c = client(api);
  api.script = () => [202, { channel: 'facebook', text: 'x' }];
  await c.sendMessage(USER_ID, { text: 'Hi', channel: 'facebook', metadata: { orderId: 7 }, id: 12, extra: null });
  assert.equal(api.requests.at(-1).body, '{"channel":"facebook","text":"Hi","metadata":{"orderId":7},"id":12}');
  await c.sendMessage(USER_ID, { channel: 'facebook', type: 'carousel', cards: [{ title: 'A' }] });
  assert.equal(api.requests.at(-1).body, '{"channel":"facebook","type":"carousel","cards":[{"title":"A"}]}');
  api.script = () => [201, { name: 'Acme' }];
  await c.provisionAccount({ name: 'Acme', callbackUrl: 'https://x.test/in', plan: 'gold' });
  assert.equal(api.requests.at(-1).body, '{"name":"Acme","callback_url":"https://x.test/in","plan":"gold"}');
  const before = api.requests.length;
  const err = await c.sendMessage(USER_ID, { type: 'image', channel: 'facebook' }).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.InvalidInputError);
  assert.equal(err.field, 'body.media');
  assert.match(err.message, /image's URL/);
  assert.equal(api.requests.length, before, 'nothing sent');
});

test('unknown response fields reach the caller in camelCase, values as sent', async () => {
  const c = client(api);
  api.script = () => [200, '{"data":[{"id":"u","given_name":"Ben","profile_pic":"https://x.test/p.png","labels":{"vip_level":2}}],"next_cursor":"c2"}'];
  assert.deepEqual(await c.listAppUsers(), {
    data: [{ id: 'u', surname: null, givenName: 'Ben', profilePic: 'https://x.test/p.png', labels: { vip_level: 2 } }],
    nextCursor: 'c2',
  });
  api.script = () => [200, '{"messages":{"data":[{"direction":"SENT","channel":"FACEBOOK","timestamp":"t","type":"image","media":"https://x.test/a.png"}]}}'];
  const list = await c.listMessages(USER_ID);
  assert.deepEqual(list.messages.data[0], { direction: 'SENT', text: null, channel: 'FACEBOOK', timestamp: 't', type: 'image', media: 'https://x.test/a.png' });
});

test('.withResponse(): data with status, lower-case headers and the raw body', async () => {
  const c = client(api);
  const body = '{"data":[{"id":"u","given_name":"Ben"}]}';
  api.script = () => [200, body, { 'X-Request-Id': 'req-1', 'X-RateLimit-Remaining': '9' }];
  const { data, response } = await c.listAppUsers().withResponse();
  assert.deepEqual(data, { data: [{ id: 'u', surname: null, givenName: 'Ben' }] });
  assert.equal(response.status, 200);
  assert.equal(response.body, body);
  assert.equal(response.headers['x-request-id'], 'req-1');
  assert.equal(response.headers['x-ratelimit-remaining'], '9');
  assert.equal(response.headers['content-type'], 'application/json');
  assert.ok(Object.keys(response.headers).every((k) => k === k.toLowerCase()));
  // The plain promise still resolves with the data alone; every method has withResponse.
  api.script = null;
  for (const spec of OPERATIONS) {
    const p = MODERN[spec.op](c);
    assert.equal(typeof p.withResponse, 'function', spec.op);
    const out = await p.withResponse();
    assert.deepEqual(out.data, EXPECTED[spec.op], spec.op);
    assert.equal(out.response.status, 200);
    assert.equal(typeof out.response.body, 'string');
  }
  // A failed call's withResponse rejects with the same error.
  api.script = () => [404, 'gone'];
  await assert.rejects(c.getAppUser(USER_ID).withResponse(), sdk.NotFoundError);
});

test('errors from a response carry its headers; others have headers null', async () => {
  const c = client(api, { maxRetries: 0 });
  api.script = () => [429, '{"message":"slow down"}', { 'Retry-After': '60', 'X-Request-Id': 'req-2' }];
  const err = await c.getAppUser(USER_ID).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof sdk.RateLimitError);
  assert.equal(err.headers['x-request-id'], 'req-2');
  assert.equal(err.headers['retry-after'], '60');
  assert.equal(err.body, '{"message":"slow down"}');
  assert.ok(!Object.keys(err).includes('headers'), 'not enumerable: JSON.stringify(error) is unchanged');
  // A 2xx that does not decode (type drift) keeps its raw body and headers.
  api.script = () => [200, '{"id":42}', { 'X-Request-Id': 'req-3' }];
  const drift = await c.getAppUser(USER_ID).then(() => assert.fail('resolved'), (e) => e);
  assert.ok(drift instanceof sdk.DecodeError);
  assert.equal(drift.body, '{"id":42}');
  assert.equal(drift.headers['x-request-id'], 'req-3');
  const invalid = await c.getAppUser('  ').then(() => assert.fail('resolved'), (e) => e);
  assert.equal(invalid.headers, null);
});
