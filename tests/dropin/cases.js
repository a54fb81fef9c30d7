'use strict';

// The side-by-side cases: code written for the original SDK, each with the server reply both
// SDKs get. observe.js runs them on either SDK; dropin.test.js compares. A case with `fixed`
// names the README's drop-in difference that makes our result differ from the original's, and
// `ours` states what we do instead (the test also checks that the original really differs).

const fs = require('node:fs');
const path = require('node:path');

const USER_ID = '3898c5e4-73cc-44f9-812f-3698a4c3bb1d';
const PAGE_ID = '1573307926039629';

// MessageMedia's own collection (Apache-2.0): the rich message bodies, as its requests send them.
const collection = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../shared/postman/Conversations.postman_collection.json'), 'utf8'));
function collectionBody(name) {
  const stack = [...collection.item];
  while (stack.length > 0) {
    const item = stack.shift();
    if (item.item) stack.push(...item.item);
    else if (item.name === name) return JSON.parse(item.request.body.raw);
  }
  throw new Error(`no request "${name}" in the Postman collection`);
}
const IMAGE = collectionBody('Send message (image)');
const ACTIONS = collectionBody('Send message (buttons)');
const TEXT = collectionBody('Send message (text)');

const json = (status, value, headers) => ({ status, body: JSON.stringify(value), headers });
const USERS = { data: [{ id: USER_ID, surname: 'Sims', given_name: 'Ben' }, { id: '331b1da8-10a5-44c7-91df-1dc14cc2f373', surname: 'Hood', given_name: 'Robert' }] };
const MESSAGES = {
  messages: {
    data: [
      { direction: 'RECEIVED', text: 'How much is shipping?', channel: 'FACEBOOK', timestamp: '2017-12-12T18:18:40.000Z' },
      { direction: 'SENT', text: 'Ten dollars.', channel: 'FACEBOOK', timestamp: '2017-12-08T10:12:16.000Z' },
    ],
  },
  metadata: { user_id: USER_ID, account_id: 'FunGuys007' },
};
const PAGES = { data: [{ id: PAGE_ID, name: 'Rainbow Serpent Festival' }, { id: '373479609790958', name: 'Fans of Doing Live Demos' }] };

const send = (id, body) => ({ controller: 'AppUsersController', method: 'createSendMessage', args: [id, body] });
const get = (controller, method, ...args) => ({ controller, method, args });
const provision = (body) => ({ controller: 'ConfigurationController', method: 'createConfigureAccount', args: [body] });
// A body built from the SDK under test (its model classes).
const model = (name, fields, extra) => ({ $model: name, fields, extra });

/**
 * @typedef {{ name: string, call: { controller: string, method: string, args: unknown[] },
 *   reply?: { status: number, body: string, headers?: object } | 'stall' | 'refuse',
 *   config?: { timeout?: number, maxRetries?: number }, waitMs?: number,
 *   wire?: string, fixed?: string, ours?: (obs: any, original: any) => void }} Case
 */

