'use strict';

// The original SDK's surface (drop-in): a global mutable Configuration, three controller
// classes whose static methods take an optional callback(error, response, context) AND return a
// Promise, and model-class results. A thin veneer over the pipeline in client.js: bodies go out
// as the original sent them (the engine's passthrough mode: only the id is checked), 2xx bodies
// are JSON.parsed here as the original did, and errors come from the engine's decode.

const { defaultBaseUrl } = require('./engine');
const { checkOptions } = require('./options');
const { createState, perform } = require('./pipeline');
const { invalidInput, fromInfo } = require('./errors');
const { models, wireBody, mapResult } = require('./models');

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
// The two knobs the original lacked (it never retried and never timed out).
const DEFAULT_TIMEOUT_MS = 30000;
const DEFAULT_MAX_RETRIES = 2;
let timeout = DEFAULT_TIMEOUT_MS;
let maxRetries = DEFAULT_MAX_RETRIES;
// setTimeout's longest delay: "no timeout" for one attempt.
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  /**
   * Milliseconds each attempt may take (connecting, headers and whole body), default 30000;
   * 0 waits forever, as the original did. Setting null/undefined restores the default.
   */
  timeout: {
    enumerable: true,
    get: () => timeout,
    set: (value) => { timeout = value ?? DEFAULT_TIMEOUT_MS; },
  },
  /**
   * How many times a GET (or a request that provably never left) is tried again after a
   * timeout, a broken connection, 429, 502, 503 or 504; default 2; 0 sends each call once, as
   * the original did. A POST that may have reached the server is never repeated.
   */
  maxRetries: {
    enumerable: true,
    get: () => maxRetries,
    set: (value) => { maxRetries = value ?? DEFAULT_MAX_RETRIES; },
  },
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
        timeout,
        maxRetries,
      };
      return typeof inspect === 'function' ? inspect(shown, opts) : JSON.stringify(shown);
    },
  },
});

/**
 * The original exported its logging setup as `Logger` (a class whose static `LogConfig()`
 * pointed winston at the console and `logfile.log`). This one logs nothing and writes no file
 * unless you give its methods bodies (e.g. `lib.Logger.warn = console.warn`); compat calls
 * report redacted events to it.
 */
class Logger {
  /** Kept so code that calls it runs; it changes nothing (no console output, no log file). */
  static LogConfig() {}

  /** @param {string} message @param {object} [fields] */
  static debug() {}

  /** @param {string} message @param {object} [fields] */
  static info() {}

  /** @param {string} message @param {object} [fields] */
  static warn() {}

  /** @param {string} message @param {object} [fields] */
  static error() {}
}
const LEVELS = ['debug', 'info', 'warn', 'error'];
const QUIET = Object.fromEntries(LEVELS.map((level) => [level, Logger[level]]));

/** Whether any Logger method was given a body: otherwise calls build no log events at all. */
function loggerActive() {
  for (const level of LEVELS) if (Logger[level] !== QUIET[level]) return true;
  return false;
}

// One engine per (BASEURI, user, password, timeout, maxRetries); a few are kept for processes that switch accounts.
const states = new Map();
const MAX_STATES = 8;

// The last lookup, so steady traffic skips building the key (a JSON.stringify per call).
let last = {
  baseUri: undefined, user: undefined, password: undefined, timeout, maxRetries, key: '', state: undefined,
};

/** The engine options of the two knobs, or a clear error for a value no engine takes. */
function policyOptions() {
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw invalidInput(`Configuration.timeout must be a number of milliseconds (0: no timeout), got ${String(timeout)}`, 'timeout');
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 100) {
    throw invalidInput(`Configuration.maxRetries must be a whole number from 0 to 100, got ${String(maxRetries)}`, 'maxRetries');
  }
  const timeoutMs = timeout === 0 ? MAX_TIMER_MS : Math.max(1, Math.min(Math.ceil(timeout), MAX_TIMER_MS));
  // The whole call (retries and waits included) may take each attempt's time plus the longest
  // backoff (5 s) per attempt, and never less than the modern client's 60 s.
  const deadlineMs = timeout === 0 ? 1e10 : Math.max(60000, (timeoutMs + 5000) * (maxRetries + 1));
  return { timeoutMs, deadlineMs, maxRetries };
}

