'use strict';

// The modern client, ConversationsClient: its public methods, the promise each call returns
// (with `.withResponse()`), and nothing else. Options are checked in options.js; every call runs
// through the pipeline (pipeline.js), as the original SDK's surface (compat.js) does.

const { defaultBaseUrl, engineKind } = require('./engine');
const { MODERN_ENGINE, checkOptions, inBrowser, withEnvironment, idProblem, bodyProblem, explain } = require('./options');
const { createState, perform } = require('./pipeline');
const { watchInbound } = require('./watch');
const { plainHeaders } = require('./errors');

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const utf8 = new TextDecoder();

/**
 * The modern client's per-call context: keeps the final response so that the call's promise can
 * offer `.withResponse()`. The pipeline hands it the response; nothing is copied unless asked.
 */
class ResponseCapture {
  constructor() {
    this.res = null;
  }

  sent() {}

  received(res) {
    this.res = res;
  }

  result(output) {
    return output;
  }

  explain(error) {
    explain(error);
  }
}

/**
 * `{ data, response: { status, headers, body } }` of a settled call (`body` the raw text).
 * @param {ResponseCapture} capture
 */
function withResponse(data, capture) {
  const res = capture.res;
  return { data, response: { status: res.status, headers: plainHeaders(res.headers), body: utf8.decode(res.body) } };
}

/**
 * Starts one modern call: its promise, with `.withResponse()` resolving to the data and the raw
 * response (status, lower-case headers, body text) of the same call. With `problem` (an argument
 * the method refused, options.js), the promise rejects with it and nothing is sent.
 */
function call(state, op, id, body, options, problem) {
  const capture = new ResponseCapture();
  const promise = problem != null ? Promise.reject(problem) : perform(state, op, id, body, options, capture);
  promise.withResponse = () => promise.then((data) => withResponse(data, capture));
  return promise;
}

/**
 * A client for one MessageMedia account. Credentials go straight into the engine and are not
 * kept by the JS object: inspecting or serialising a client shows no secret.
 */
class ConversationsClient {
  #state;

  /**
   * @param {import('../index').ClientOptions} [options]
   * @throws {import('./errors').InvalidInputError} for unknown options, wrong types or a bad baseUrl
   */
  constructor(options) {
    this.#state = createState(withEnvironment(checkOptions(options), inBrowser()), MODERN_ENGINE);
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#state.baseUrl ?? defaultBaseUrl();
  }

  /** The engine in use: `'native'` (the napi addon) or `'wasm'`. */
  get engine() {
    return engineKind();
  }

  /**
   * The I/O this client's calls go through: `'rust'` (the native engine's Rust I/O, Node's
   * default), `'node'` (node:http: the `agent` option, `transport: 'node'`, or where the Rust I/O
   * cannot keep a guarantee — a proxy, the system CA store, an interceptor or a diagnostics
   * subscriber on node:http, the wasm engine) or `'fetch'` (the `fetch` option, browsers).
   */
  get transport() {
    return this.#state.transport.name;
  }

  /**
   * Sends a message to an app user: a text `{ channel, text }`, an image
   * `{ channel, type: 'image', media, text? }`, buttons `{ channel, text, actions: [{ type: 'reply',
   * displayText, responseText }] }` (type 'actions' is implied), or a kind or fields the SDK does
   * not know yet (sent as given; null fields are not sent).
   * @param {string} appUserId
   * @param {import('../index').OutgoingMessage} message
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').SentMessage>}
   */
  sendMessage(appUserId, message, options) {
    return call(this.#state, 'createSendMessage', appUserId, message, options, idProblem(appUserId, 'appUserId', 'sendMessage')
      ?? bodyProblem(message, 'a message', 'sendMessage', "{ channel: 'facebook', text: 'Hello' }"));
  }

  /**
   * Messages sent to and received from an app user, with metadata.
   * @param {string} appUserId
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').MessageList>}
   */
  listMessages(appUserId, options) {
    return call(this.#state, 'getAppUserMessages', appUserId, undefined, options, idProblem(appUserId, 'appUserId', 'listMessages'));
  }

  /**
   * One app user.
   * @param {string} appUserId
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').AppUser>}
   */
  getAppUser(appUserId, options) {
    return call(this.#state, 'getAppUserById', appUserId, undefined, options, idProblem(appUserId, 'appUserId', 'getAppUser'));
  }

  /**
   * The app users of the account.
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').AppUserList>}
   */
  listAppUsers(options) {
    return call(this.#state, 'getAppUsers', undefined, undefined, options);
  }

  /**
   * Configures (provisions) the account for the Conversations API.
   * @param {import('../index').Account} account `{ name, callbackUrl? }`
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').ProvisionedAccount>}
   */
  provisionAccount(account, options) {
    return call(this.#state, 'createConfigureAccount', undefined, account, options,
      bodyProblem(account, 'an account', 'provisionAccount', "{ name: 'My business' }"));
  }

  /**
   * Integrates a Facebook page.
   * @param {string} facebookPageId
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<string>} the server's raw response text (often "")
   */
  integrateFacebookPage(facebookPageId, options) {
    return call(this.#state, 'createIntegrateFacebookPage', facebookPageId, undefined, options, idProblem(facebookPageId, 'facebookPageId', 'integrateFacebookPage'));
  }

  /**
   * Facebook pages of the account.
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').FacebookPageList>}
   */
  listFacebookPages(options) {
    return call(this.#state, 'getFacebookPages', undefined, undefined, options);
  }

  /**
   * The URL where the account owner authorises MessageMedia on Facebook.
   * @param {import('../index').CallOptions} [options]
   * @returns {import('../index').APIPromise<import('../index').FacebookAuthorisation>}
   */
  getFacebookAuthorisationUrl(options) {
    return call(this.#state, 'getFacebookAuthorisationURL', undefined, undefined, options);
  }

  /**
   * New inbound messages as an async iterator, found by polling (no callback URL needed): each
   * poll lists the app users (1 call) and each user's messages (1 call per user); see lib/watch.js.
   * @param {import('../index').WatchInboundOptions} [options] `{ intervalMs = 2000, signal, since = now }`
   * @returns {AsyncGenerator<import('../index').InboundMessage>}
   */
  watchInbound(options) {
    return watchInbound(this, options);
  }

  /**
   * Closes idle keep-alive sockets now and each busy one when its call ends: calls in flight
   * complete normally (abort their `signal` to cancel them). The client stays usable; a later
   * call opens a new connection. Optional: idle sockets never keep the process alive.
   */
  close() {
    this.#state.transport.close();
  }

  toJSON() {
    return { baseUrl: this.baseUrl };
  }

  [INSPECT](depth, opts, inspect) {
    const shown = { baseUrl: this.baseUrl, ...this.#state.policy };
    return `ConversationsClient ${typeof inspect === 'function' ? inspect(shown, opts) : JSON.stringify(shown)}`;
  }
}

module.exports = { ConversationsClient };
