'use strict';

// The original SDK's documented usage (seed docs / API.md) against a scripted local server.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const lib = require('..');
const { startApi, OPERATIONS, USER_ID, PAGE_ID, basic } = require('../test-support/api');

const CALLS = {
  createSendMessage: (cb) => lib.AppUsersController.createSendMessage(USER_ID, new lib.BaseMessageDto({ text: 'Hello', channel: 'facebook' }), cb),
  getAppUserMessages: (cb) => lib.AppUsersController.getAppUserMessages(USER_ID, cb),
  getAppUserById: (cb) => lib.AppUsersController.getAppUserById(USER_ID, cb),
  getAppUsers: (cb) => lib.AppUsersController.getAppUsers(cb),
  createConfigureAccount: (cb) => lib.ConfigurationController.createConfigureAccount(
    new lib.ConfigureAccountRequest({ name: 'Rainbow Serpent Festival', callback_url: 'https://callback.url.com' }), cb),
  createIntegrateFacebookPage: (cb) => lib.FacebookController.createIntegrateFacebookPage(PAGE_ID, cb),
  getFacebookPages: (cb) => lib.FacebookController.getFacebookPages(cb),
  getFacebookAuthorisationURL: (cb) => lib.FacebookController.getFacebookAuthorisationURL(cb),
};
const RESULT_CLASS = {
  createSendMessage: 'SendMessageResponse',
  getAppUserMessages: 'GetAppUserMessagesResponse',
  getAppUserById: 'GetAppUserByIdResponse',
  getAppUsers: 'GetAppUsersResponse',
  createConfigureAccount: 'ConfigureAccountResponse',
  getFacebookPages: 'GetFacebookPagesResponse',
  getFacebookAuthorisationURL: 'GetFacebookAuthorisationURLResponse',
};

/** Calls with a callback and awaits the returned promise; both must agree. */
async function callBoth(op) {
  const calls = [];
  const promise = CALLS[op]((...args) => calls.push(args));
  let value;
  let error = null;
  try {
    value = await promise;
  } catch (err) {
    error = err;
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls.length, 1, 'callback called exactly once');
  const [cbError, cbResponse, context] = calls[0];
  if (error) {
    assert.equal(cbError, error);
    assert.equal(cbResponse, null);
  } else {
    assert.equal(cbError, null);
    assert.equal(cbResponse, value);
  }
  return { value, error, context };
}

let api;
test.before(async () => {
  api = await startApi((req) => api.script?.(req));
  lib.Configuration.BASEURI = api.url;
  lib.Configuration.basicAuthUserName = 'API_KEY';
  lib.Configuration.basicAuthPassword = 'API_SECRET';
});
test.after(() => api.close());

test('Configuration: BASEURI reads as the default until set, and is read on every call', async () => {
  const saved = lib.Configuration.BASEURI;
  lib.Configuration.BASEURI = undefined;
  assert.equal(lib.Configuration.BASEURI, 'https://api.messagemedia.com');
  lib.Configuration.BASEURI = saved;
  assert.equal(lib.Configuration.BASEURI, api.url);
  assert.ok(!JSON.stringify(lib.Configuration).includes('API_SECRET'), 'console output of Configuration hides the password');
  lib.Configuration.basicAuthPassword = 'OTHER';
  await lib.AppUsersController.getAppUsers();
  assert.equal(api.requests.at(-1).headers.authorization, basic('API_KEY', 'OTHER'));
  lib.Configuration.basicAuthPassword = 'API_SECRET';
  await lib.AppUsersController.getAppUsers();
  assert.equal(api.requests.at(-1).headers.authorization, basic('API_KEY', 'API_SECRET'));
});