function currentState() {
  const user = Configuration.basicAuthUserName;
  if (last.state !== undefined && last.baseUri === baseUri && last.user === user && last.password === password
    && last.timeout === timeout && last.maxRetries === maxRetries && states.get(last.key) === last.state) {
    return last.state;
  }
  const policy = policyOptions();
  const key = JSON.stringify([baseUri ?? null, user ?? null, password ?? null, policy.timeoutMs, policy.maxRetries]);
  let state = states.get(key);
  if (state === undefined) {
    state = createState(checkOptions({
      baseUrl: baseUri, username: Configuration.basicAuthUserName, password, ...policy,
    }));
    if (states.size >= MAX_STATES) {
      const [oldest] = states.keys();
      states.get(oldest).transport.close();
      states.delete(oldest);
    }
    states.set(key, state);
  }
  last = { baseUri, user, password, timeout, maxRetries, key, state };
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
  #op;

  /**
   * @param {string} op the operation
   * @param {(parsed: any) => unknown} shape turns the parsed 2xx body into the original's response
   */
  constructor(op, shape) {
    this.#op = op;
    this.#shape = shape;
  }

  /** The pipeline sends this call's body (JSON text) as given: the engine checks only the id. */
  get passthrough() {
    return true;
  }

  /**
   * A 2xx response as the original read it: a 200–206 body is JSON.parsed here (the raw text for
   * createIntegrateFacebookPage), so values of any type pass as sent, and shaped into the
   * original's model; only a body that is not JSON is a DecodeError. The original took 207–299
   * as "HTTP Response Not OK". (Other statuses get the engine's errors: documented messages.)
   * @param {{ status: number, body: Uint8Array }} res
   */
  parse(res) {
    const { status } = res;
    const text = utf8.decode(res.body);
    if (status > 206) throw fromInfo({ code: 'api', status, message: 'HTTP Response Not OK', body: text });
    if (this.#op === 'createIntegrateFacebookPage') return text;
    let json;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw fromInfo({ code: 'decode', status, message: `response body is not JSON: ${err.message}`, body: text });
    }
    return this.#shape(json);
  }

  result(output) {
    // Only reached without parse (not used by compat calls): the engine's OUTPUT as is.
    return output;
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

/** How each operation's parsed 2xx body becomes the original's response value. */
const RESULTS = {
  createSendMessage: (json) => mapResult(models.SendMessageResponse, json),
  // The original mapped this to a model without the API's fields (always empty): fixed.
  getAppUserMessages: (json) => mapResult(models.GetAppUserMessagesResponse, json),
  getAppUserById: (json) => mapResult(models.GetAppUserByIdResponse, json),
  getAppUsers: (json) => mapResult(models.GetAppUsersResponse, json),
  createConfigureAccount: (json) => mapResult(models.ConfigureAccountResponse, json),
  createIntegrateFacebookPage: (text) => text,
  getFacebookPages: (json) => mapResult(models.GetFacebookPagesResponse, json),
  getFacebookAuthorisationURL: (json) => mapResult(models.GetFacebookAuthorisationURLResponse, json),
};

/** The body model of the operations that send one (for its top-level camelCase names). */
const BODY_MODEL = {
  createSendMessage: models.BaseMessageDto,
  createConfigureAccount: models.ConfigureAccountRequest,
};

function deliver(callback, error, response, context) {
  try {
    callback(error, response, context);
  } catch (err) {
    // A throwing callback surfaces like any Node callback's would, not as a silent rejection.
    queueMicrotask(() => { throw err; });
  }
}

/**
 * The JSON text sent for `body` (see wireBody), or undefined for no body (as the original sent
 * none for an undefined body).
 */
function bodyText(op, body) {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(wireBody(body, BODY_MODEL[op]));
  } catch (err) {
    throw invalidInput(`body cannot be serialised as JSON: ${err.message}`, 'body');
  }
}

/**
 * The path parameter as the original put it in the URL (its text: numbers and other values
 * reach the server); null and undefined stay missing, so the engine refuses them (and blank ones).
 */
function idText(id) {
  return id === null || id === undefined || typeof id === 'string' ? id : String(id);
}

function invoke(op, id, body, callback) {
  const context = new CallContext(op, RESULTS[op]);
  let promise;
  try {
    promise = perform(callState(), op, idText(id), bodyText(op, body), null, context);
  } catch (err) {
    // callState() throws for a Configuration no engine accepts, bodyText for a body that is not
    // JSON-serialisable: a rejection, like any failure.
    promise = Promise.reject(err);
  }
  if (typeof callback === 'function') {
    // These handlers also mark `promise` as handled, so callback-only callers never see an
    // unhandled rejection; callers who await `promise` still get the rejection.
    promise.then((response) => deliver(callback, null, response, context), (error) => deliver(callback, error, null, context));
  }
  return promise;
}

/** The original's AppUsersController: messages and app users. */
class AppUsersController {
  /**
   * POSTs a message to an app user; the body (a BaseMessageDto or a plain object: text, image,
   * actions, ...) is sent as given, null keys dropped.
   * @param {string} appUserId
   * @param {object} body
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static createSendMessage(appUserId, body, callback) {
    return invoke('createSendMessage', appUserId, body, callback);
  }

  /**
   * Messages of an app user: `{ messages, metadata }` as the server sent them.
   * @param {string} appUserId
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static getAppUserMessages(appUserId, callback) {
    return invoke('getAppUserMessages', appUserId, undefined, callback);
  }

  /**
   * One app user.
   * @param {string} appUserId
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static getAppUserById(appUserId, callback) {
    return invoke('getAppUserById', appUserId, undefined, callback);
  }

  /**
   * The account's app users (list items as received).
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static getAppUsers(callback) {
    return invoke('getAppUsers', undefined, undefined, callback);
  }
}

/** The original's ConfigurationController: provisioning. */
class ConfigurationController {
  /**
   * Provisions the account.
   * @param {object} body a ConfigureAccountRequest or a plain object
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static createConfigureAccount(body, callback) {
    return invoke('createConfigureAccount', undefined, body, callback);
  }
}

/** The original's FacebookController: authorisation and pages. */
class FacebookController {
  /**
   * Integrates a Facebook page; the response is the raw body text.
   * @param {string} facebookPageId
   * @param {(error: object | null, response: string | null, context: object) => void} [callback]
   * @returns {Promise<string>}
   */
  static createIntegrateFacebookPage(facebookPageId, callback) {
    return invoke('createIntegrateFacebookPage', facebookPageId, undefined, callback);
  }

  /**
   * The account's Facebook pages (list items as received).
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static getFacebookPages(callback) {
    return invoke('getFacebookPages', undefined, undefined, callback);
  }

  /**
   * The Facebook authorisation URL.
   * @param {(error: object | null, response: object | null, context: object) => void} [callback]
   * @returns {Promise<object>}
   */
  static getFacebookAuthorisationURL(callback) {
    return invoke('getFacebookAuthorisationURL', undefined, undefined, callback);
  }
}

module.exports = { Configuration, Logger, AppUsersController, ConfigurationController, FacebookController };
