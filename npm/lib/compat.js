'use strict';

// The original SDK's surface (drop-in): a global mutable Configuration, three controller
// singletons whose methods take an optional callback(error, response, context) AND return a
// Promise, and model-class results. A thin veneer over the pipeline in client.js.

const { defaultBaseUrl } = require('./engine');
const { checkOptions, createState, perform } = require('./client');
const { models, toWire } = require('./models');

let baseUri;

// Reading the default needs the engine; without one, calls report the real problem.
function defaultOrUndefined() {
  try {
    return defaultBaseUrl();
  } catch {
    return undefined;
  }
}
let password;
/** Global settings, read on every call (as the original did). */
const Configuration = {};
Object.defineProperties(Configuration, {
  /** Base URI; reads as the engine's default until set. Setting null/undefined/'' restores it. */
  BASEURI: {
    enumerable: true,
    get: () => baseUri ?? defaultOrUndefined(),
    set: (value) => { baseUri = value === null || value === '' ? undefined : value; },
  },
  basicAuthUserName: { enumerable: true, writable: true, value: undefined },
  // An accessor kept out of enumeration so console.log(lib.Configuration) does not print it.
  basicAuthPassword: {
    enumerable: false,
    get: () => password,
    set: (value) => { password = value; },
  },
  // Even util.inspect with { showHidden, getters } (which evaluates the accessor) shows it redacted.
  [Symbol.for('nodejs.util.inspect.custom')]: {
    enumerable: false,
    value(depth, opts, inspect) {
      const shown = {
        BASEURI: Configuration.BASEURI,
        basicAuthUserName: Configuration.basicAuthUserName,
        basicAuthPassword: password === undefined ? undefined : '[redacted]',
      };
      return typeof inspect === 'function' ? inspect(shown, opts) : JSON.stringify(shown);
    },
  },
});

/**
 * The original exported a Logger; this one does nothing unless you give its methods bodies
 * (e.g. `lib.Logger.warn = console.warn`). Compat calls report redacted events to it.
 */
const Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
const QUIET = { ...Logger };
const LEVELS = Object.keys(QUIET);

/** Whether any Logger method was given a body: otherwise calls build no log events at all. */
function loggerActive() {
  for (const level of LEVELS) if (Logger[level] !== QUIET[level]) return true;
  return false;
}

// One engine per (BASEURI, user, password); a few are kept for processes that switch accounts.
const states = new Map();
const MAX_STATES = 8;

// The last lookup, so steady traffic skips building the key (a JSON.stringify per call).
let last = { baseUri: undefined, user: undefined, password: undefined, key: '', state: undefined };

function currentState() {
  const user = Configuration.basicAuthUserName;
  if (last.state !== undefined && last.baseUri === baseUri && last.user === user && last.password === password
    && states.get(last.key) === last.state) {
    return last.state;
  }
  const key = JSON.stringify([baseUri ?? null, user ?? null, password ?? null]);
  let state = states.get(key);
  if (state === undefined) {
    state = createState(checkOptions({
      baseUrl: baseUri, username: Configuration.basicAuthUserName, password, logger: Logger,
    }));
    if (states.size >= MAX_STATES) {
      const [oldest] = states.keys();
      states.get(oldest).transport.close();
      states.delete(oldest);
    }
    states.set(key, state);
  }
  last = { baseUri, user, password, key, state };
  return state;
}

/** The state for this call: its account's, logging only when Logger has been given a body. */
function callState() {
  const state = currentState();
  state.logger = loggerActive() ? Logger : null;
  return state;
}

// Header values never shown (context.request): transport-level secrets.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const utf8 = new TextDecoder();
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The original's per-call context `{ request, response }`. The pipeline hands it the request and
 * the final response; the views are built when first read (most callers never look), then kept.
 */
class CallContext {
  #req = null;
  #res = null;
  #request;
  #response;
  #shape;

  /** @param {(output: any) => unknown} shape turns the engine's OUTPUT into the original's response */
  constructor(shape) {
    this.#shape = shape;
  }

  result(output) {
    return this.#shape(output);
  }

  sent(req) {
    this.#req = req;
  }

  received(res) {
    this.#res = res;
  }

