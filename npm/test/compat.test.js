'use strict';

// The original SDK's documented usage (seed docs / API.md) against a scripted local server.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const lib = require('..');
const { startApi, OPERATIONS, EXAMPLES, USER_ID, PAGE_ID, basic } = require('../test-support/api');

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

test('getAppUserMessages returns messages and metadata as the server sent them (fix of the original)', async () => {
  api.script = null;
  const res = await lib.AppUsersController.getAppUserMessages(USER_ID);
  assert.ok(res instanceof lib.GetAppUserMessagesResponse);
  assert.equal(res.messages.data[0].direction, 'RECEIVED');
  assert.deepEqual(res.messages, EXAMPLES.messages.messages);
  assert.deepEqual(res.metadata, { user_id: USER_ID, account_id: 'FunGuys007' });
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

test('a missing or blank id is refused before any request, through the callback and the promise', async () => {
  api.script = null;
  const before = api.requests.length;
  const calls = [];
  const p = lib.AppUsersController.createSendMessage('', { text: 'x', channel: 'facebook' }, (...a) => calls.push(a));
  await assert.rejects(p, (err) => err instanceof lib.InvalidInputError && err.field === 'appUserId' && err.errorCode === null);
  await assert.rejects(lib.AppUsersController.getAppUserById('  '), (err) => err instanceof lib.InvalidInputError);
  await assert.rejects(lib.AppUsersController.getAppUserById(null), (err) => err instanceof lib.InvalidInputError);
  await assert.rejects(lib.FacebookController.createIntegrateFacebookPage(undefined), (err) => err.field === 'facebookPageId');
  assert.equal(calls.length, 1);
  assert.equal(calls[0][0].field, 'appUserId');
  assert.equal(api.requests.length, before);
});

test('any other body reaches the server as given, and its 400 reaches the callback with errorCode 400', async () => {
  api.script = () => [400, '{"message":"text is required"}'];
  const calls = [];
  const body = { channel: 'facebook', text: null, extra: null, metadata: { order: 7, note: null } };
  const p = lib.AppUsersController.createSendMessage(USER_ID, body, (...a) => calls.push(a));
  await assert.rejects(p, (err) => err instanceof lib.BadRequestError && err.errorCode === 400);
  assert.equal(api.requests.at(-1).body, '{"channel":"facebook","metadata":{"order":7}}', 'null keys dropped at every depth');
  assert.deepEqual(body, { channel: 'facebook', text: null, extra: null, metadata: { order: 7, note: null } }, "the caller's object is unchanged");
  assert.equal(calls[0][0].errorMessage, 'The posted request is invalid or the account is not provisioned.');
  assert.equal(calls[0][2].response.statusCode, 400);
  api.script = () => [200, '{"id":"42"}'];
  await lib.AppUsersController.getAppUserById(42);
  assert.equal(api.requests.at(-1).url, '/beta/conversations/users/42', 'a number id is sent as its text');
});

test('a 2xx keeps what the server sent: type drift resolves, unknown list fields stay, absent fields are undefined', async () => {
  api.script = () => [200, JSON.stringify({ id: 42, surname: null, profile_pic: 'p.png' })];
  const user = await lib.AppUsersController.getAppUserById(USER_ID);
  assert.ok(user instanceof lib.GetAppUserByIdResponse);
  assert.equal(user.id, 42);
  assert.deepEqual(Object.keys(user), ['id', 'surname', 'givenName'], 'the model\'s fields, as the original set them');
  assert.equal(user.surname, undefined);
  assert.equal(user.givenName, undefined);
  const data = [{ id: 'a', given_name: 'B', profile_pic: 'p.png' }, { id: 'b' }];
  api.script = () => [200, JSON.stringify({ data })];
  const users = await lib.AppUsersController.getAppUsers();
  assert.deepEqual(users.data, data);
});

test('request bodies may be plain objects with camelCase or snake_case keys', async () => {
  api.script = null;
  await lib.ConfigurationController.createConfigureAccount({ name: 'N', callbackUrl: 'https://c.example' });
  assert.deepEqual(JSON.parse(api.requests.at(-1).body), { name: 'N', callback_url: 'https://c.example' });
  await lib.ConfigurationController.createConfigureAccount(new lib.ProvisionAccountRequest({ name: 'N' }));
  assert.deepEqual(JSON.parse(api.requests.at(-1).body), { name: 'N' });
  await lib.AppUsersController.createSendMessage(USER_ID, { text: 'T', channel: 'facebook' });
  assert.equal(api.requests.at(-1).body, '{"text":"T","channel":"facebook"}', 'sent as given, in the caller\'s order');
  const actions = { channel: 'facebook', type: 'actions', text: 'Q?', actions: [{ type: 'reply', displayText: 'Yes', responseText: 'Y' }] };
  await lib.AppUsersController.createSendMessage(USER_ID, actions);
  assert.equal(api.requests.at(-1).body, JSON.stringify(actions), 'camelCase inside a plain body stays as written');
  await lib.AppUsersController.createSendMessage(USER_ID, new lib.BaseMessageDto({ text: 'T' }));
  assert.equal(api.requests.at(-1).body, '{"text":"T"}', 'a model\'s null field is dropped');
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

test('controllers are classes with static methods, as in the original', () => {
  const methods = {
    AppUsersController: ['createSendMessage', 'getAppUserMessages', 'getAppUserById', 'getAppUsers'],
    ConfigurationController: ['createConfigureAccount'],
    FacebookController: ['createIntegrateFacebookPage', 'getFacebookPages', 'getFacebookAuthorisationURL'],
  };
  for (const [name, list] of Object.entries(methods)) {
    const Controller = lib[name];
    assert.equal(typeof Controller, 'function', name);
    assert.equal(Controller.name, name);
    assert.match(Function.prototype.toString.call(Controller), /^class /);
    for (const method of list) assert.equal(typeof Controller[method], 'function', `${name}.${method}`);
    assert.deepEqual(Object.getOwnPropertyNames(Controller).filter((n) => !['length', 'name', 'prototype'].includes(n)).sort(), [...list].sort());
  }
});

test('new APIException() is the original\'s { reason, context }, and errors are APIExceptions', async () => {
  const err = new lib.APIException();
  assert.equal(err.reason, '');
  assert.equal(err.context, '');
  assert.equal(JSON.stringify(err), '{"reason":"","context":""}');
  assert.ok(err instanceof lib.APIException);
  assert.deepEqual(lib.APIException.mappingInfo(), []);
  api.script = () => [404, 'nope'];
  const thrown = await lib.AppUsersController.getAppUserById(USER_ID).catch((e) => e);
  assert.ok(thrown instanceof lib.APIException);
  assert.deepEqual(Object.keys(thrown), ['errorMessage', 'errorCode', 'errorResponse']);
});

test('Logger is a class with LogConfig(), which writes no file and prints nothing', () => {
  assert.equal(typeof lib.Logger, 'function');
  assert.equal(typeof lib.Logger.LogConfig, 'function');
  const before = new Set(fs.readdirSync(process.cwd()));
  const saved = console.log;
  let printed = 0;
  console.log = () => { printed++; };
  try {
    assert.equal(lib.Logger.LogConfig(), undefined);
  } finally {
    console.log = saved;
  }
  assert.equal(printed, 0);
  assert.deepEqual(fs.readdirSync(process.cwd()).filter((f) => !before.has(f)), []);
});

test('model helpers: mappingInfo, discriminatorMap, getValue, mappingInfoContains, null fields', () => {
  const { ConfigureAccountRequest, BaseMessageDto, GetAppUsersResponse, MessagesDto } = lib;
  assert.deepEqual(ConfigureAccountRequest.mappingInfo(), [{ name: 'name', realName: 'name' }, { name: 'callbackUrl', realName: 'callback_url' }]);
  ConfigureAccountRequest.mappingInfo().pop();
  assert.equal(ConfigureAccountRequest.mappingInfo().length, 2, 'a new array each call');
  assert.deepEqual(GetAppUsersResponse.mappingInfo(), [{ name: 'data', realName: 'data', array: true }]);
  assert.deepEqual(MessagesDto.mappingInfo(), [{ name: 'data', realName: 'data', array: true, type: 'MessageDto' }]);
  assert.deepEqual(BaseMessageDto.discriminatorMap(), {});
  assert.equal(BaseMessageDto.getValue(undefined), null);
  assert.equal(BaseMessageDto.getValue(null, 'x'), null);
  assert.equal(BaseMessageDto.getValue(0), 0);
  assert.equal(BaseMessageDto.getValue(''), '');
  const account = new ConfigureAccountRequest({ name: 'n' });
  assert.equal(account.mappingInfoContains('callbackUrl'), 'callback_url');
  assert.equal(account.mappingInfoContains('nope'), null);
  assert.deepEqual(Object.entries(account), [['name', 'n'], ['callbackUrl', null]], 'absent fields are null, as in the original');
  assert.equal(JSON.stringify(account), '{"name":"n","callback_url":null}');
  assert.deepEqual(Object.keys(new BaseMessageDto()), [], 'no argument: no fields');
  const message = new BaseMessageDto({ text: 't', channel: 'c' });
  message.priority = 'high';
  assert.deepEqual(message.toJSON(), { text: 't', channel: 'c', priority: 'high' }, 'other own properties are serialised too');
});

test('Configuration.timeout and maxRetries: defaults, the original\'s behaviour at 0, bad values refused', async () => {
  assert.equal(lib.Configuration.timeout, 30000);
  assert.equal(lib.Configuration.maxRetries, 2);
  try {
    let hits = 0;
    api.script = () => { hits++; return [503, 'busy']; };
    lib.Configuration.maxRetries = 0;
    await assert.rejects(lib.AppUsersController.getAppUsers(), (e) => e.errorCode === 503);
    assert.equal(hits, 1, 'maxRetries 0 sends once');
    hits = 0;
    lib.Configuration.maxRetries = 1;
    await assert.rejects(lib.AppUsersController.getAppUsers(), (e) => e.errorCode === 503);
    assert.equal(hits, 2);

    lib.Configuration.maxRetries = 0;
    lib.Configuration.timeout = 200;
    api.script = () => true; // never answers
    const started = Date.now();
    const calls = [];
    await assert.rejects(lib.AppUsersController.getAppUsers((...a) => calls.push(a)), (e) => e instanceof lib.TimeoutError && e.errorCode === null);
    assert.ok(Date.now() - started < 5000);
    assert.equal(calls.length, 1);

    lib.Configuration.timeout = -1;
    await assert.rejects(lib.AppUsersController.getAppUsers(), (e) => e instanceof lib.InvalidInputError && e.field === 'timeout');
    lib.Configuration.timeout = undefined;
    lib.Configuration.maxRetries = 1.5;
    await assert.rejects(lib.AppUsersController.getAppUsers(), (e) => e instanceof lib.InvalidInputError && e.field === 'maxRetries');
  } finally {
    lib.Configuration.timeout = undefined;
    lib.Configuration.maxRetries = undefined;
    api.script = null;
  }
  assert.equal(lib.Configuration.timeout, 30000, 'undefined restores the default');
  assert.equal(lib.Configuration.maxRetries, 2);
});

// Every file of the original SDK's lib/ (its package "main" was lib/index.js), by require path.
const ORIGINAL_PATHS = [
  'lib', 'lib/index', 'lib/configuration', 'lib/LogConfig', 'lib/APIHelper', 'lib/ObjectMapper', 'lib/ModelFactory',
  'lib/Exceptions/APIException',
  'lib/Controllers/AppUsersController', 'lib/Controllers/ConfigurationController', 'lib/Controllers/FacebookController',
  'lib/Controllers/BaseController',
  'lib/Http/Client/RequestClient', 'lib/Http/Client/HttpContext', 'lib/Http/Request/HttpRequest', 'lib/Http/Response/HttpResponse',
  'lib/Models/BaseModel', 'lib/Models/AppUserDto', 'lib/Models/AppUsersDto', 'lib/Models/BaseMessageDto',
  'lib/Models/ConfigureAccountRequest', 'lib/Models/ConfigureAccountResponse', 'lib/Models/FacebookAuthorisationResponse',
  'lib/Models/FacebookPageDto', 'lib/Models/FacebookPagesDto', 'lib/Models/GetAppUserByIdResponse',
  'lib/Models/GetAppUserMessagesResponse', 'lib/Models/GetAppUsersResponse', 'lib/Models/GetFacebookAuthorisationURLResponse',
  'lib/Models/GetFacebookPagesResponse', 'lib/Models/MessageDto', 'lib/Models/MessagesDto', 'lib/Models/ProvisionAccountRequest',
  'lib/Models/SendMessageResponse',
];

test('the original\'s deep paths resolve, with and without .js, to the root export\'s objects', () => {
  const root = require('messagemedia-conversations-sdk');
  assert.equal(root, lib);
  const same = {
    lib: root, 'lib/index': root, 'lib/configuration': root.Configuration, 'lib/LogConfig': root.Logger,
    'lib/Exceptions/APIException': root.APIException,
  };
  for (const p of ORIGINAL_PATHS) {
    const name = p.split('/').at(-1);
    const forms = p === 'lib' ? [p] : [p, `${p}.js`];
    for (const form of forms) {
      const got = require(`messagemedia-conversations-sdk/${form}`);
      assert.equal(got, require(`messagemedia-conversations-sdk/${forms[0]}`), `${form} is the same module`);
      if (p in same) assert.equal(got, same[p], form);
      else if (p.startsWith('lib/Controllers/') && name in root) assert.equal(got, root[name], form);
      else if (p.startsWith('lib/Models/') && name in root) assert.equal(got, root[name], form);
      else assert.equal(typeof got, 'function', form);
    }
  }
  const { Model } = require('../lib/models');
  assert.equal(require('messagemedia-conversations-sdk/lib/Models/BaseModel'), Model);
  assert.ok(new root.BaseMessageDto() instanceof Model);
  assert.throws(() => require('messagemedia-conversations-sdk/lib/client'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, 'internals stay private');
});

test('deep-path helpers: APIHelper, ModelFactory, ObjectMapper, BaseController', () => {
  const APIHelper = require('messagemedia-conversations-sdk/lib/APIHelper');
  assert.equal(APIHelper.appendUrlWithTemplateParameters('https://h/users/{id}/x', { id: 'a b/c' }), 'https://h/users/a%20b%2Fc/x');
  assert.equal(APIHelper.cleanUrl('https://h//a//b'), 'https://h/a//b');
  assert.equal(APIHelper.cleanUrl('ftp://h/a'), null);
  const body = { a: null, b: { c: undefined, d: 1 }, e: [1, null, 2] };
  assert.equal(APIHelper.cleanObject(body), body);
  assert.deepEqual(body, { b: { d: 1 }, e: [1, 2] });
  assert.equal(APIHelper.jsonSerialize({ a: 1 }), '{"a":1}');
  assert.equal(APIHelper.urlEncodeObject({ a: 1, b: [2, 3], c: { d: 'x y' } }), 'a=1&b%5B0%5D=2&b%5B1%5D=3&c%5Bd%5D=x%20y');
  assert.equal(APIHelper.formatString('{0}-{1}', 'a', 'b'), 'a-b');
  const ModelFactory = require('messagemedia-conversations-sdk/lib/ModelFactory');
  assert.ok(ModelFactory.getInstance('AppUserDto') instanceof lib.AppUserDto);
  assert.throws(() => ModelFactory.getInstance('Nope'), TypeError);
  const ObjectMapper = require('messagemedia-conversations-sdk/lib/ObjectMapper');
  const pages = new ObjectMapper().mapObject({ data: [{ id: '1', name: 'P', category: 'c' }] }, 'FacebookPagesDto');
  assert.ok(pages.data[0] instanceof lib.FacebookPageDto);
  assert.equal(pages.data[0].name, 'P');
  const BaseController = require('messagemedia-conversations-sdk/lib/Controllers/BaseController');
  const context = { response: { statusCode: 400, body: 'b' } };
  assert.deepEqual(BaseController.validateResponse(context, 'x'), {
    error: { errorMessage: 'The account is not provisioned.', errorCode: 400, errorResponse: 'b' }, response: null, context,
  });
});

test('lib/Http/Client/RequestClient sends an HttpRequest-shaped object and calls back (error, response, context)', async () => {
  api.script = null;
  const executeRequest = require('messagemedia-conversations-sdk/lib/Http/Client/RequestClient');
  const HttpRequest = require('messagemedia-conversations-sdk/lib/Http/Request/HttpRequest');
  const req = Object.assign(new HttpRequest(), {
    method: 'GET', queryUrl: `${api.url}/beta/conversations/users`, headers: { accept: 'application/json' }, username: 'u', password: 'p',
  });
  const [error, response, context] = await new Promise((resolve) => executeRequest(req, (...args) => resolve(args)));
  assert.equal(error, null);
  assert.equal(response.statusCode, 200);
  assert.deepEqual(JSON.parse(response.body), EXAMPLES.users);
  assert.equal(context.request, req);
  assert.equal(context.response, response);
  assert.equal(api.requests.at(-1).headers.authorization, basic('u', 'p'));
});