/** @type {Case[]} */
const CASES = [
  // The documented usage of each operation, with the documented example replies.
  { name: 'createSendMessage with a BaseMessageDto', call: send(USER_ID, model('BaseMessageDto', { text: 'Hello', channel: 'facebook' })), reply: json(200, { channel: 'facebook', text: 'Hello' }) },
  { name: 'getAppUserById', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(200, USERS.data[0]) },
  { name: 'getAppUsers', call: get('AppUsersController', 'getAppUsers'), reply: json(200, USERS) },
  { name: 'createConfigureAccount with a ConfigureAccountRequest', call: provision(model('ConfigureAccountRequest', { name: 'Rainbow Serpent Festival', callback_url: 'https://callback.url.com' })), reply: json(200, { name: 'Rainbow Serpent Festival', callback_url: 'https://callback.url.com' }) },
  { name: 'createIntegrateFacebookPage', call: get('FacebookController', 'createIntegrateFacebookPage', PAGE_ID), reply: { status: 200, body: '' } },
  { name: 'createIntegrateFacebookPage with a text reply', call: get('FacebookController', 'createIntegrateFacebookPage', PAGE_ID), reply: { status: 200, body: 'OK, integrated' } },
  { name: 'getFacebookPages', call: get('FacebookController', 'getFacebookPages'), reply: json(200, PAGES) },
  { name: 'getFacebookAuthorisationURL', call: get('FacebookController', 'getFacebookAuthorisationURL'), reply: json(200, { authorisation_url: 'https://www.facebook.com/v2.12/dialog/oauth?client_id=1&state=2' }) },

  // Plain-object bodies with more than the model's fields: sent as given, null keys dropped.
  { name: 'a message with metadata', call: send(USER_ID, { text: 'Hi', channel: 'facebook', metadata: { order: 7, tags: ['a', 'b'] } }), reply: json(200, { channel: 'facebook', text: 'Hi' }) },
  { name: 'a database row as the message', call: send(USER_ID, { id: 12, text: 'Hi', channel: 'facebook', created_at: '2024-01-01', sent: false }), reply: json(200, { channel: 'facebook', text: 'Hi' }) },
  { name: 'a message with an extra null key', call: send(USER_ID, { text: 'Hi', channel: 'facebook', extra: null }), reply: json(200, { channel: 'facebook', text: 'Hi' }), fixed: 'caller-body', ours: (o) => expect(o.bodyAfter, describeBody({ text: 'Hi', channel: 'facebook', extra: null })) },
  { name: 'a message with nested nulls', call: send(USER_ID, { text: 'Hi', channel: 'facebook', metadata: { a: null, b: [1, null], c: { d: null, e: 0 } } }), reply: json(200, { channel: 'facebook', text: 'Hi' }), fixed: 'caller-body', ours: (o) => expect(o.bodyAfter, describeBody({ text: 'Hi', channel: 'facebook', metadata: { a: null, b: [1, null], c: { d: null, e: 0 } } })) },
  { name: 'a BaseMessageDto with an extra property', call: send(USER_ID, model('BaseMessageDto', { text: 'Hi', channel: 'facebook' }, { priority: 'high' })), reply: json(200, { channel: 'facebook', text: 'Hi' }) },
  {
    name: 'a BaseMessageDto without channel reaches the server, whose 400 reaches the callback', call: send(USER_ID, model('BaseMessageDto', { text: 'Hi' })), reply: json(400, { message: 'channel is required' }),
    fixed: 'caller-body',
    ours: (o) => expect(o.bodyAfter, { class: 'BaseMessageDto', keys: [['text', 'Hi'], ['channel', null]] }),
  },
  { name: 'a message without text reaches the server, whose 400 reaches the callback', call: send(USER_ID, { channel: 'facebook' }), reply: json(400, { message: 'text is required' }) },
  { name: 'no message body at all reaches the server', call: send(USER_ID, undefined), reply: json(400, { message: 'no body' }) },
  { name: 'a message body that is a string', call: send(USER_ID, 'Hello'), reply: json(400, { message: 'not an object' }) },
  { name: 'the collection\'s text message', call: send(USER_ID, TEXT), reply: json(200, TEXT), wire: JSON.stringify(TEXT) },
  { name: 'the collection\'s image message as a plain object', call: send(USER_ID, IMAGE), reply: json(200, { channel: 'facebook' }), wire: JSON.stringify(IMAGE) },
  { name: 'the collection\'s buttons message as a plain object', call: send(USER_ID, ACTIONS), reply: json(200, { channel: 'facebook', text: ACTIONS.text }), wire: JSON.stringify(ACTIONS) },
  { name: 'provisioning with snake_case keys and a null key', call: provision({ name: 'N', callback_url: 'https://c.example', extra: null }), reply: json(201, { name: 'N', callback_url: 'https://c.example' }), fixed: 'caller-body', ours: (o) => expect(o.bodyAfter, describeBody({ name: 'N', callback_url: 'https://c.example', extra: null })) },
  { name: 'provisioning with a camelCase callbackUrl', call: provision({ name: 'N', callbackUrl: 'https://c.example' }), reply: json(200, { name: 'N', callback_url: 'https://c.example' }), fixed: 'callbackUrl', ours: (o) => expect(o.requests.map((r) => r.body), [JSON.stringify({ name: 'N', callback_url: 'https://c.example' })]) },
  {
    name: 'a ProvisionAccountRequest', call: provision(model('ProvisionAccountRequest', { name: 'N' })), reply: json(200, { name: 'N' }),
    fixed: 'caller-body',
    ours: (o) => expect(o.bodyAfter, { class: 'ProvisionAccountRequest', keys: [['callbackUrl', null], ['name', 'N']] }),
  },
  {
    name: 'a ProvisionAccountRequest with a callback URL', call: provision(model('ProvisionAccountRequest', { name: 'N', callbackUrl: 'https://c.example' })), reply: json(200, { name: 'N' }),
    fixed: 'callbackUrl',
    ours: (o) => expect(o.requests.map((r) => r.body), [JSON.stringify({ callback_url: 'https://c.example', name: 'N' })]),
  },

  // Results keep what the server sent.
  { name: 'app users with unknown and absent fields', call: get('AppUsersController', 'getAppUsers'), reply: json(200, { data: [{ id: 'a', given_name: 'Ben', profile_pic: 'https://p/1.png' }, { id: 'b', surname: null }], next: 'cursor' }) },
  { name: 'pages with an unknown field', call: get('FacebookController', 'getFacebookPages'), reply: json(200, { data: [{ id: PAGE_ID, name: 'R', category: 'Festival' }] }) },
  { name: 'an app user with an unknown field and an absent one', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(200, { id: USER_ID, surname: 'Sims', profile_pic: 'https://p/1.png' }) },
  { name: 'an app user with null fields', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(200, { id: USER_ID, surname: null, given_name: null }) },
  { name: 'a sent message echoed with an id', call: send(USER_ID, { text: 'Hi', channel: 'facebook' }), reply: json(200, { id: 'm1', channel: 'facebook', text: 'Hi', status: 'queued' }) },
  { name: 'a provisioned account with an unknown field', call: provision({ name: 'N' }), reply: json(200, { name: 'N', account_id: 'acc-1' }) },
  { name: 'an id that is a number (type drift)', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(200, { id: 42, surname: ['S'], given_name: { first: 'B' } }) },
  { name: 'a list that is not a list (type drift)', call: get('AppUsersController', 'getAppUsers'), reply: json(200, { data: 'none' }) },
  { name: 'a JSON null body', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: { status: 200, body: 'null' } },
  { name: 'a JSON array body', call: get('FacebookController', 'getFacebookAuthorisationURL'), reply: { status: 200, body: '[1,2]' } },
  { name: 'a 201 and a 206 are successes too', call: get('FacebookController', 'getFacebookPages'), reply: json(206, PAGES) },
  {
    name: 'messages with metadata', call: get('AppUsersController', 'getAppUserMessages', USER_ID), reply: json(200, { ...MESSAGES, messages: { data: [{ ...MESSAGES.messages.data[0], id: 'm1', media: 'https://i/1.png' }] } }),
    fixed: 'getAppUserMessages',
    ours: (o) => {
      const sent = { ...MESSAGES, messages: { data: [{ ...MESSAGES.messages.data[0], id: 'm1', media: 'https://i/1.png' }] } };
      expect(o.callback.response, { class: 'GetAppUserMessagesResponse', keys: [['messages', describe(sent.messages)], ['metadata', describe(sent.metadata)]] });
    },
  },
  {
    name: 'a 2xx body that is not JSON', call: get('AppUsersController', 'getAppUsers'), reply: { status: 200, body: '<html>maintenance</html>' }, waitMs: 800,
    fixed: 'not-json',
    ours: (o) => {
      expect(o.callback.error.keys.map(([k]) => k), ['errorMessage', 'errorCode', 'errorResponse']);
      expect(o.callback.error.keys.slice(1), [['errorCode', 200], ['errorResponse', '<html>maintenance</html>']]);
      expect(o.promise.state, 'rejected');
    },
  },
  {
    name: 'an empty 2xx body', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: { status: 200, body: '' }, waitMs: 800,
    fixed: 'not-json',
    ours: (o) => expect(o.callback.error.keys.slice(1), [['errorCode', 200], ['errorResponse', '']]),
  },

  // Ids: refused locally only when missing or blank; anything else reaches the server.
  { name: 'a numeric id', call: get('AppUsersController', 'getAppUserById', 123), reply: json(200, { id: '123' }) },
  { name: 'an id with characters to encode', call: get('AppUsersController', 'getAppUserById', 'a/b c?d#é'), reply: json(404, { message: 'no such user' }) },
  { name: 'a page id with a space', call: get('FacebookController', 'createIntegrateFacebookPage', '15 73'), reply: json(400, { message: 'bad page' }) },
  { name: 'a null id', call: send(null, { text: 'Hi', channel: 'facebook' }), reply: json(404, {}), fixed: 'blank-id', ours: refusedLocally('appUserId') },
  { name: 'an empty id', call: get('AppUsersController', 'getAppUserById', ''), reply: json(200, USERS), fixed: 'blank-id', ours: refusedLocally('appUserId') },
  { name: 'a blank id', call: get('AppUsersController', 'getAppUserMessages', '   '), reply: json(404, {}), fixed: 'blank-id', ours: refusedLocally('appUserId') },
  { name: 'an undefined id', call: get('FacebookController', 'createIntegrateFacebookPage', undefined), reply: json(200, ''), fixed: 'blank-id', ours: refusedLocally('facebookPageId') },

  // Errors: the documented messages, errorCode the status, errorResponse the body.
  { name: 'getAppUserById 404', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(404, { message: 'The app user does not exist.' }) },
  { name: 'createSendMessage 404', call: send(USER_ID, { text: 'Hi', channel: 'facebook' }), reply: json(404, { message: 'nope' }) },
  { name: 'createConfigureAccount 400', call: provision({ name: '' }), reply: json(400, { message: 'name is required' }) },
  { name: 'createConfigureAccount 409', call: provision({ name: 'N' }), reply: json(409, { message: 'already provisioned' }) },
  { name: 'getFacebookPages 400', call: get('FacebookController', 'getFacebookPages'), reply: json(400, {}) },
  { name: 'getFacebookAuthorisationURL 400', call: get('FacebookController', 'getFacebookAuthorisationURL'), reply: json(400, {}) },
  { name: 'getAppUsers 400 (undocumented)', call: get('AppUsersController', 'getAppUsers'), reply: { status: 400, body: 'bad' } },
  { name: 'getAppUsers 401', call: get('AppUsersController', 'getAppUsers'), reply: { status: 401, body: '{"message":"unauthorised"}', headers: { 'www-authenticate': 'Basic' } } },
  { name: 'createSendMessage 500', call: send(USER_ID, { text: 'Hi', channel: 'facebook' }), reply: { status: 500, body: 'oops' } },
  { name: 'getAppUsers 500 is not retried', call: get('AppUsersController', 'getAppUsers'), reply: { status: 500, body: 'oops' } },
  { name: 'a 207 is not a success', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: json(207, USERS.data[0]) },
  { name: 'getAppUsers 503 with maxRetries 0', call: get('AppUsersController', 'getAppUsers'), reply: { status: 503, body: 'busy' }, config: { maxRetries: 0 } },
  { name: 'createSendMessage 503 is sent once', call: send(USER_ID, { text: 'Hi', channel: 'facebook' }), reply: { status: 503, body: 'busy' } },
  {
    name: 'getAppUsers 503 is retried', call: get('AppUsersController', 'getAppUsers'), reply: { status: 503, body: 'busy' },
    fixed: 'retries',
    ours: (o, original) => {
      expect(o.requests.length, 3);
      for (const request of o.requests) expect(request, original.requests[0]);
    },
  },

  // Transport: the original had no timeout; ours has one, with a knob (0: none).
  { name: 'a stalled server with timeout 0 (wait forever)', call: get('AppUsersController', 'getAppUsers'), reply: 'stall', config: { timeout: 0, maxRetries: 0 }, waitMs: 600 },
  {
    name: 'a stalled server with a 300 ms timeout', call: get('AppUsersController', 'getAppUsers'), reply: 'stall', config: { timeout: 300, maxRetries: 0 }, waitMs: 1500,
    fixed: 'timeouts',
    ours: (o) => {
      expect(o.promise.state, 'rejected');
      expect(o.callback.error.keys[1], ['errorCode', null]);
      if (!/timed out/.test(o.callback.error.keys[0][1])) throw new Error(`not a timeout: ${o.callback.error.keys[0][1]}`);
    },
  },
  {
    name: 'a refused connection', call: get('AppUsersController', 'getAppUserById', USER_ID), reply: 'refuse', config: { maxRetries: 0 },
    fixed: 'transport-errors',
    ours: (o) => {
      expect(o.callback.error.keys[1], ['errorCode', null]);
      if (!/refused/.test(o.callback.error.keys[0][1])) throw new Error(`not "refused": ${o.callback.error.keys[0][1]}`);
    },
  },
];