for (const spec of OPERATIONS) {
  test(`${spec.op}: documented usage sends the documented request and returns the model`, async () => {
    api.script = null;
    const before = api.requests.length;
    const { value, context } = await callBoth(spec.op);
    assert.equal(api.requests.length, before + 1);
    const req = api.requests.at(-1);
    assert.equal(req.method, spec.method);
    assert.equal(req.url, spec.path);
    assert.equal(req.headers.authorization, basic('API_KEY', 'API_SECRET'));
    assert.match(req.headers['user-agent'], /^messagemedia-conversations-sdk-1\.0\.0( |$)/);
    assert.equal(req.headers.accept, spec.accept ? 'application/json' : undefined);
    if (spec.body) {
      assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(JSON.parse(req.body), spec.body);
    } else {
      assert.equal(req.headers['content-type'], undefined);
      assert.equal(req.body, '');
    }
    if (spec.op === 'createIntegrateFacebookPage') {
      assert.equal(value, '');
    } else {
      assert.ok(value instanceof lib[RESULT_CLASS[spec.op]], `result is a ${RESULT_CLASS[spec.op]}`);
      assert.deepEqual(JSON.parse(JSON.stringify(value)), spec.response, 'toJSON gives the wire form');
    }
    assert.equal(context.response.statusCode, 200);
    assert.equal(context.request.method, spec.method);
    assert.equal(context.request.url, api.url + spec.path);
    assert.ok(!JSON.stringify(context).includes(Buffer.from('API_KEY:API_SECRET').toString('base64')), 'context hides the credentials');
  });

  const statuses = { ...spec.documented };
  if (!(400 in statuses)) statuses[400] = 'The account is not provisioned.';
  statuses[403] = 'HTTP Response Not OK';
  for (const [status, message] of Object.entries(statuses)) {
    test(`${spec.op}: ${status} gives "${message}"`, async () => {
      const body = `{"message":"status ${status}"}`;
      api.script = () => [Number(status), body];
      const { error, context } = await callBoth(spec.op);
      assert.ok(error instanceof lib.APIException);
      assert.ok(error instanceof Error);
      assert.deepEqual(Object.keys(error), ['errorMessage', 'errorCode', 'errorResponse']);
      assert.equal(JSON.stringify(error), JSON.stringify({ errorMessage: message, errorCode: Number(status), errorResponse: body }));
      assert.equal(error.message, message);
      assert.equal(error.code, 'api');
      assert.equal(error.status, Number(status));
      assert.equal(context.response.statusCode, Number(status));
      assert.equal(context.response.body, body);
    });
  }
}

test('getAppUserMessages returns messages and metadata (fix of the original)', async () => {
  api.script = null;
  const res = await lib.AppUsersController.getAppUserMessages(USER_ID);
  assert.ok(res.messages instanceof lib.MessagesDto);
  assert.ok(res.messages.data[0] instanceof lib.MessageDto);
  assert.equal(res.messages.data[0].direction, 'RECEIVED');
  assert.deepEqual(res.metadata, { userId: USER_ID, accountId: 'FunGuys007' });
});

test('a server error is retried for GETs and then reported as "HTTP Response Not OK"', async () => {
  let hits = 0;
  api.script = () => { hits++; return [503, 'boom']; };
  const { error } = await callBoth('getAppUsers');
  assert.equal(error.errorMessage, 'HTTP Response Not OK');
  assert.equal(error.errorCode, 503);
  assert.ok(hits >= 2, `retried (${hits} hits)`);
});

test('a malformed 2xx body is an error, not a crash', async () => {
  api.script = () => [200, '{"data": [oops'];
  const { error, context } = await callBoth('getAppUsers');
  assert.ok(error instanceof lib.DecodeError);
  assert.equal(error.errorResponse, '{"data": [oops');
  assert.equal(context.response.statusCode, 200);
});

test('a refused connection says so, with errorCode null and the cause', async () => {
  const closed = await startApi();
  const url = closed.url;
  await closed.close();
  const saved = lib.Configuration.BASEURI;
  lib.Configuration.BASEURI = url;
  try {
    const { error } = await callBoth('getAppUserById');
    assert.ok(error instanceof lib.ConnectionError);
    assert.match(error.errorMessage, /connection refused/);
    assert.equal(error.errorCode, null);
    assert.equal(error.errorResponse, null);
    assert.equal(error.cause.code, 'ECONNREFUSED');
  } finally {
    lib.Configuration.BASEURI = saved;
  }
});

test('bad input is rejected before any request, through the callback and the promise', async () => {
  api.script = null;
  const before = api.requests.length;
  const calls = [];
  const p = lib.AppUsersController.createSendMessage('', { text: 'x', channel: 'facebook' }, (...a) => calls.push(a));
  await assert.rejects(p, (err) => err instanceof lib.InvalidInputError && err.field === 'appUserId');
  const p2 = lib.AppUsersController.createSendMessage(USER_ID, { channel: 'facebook' });
  await assert.rejects(p2, (err) => err instanceof lib.InvalidInputError && /text/.test(err.field));
  assert.equal(calls.length, 1);
  assert.equal(api.requests.length, before);
});

test('request bodies may be plain objects with camelCase or snake_case keys', async () => {
  api.script = null;
  await lib.ConfigurationController.createConfigureAccount({ name: 'N', callbackUrl: 'https://c.example' });
  assert.deepEqual(JSON.parse(api.requests.at(-1).body), { name: 'N', callback_url: 'https://c.example' });
  await lib.ConfigurationController.createConfigureAccount(new lib.ProvisionAccountRequest({ name: 'N' }));
  assert.deepEqual(JSON.parse(api.requests.at(-1).body), { name: 'N' });
  await lib.AppUsersController.createSendMessage(USER_ID, { text: 'T', channel: 'facebook' });
  assert.deepEqual(JSON.parse(api.requests.at(-1).body), { channel: 'facebook', text: 'T' });
});