  /** `{ method, url, queryUrl, headers, body }` as sent, credentials redacted; null before sending. */
  get request() {
    if (this.#request !== undefined || this.#req === null) return this.#request ?? null;
    const req = this.#req;
    const headers = {};
    for (const name of Object.keys(req.headers)) {
      headers[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : req.headers[name];
    }
    this.#request = { method: req.method, url: req.url, queryUrl: req.url, headers, body: req.body };
    return this.#request;
  }

  /** `{ statusCode, headers, body }` of the final response (body as text); nulls without one. */
  get response() {
    if (this.#response === undefined) {
      const res = this.#res;
      this.#response = res === null ? { statusCode: null, headers: {}, body: null }
        : { statusCode: res.status, headers: res.headers, body: utf8.decode(res.body) };
    }
    return this.#response;
  }

  toJSON() {
    return { request: this.request, response: this.response };
  }

  [INSPECT](depth, opts, inspect) {
    return typeof inspect === 'function' ? inspect(this.toJSON(), opts) : JSON.stringify(this);
  }
}

const wireData = (out) => ({ data: out.data.map(toWire) });

/** How each operation's OUTPUT (ENGINE.md) becomes the original's response value. */
const RESULTS = {
  createSendMessage: (out) => new models.SendMessageResponse(out),
  getAppUserMessages: (out) => new models.GetAppUserMessagesResponse({
    messages: new models.MessagesDto({ data: out.messages.data.map((m) => new models.MessageDto(m)) }),
    metadata: out.metadata,
  }),
  getAppUserById: (out) => new models.GetAppUserByIdResponse(out),
  // List items stay as received on the wire (snake_case), as the original returned them.
  getAppUsers: (out) => new models.GetAppUsersResponse(wireData(out)),
  createConfigureAccount: (out) => new models.ConfigureAccountResponse(out),
  createIntegrateFacebookPage: (out) => out,
  getFacebookPages: (out) => new models.GetFacebookPagesResponse(wireData(out)),
  getFacebookAuthorisationURL: (out) => new models.GetFacebookAuthorisationURLResponse(out),
};

function deliver(callback, error, response, context) {
  try {
    callback(error, response, context);
  } catch (err) {
    // A throwing callback surfaces like any Node callback's would, not as a silent rejection.
    queueMicrotask(() => { throw err; });
  }
}

function invoke(op, id, body, callback) {
  const context = new CallContext(RESULTS[op]);
  let promise;
  try {
    promise = perform(callState(), op, id, body, null, context);
  } catch (err) {
    // callState() throws for a Configuration no engine accepts: a rejection, like any failure.
    promise = Promise.reject(err);
  }
  if (typeof callback === 'function') {
    // These handlers also mark `promise` as handled, so callback-only callers never see an
    // unhandled rejection; callers who await `promise` still get the rejection.
    promise.then((response) => deliver(callback, null, response, context), (error) => deliver(callback, error, null, context));
  }
  return promise;
}

const AppUsersController = {
  /** POST a message to an app user. */
  createSendMessage: (appUserId, body, callback) => invoke('createSendMessage', appUserId, body, callback),
  /** Messages of an app user, with metadata. */
  getAppUserMessages: (appUserId, callback) => invoke('getAppUserMessages', appUserId, undefined, callback),
  /** One app user. */
  getAppUserById: (appUserId, callback) => invoke('getAppUserById', appUserId, undefined, callback),
  /** The account's app users. */
  getAppUsers: (callback) => invoke('getAppUsers', undefined, undefined, callback),
};

const ConfigurationController = {
  /** Provisions the account. */
  createConfigureAccount: (body, callback) => invoke('createConfigureAccount', undefined, body, callback),
};

const FacebookController = {
  /** Integrates a Facebook page; the response is the raw body text. */
  createIntegrateFacebookPage: (facebookPageId, callback) => invoke('createIntegrateFacebookPage', facebookPageId, undefined, callback),
  /** The account's Facebook pages. */
  getFacebookPages: (callback) => invoke('getFacebookPages', undefined, undefined, callback),
  /** The Facebook authorisation URL. */
  getFacebookAuthorisationURL: (callback) => invoke('getFacebookAuthorisationURL', undefined, undefined, callback),
};

module.exports = { Configuration, Logger, AppUsersController, ConfigurationController, FacebookController };