/**
 * The README's drop-in differences the cases rely on: which observed parts each changes, and
 * the words the README's drop-in section uses for it (the test checks the README lists each).
 */
const FIXES = {
  'caller-body': { parts: ['bodyAfter'], readme: "caller's object is not changed" },
  callbackUrl: { parts: ['requests', 'context'], readme: '`callbackUrl`' },
  getAppUserMessages: { parts: ['callback', 'promise'], readme: '`getAppUserMessages`' },
  'not-json': { parts: ['callback', 'promise', 'context', 'uncaught'], readme: 'not JSON' },
  'blank-id': { parts: ['sync', 'callback', 'promise', 'context', 'requests'], readme: 'blank id' },
  retries: { parts: ['requests'], readme: 'retried' },
  timeouts: { parts: ['callback', 'promise', 'context'], readme: 'timeout' },
  'transport-errors': { parts: ['callback', 'promise', 'context'], readme: 'what failed' },
};

/** A local refusal: no request, the callback and the promise get the error, errorCode null. */
function refusedLocally(field) {
  return (o) => {
    expect(o.requests, []);
    expect(o.promise.state, 'rejected');
    expect(o.callback.count, 1);
    expect(o.callback.error.keys[1], ['errorCode', null]);
    if (!o.callback.error.keys[0][1].includes(field)) throw new Error(`the message does not name ${field}: ${o.callback.error.keys[0][1]}`);
  };
}

function expect(actual, expected) {
  require('node:assert/strict').deepEqual(actual, expected);
}

/**
 * A value as observed: primitives as they are, undefined as { undefined: true }, arrays item by
 * item, objects as their class name and own enumerable [key, value] pairs in order.
 */
function describe(value, depth = 0) {
  if (value === undefined) return { undefined: true };
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? { function: value.name } : value;
  }
  if (depth > 8) return { deep: true };
  if (Array.isArray(value)) return value.map((item) => describe(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  const cls = proto === null || proto === Object.prototype ? 'Object' : proto.constructor.name;
  return { class: cls, keys: Object.keys(value).map((k) => [k, describe(value[k], depth + 1)]) };
}

/** The caller's body object as it was before the call (what we leave it as). */
function describeBody(body) {
  return describe(body);
}

module.exports = { CASES, FIXES, describe, USER_ID, PAGE_ID };