test('model classes take camelCase or snake_case and serialise to wire names', () => {
  const a = new lib.ConfigureAccountRequest({ name: 'n', callbackUrl: 'u' });
  const b = new lib.ConfigureAccountRequest({ name: 'n', callback_url: 'u' });
  assert.deepEqual(a, b);
  assert.equal(a.callbackUrl, 'u');
  assert.deepEqual(a.toJSON(), { name: 'n', callback_url: 'u' });
  const user = new lib.AppUserDto({ id: '1', given_name: 'G', surname: 'S' });
  assert.equal(user.givenName, 'G');
  assert.deepEqual(user.toJSON(), { id: '1', surname: 'S', given_name: 'G' });
  const auth = new lib.FacebookAuthorisationResponse({ authorisation_url: 'x' });
  assert.equal(auth.authorisationUrl, 'x');
  const names = ['SendMessageResponse', 'GetAppUsersResponse', 'GetFacebookPagesResponse', 'GetFacebookAuthorisationURLResponse',
    'ConfigureAccountResponse', 'ConfigureAccountRequest', 'ProvisionAccountRequest', 'MessagesDto', 'FacebookPagesDto',
    'FacebookPageDto', 'FacebookAuthorisationResponse', 'GetAppUserMessagesResponse', 'BaseMessageDto', 'MessageDto', 'AppUserDto',
    'GetAppUserByIdResponse', 'AppUsersDto'];
  for (const name of names) {
    assert.equal(typeof lib[name], 'function', name);
    assert.equal(new lib[name]().constructor.name, name);
  }
  for (const name of ['Configuration', 'Logger', 'AppUsersController', 'ConfigurationController', 'FacebookController', 'APIException']) {
    assert.ok(lib[name], name);
  }
  assert.equal(lib.APIException, lib.ConversationsError);
});

test('no logging and no files by default; Logger receives redacted events once given bodies', async () => {
  const cwdFiles = new Set(fs.readdirSync(process.cwd()));
  const methods = ['log', 'info', 'warn', 'error', 'debug'];
  const saved = methods.map((m) => console[m]);
  let printed = 0;
  for (const m of methods) console[m] = () => { printed++; };
  api.script = () => [404, 'nope'];
  try {
    await lib.AppUsersController.getAppUserById(USER_ID).catch(() => {});
  } finally {
    methods.forEach((m, i) => { console[m] = saved[i]; });
  }
  assert.equal(printed, 0);
  assert.deepEqual(fs.readdirSync(process.cwd()).filter((f) => !cwdFiles.has(f)), []);

  const events = [];
  lib.Logger.error = (message, fields) => events.push([message, fields]);
  try {
    await lib.AppUsersController.getAppUserById(USER_ID).catch(() => {});
  } finally {
    lib.Logger.error = () => {};
  }
  assert.equal(events.length, 1);
  assert.equal(events[0][1].status, 404);
  assert.ok(!JSON.stringify(events).includes('API_SECRET'));
  assert.ok(!JSON.stringify(events).includes(Buffer.from('API_KEY:API_SECRET').toString('base64')));
});

test('callback-only usage with an API error: no unhandled rejection, process stays up and exits 0', async () => {
  api.script = (req) => (req.url.endsWith('/users') ? [200, '{"data": [broken'] : [404, '{"message":"no such user"}']);
  const script = `
    process.on('unhandledRejection', (r) => { console.log('UNHANDLED ' + r); process.exitCode = 3; });
    const lib = require(${JSON.stringify(path.join(__dirname, '..'))});
    lib.Configuration.BASEURI = process.env.API_URL;
    lib.Configuration.basicAuthUserName = 'API_KEY';
    lib.Configuration.basicAuthPassword = 'API_SECRET';
    let calls = 0;
    lib.AppUsersController.getAppUserById('missing', (error, response, context) => {
      calls++;
      console.log('callback', error.errorCode, error.errorMessage, response, context.response.statusCode);
      lib.AppUsersController.getAppUsers((error2) => {
        calls++;
        console.log('callback2', error2.name);
        setTimeout(() => console.log('alive', calls), 200);
      });
    });
  `;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, API_URL: api.url, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, out);
  assert.doesNotMatch(out, /UNHANDLED/);
  assert.match(out, /callback 404 The app user does not exist\. null 404/);
  assert.match(out, /callback2 DecodeError/);
  assert.match(out, /alive 2/);
});
