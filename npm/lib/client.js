'use strict';

// The one call pipeline (engine.request → I/O → engine.decode, retries, timeouts, abort) and the
// modern ConversationsClient over it. The compat surface (compat.js) calls `perform` too.

const { getEngine, defaultBaseUrl, engineKind } = require('./engine');
const { MODERN_ENGINE, withEnvironment, idProblem, bodyProblem, explain } = require('./options');
const { watchInbound } = require('./watch');
const { fromInfo, invalidInput, plainHeaders } = require('./errors');
const { Failure, aborted, deadlineExceeded } = require('./failure');
const { onAbort: subscribe } = require('./signal');
// Node's I/O choices; the browser build swaps in transports-browser.js (no node: modules).
const { createTransport } = require('./transports');

// setTimeout fires at once for larger delays; nobody needs an attempt longer than ~24 days.
const MAX_TIMER_MS = 2 ** 31 - 1;
const LEVELS = ['debug', 'info', 'warn', 'error'];

const OPTION_TYPES = {
  username: 'string',
  password: 'string',
  baseUrl: 'string',
  userAgent: 'string',
  timeoutMs: 'number',
  deadlineMs: 'number',
  maxRetries: 'number',
  maxResponseBytes: 'number',
  fetch: 'function',
  agent: 'object',
  logger: 'object',
  ca: 'ca',
  allowBrowserCredentials: 'boolean',
};
// Client option → Engine constructor key (ENGINE.md); the rest are the JS layer's own.
const ENGINE_KEYS = {
  baseUrl: 'baseUrl', username: 'username', password: 'password', userAgent: 'userAgentSuffix',
  maxRetries: 'maxRetries', timeoutMs: 'timeoutMs', deadlineMs: 'deadlineMs', maxResponseBytes: 'maxResponseBytes',
};

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// An unpaired UTF-16 surrogate: the engines receive strings as UTF-8, where it would silently
// become U+FFFD (two different ids or passwords would become one).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` is well-formed UTF-16 (no lone surrogate). */
function wellFormed(text) {
  return typeof text.isWellFormed === 'function' ? text.isWellFormed() : !LONE_SURROGATE.test(text);
}

function surrogateError(field) {
  return invalidInput(`${field} contains a lone surrogate (an unpaired UTF-16 code unit), which cannot be sent `
    + 'without changing it: check how the string was built or decoded', field);
}

function isCa(value) {
  const one = (v) => typeof v === 'string' || v instanceof Uint8Array;
  return one(value) || (Array.isArray(value) && value.every(one));
}

function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalidInput(`options must be an object, got ${typeName(options)}`, 'options');
  }
  for (const name of Object.keys(options)) {
    const want = OPTION_TYPES[name];
    const value = options[name];
    if (want === undefined) {
      throw invalidInput(`unknown option "${name}" (known options: ${Object.keys(OPTION_TYPES).join(', ')})`, name);
    }
    if (value === undefined) continue;
    const ok = want === 'ca' ? isCa(value) : typeName(value) === want;
    if (!ok) {
      const expected = want === 'ca' ? 'a string, Uint8Array or array of them' : `a ${want}`;
      throw invalidInput(`option "${name}" must be ${expected}, got ${typeName(value)}`, name);
    }
    if (want === 'string' && !wellFormed(value)) throw surrogateError(name);
  }
  if (options.logger) {
    for (const level of LEVELS) {
      const fn = options.logger[level];
      if (fn !== undefined && typeof fn !== 'function') {
        throw invalidInput(`option "logger": logger.${level} must be a function, got ${typeName(fn)}`, 'logger');
      }
    }
  }
  if (options.agent && typeof options.agent.addRequest !== 'function') {
    throw invalidInput('option "agent" must be an http.Agent or https.Agent', 'agent');
  }
  if ((options.username !== undefined || options.password !== undefined)
    && options.allowBrowserCredentials !== true && inBrowser()) {
    throw invalidInput('refusing to send Basic credentials from a browser, where anyone who can open the page can read them: '
      + 'point baseUrl at your own backend, which adds them, or pass allowBrowserCredentials: true', 'allowBrowserCredentials');
  }
  return options;
}

// A page or a browser worker (Deno and edge runtimes have neither a document nor importScripts).
// Read at call time: nothing browser-only is touched when the module loads.
function inBrowser() {
  return typeof globalThis.document === 'object' || typeof globalThis.importScripts === 'function';
}

// In a page a relative baseUrl ('/api/conversations', the recommended proxy setup) means the
// page's own origin; core takes absolute URLs only.
function absoluteBaseUrl(baseUrl) {
  const here = globalThis.location;
  if (typeof baseUrl !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(baseUrl) || !here || typeof here.href !== 'string') return baseUrl;
  try {
    return new URL(baseUrl, here.href).href.replace(/\/$/, '');
  } catch {
    return baseUrl;
  }
}

/**
 * Everything one account needs: its engine (which alone holds the credentials), the resolved
 * policy, the I/O, the logger. Used by ConversationsClient and by each compat configuration.
 * @param {object} options checked client options
 * @param {object} [engineExtra] engine configuration the surface adds (options.js MODERN_ENGINE)
 */
function createState(options, engineExtra) {
  const Engine = getEngine();
  const config = { ...engineExtra };
  for (const [name, key] of Object.entries(ENGINE_KEYS)) {
    if (options[name] !== undefined) config[key] = options[name];
  }
  if (config.baseUrl !== undefined) config.baseUrl = absoluteBaseUrl(config.baseUrl);
  let engine;
  try {
    engine = new Engine(config);
  } catch (err) {
    throw invalidInput(`invalid options: ${err.message}`, 'options');
  }
  const problem = engine.configError();
  if (problem !== null && problem !== undefined) throw fromInfo(problem);
  return {
    engine,
    policy: engine.policy(),
    // Per-operation { method, headers } from the engine's optional fast path (see buildRequest).
    heads: typeof engine.requestLine === 'function' && typeof engine.requestHead === 'function' ? new Map() : null,
    transport: createTransport(options, engine),
    logger: options.logger ?? null,
    baseUrl: options.baseUrl,
  };
}

function emit(logger, level, message, fields) {
  const fn = logger[level];
  if (typeof fn !== 'function') return;
  try {
    fn.call(logger, message, fields);
  } catch {
    // A broken logger must not break the call.
  }
}

function sleep(ms, signal, req) {
  return new Promise((resolve, reject) => {
    if (signal === null) {
      setTimeout(resolve, ms);
      return;
    }
    // One listener per signal however many calls share it (signal.js).
    const unsubscribe = subscribe(signal, () => {
      clearTimeout(timer);
      reject(aborted(req.method, req.url, signal.reason));
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
  });
}

function checkCallOptions(call) {
  if (call === undefined || call === null) return null;
  if (typeof call !== 'object') throw invalidInput(`call options must be an object, got ${typeName(call)}`, 'options');
  for (const name of Object.keys(call)) {
    if (name !== 'signal' && name !== 'timeoutMs') {
      throw invalidInput(`unknown call option "${name}" (known: signal, timeoutMs)`, name);
    }
  }
  const { signal, timeoutMs } = call;
  if (signal !== undefined && signal !== null
    && (typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || !('aborted' in signal))) {
    throw invalidInput('call option "signal" must be an AbortSignal', 'signal');
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw invalidInput(`call option "timeoutMs" must be a positive number, got ${typeName(timeoutMs)} ${String(timeoutMs)}`, 'timeoutMs');
  }
  return call;
}

/**
 * engine.request(), or the same request from the engine's fast path when it has one: an
 * operation's method and headers never change for one engine, so they are fetched once; per call
 * only one string (the URL, then '\n' and the body) crosses from the engine (ENGINE.md).
 */
function buildRequest(state, op, idText, bodyJson, passthrough) {
  const { engine, heads } = state;
  if (heads === null) return passthrough ? engine.request(op, idText, bodyJson, true) : engine.request(op, idText, bodyJson);
  let head = heads.get(op);
  // The engine is a pure function of its config and the arguments: an operation without
  // arguments (listAppUsers, ...) has one request line, asked for once.
  const constant = idText === null && bodyJson === null;
  let line = constant && head !== undefined ? head.line : undefined;
  if (line === undefined) {
    // Three arguments unless passing through: the engine reads a 4th only when it is there.
    line = passthrough ? engine.requestLine(op, idText, bodyJson, true) : engine.requestLine(op, idText, bodyJson);
    if (line.charCodeAt(0) === 123) return JSON.parse(line); // '{': the { error } envelope
  }
  if (head === undefined) {
    head = engine.requestHead(op);
    if (head.error !== undefined && head.error !== null) return head;
    head = { method: head.method, headers: Object.freeze({ ...head.headers }), line: undefined };
    heads.set(op, head);
  }
  if (constant) head.line = line;
  const nl = line.indexOf('\n');
  // The shared (frozen) headers only for a transport that just reads them; a custom fetch gets
  // its own copy, which it may add to.
  const headers = state.transport.readsHeadersOnly === true ? head.headers : { ...head.headers };
  return nl < 0
    ? { method: head.method, url: line, headers, body: null }
    : { method: head.method, url: line.slice(0, nl), headers, body: line.slice(nl + 1) };
}

/**
 * Runs one operation: builds the request, sends it, decodes the response, retries as the engine
 * decides. Resolves with the engine's OUTPUT; rejects with a ConversationsError.
 * @param {ReturnType<typeof createState>} state
 * @param {string} op operation id (ENGINE.md)
 * @param {unknown} id path parameter, or undefined
 * @param {unknown} body request body (model instance or plain object), or undefined
 * @param {{ signal?: AbortSignal, timeoutMs?: number } | null | undefined} callOptions
 * @param {{ sent(req: object): void, received(res: object): void, result(output: unknown): unknown,
 *   passthrough?: boolean, parse?(res: { status: number, headers: object, body: Uint8Array }): unknown } | null} ctx
 *   the compat surface's per-call hooks (compat.js): told the request and the final response, and
 *   shaping the output into what the call resolves with (in the same step: no extra promise).
 *   With `passthrough: true`, `body` is the JSON text to send exactly as given (or undefined/null
 *   for none) and the engine checks only the id (ENGINE.md, `request`). With `parse`, a 2xx
 *   response is handed to it instead of the engine's decode, and the call resolves with what it
 *   returns (it may throw a ConversationsError); other statuses still get the engine's errors.
 */
async function perform(state, op, id, body, callOptions, ctx) {
  const call = checkCallOptions(callOptions);
  const signal = call?.signal ?? null;
  const { engine, policy, transport, logger } = state;
  const timeoutMs = Math.min(call?.timeoutMs ?? policy.timeoutMs, MAX_TIMER_MS);

  // Ids are strings; numbers are accepted as the original SDK did. Anything else goes to the
  // engine as "missing" so it names the field in its invalid_input error.
  const idText = typeof id === 'string' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
  const passthrough = ctx !== null && ctx.passthrough === true;
  let bodyJson = null;
  if (passthrough) {
    if (body !== undefined && body !== null) {
      if (typeof body !== 'string') throw invalidInput('a passthrough body must be JSON text', 'body');
      bodyJson = body;
    }
  } else if (body !== undefined && body !== null) {
    try {
      // JSON.stringify(x) is JSON.stringify(x.toJSON('')) when x has a toJSON (a model
      // instance); called here, the serialiser keeps its fast path instead of calling back into JS.
      bodyJson = JSON.stringify(typeof body.toJSON === 'function' ? body.toJSON('') : body);
    } catch (err) {
      throw invalidInput(`body cannot be serialised as JSON: ${err.message}`, 'body');
    }
  }
  if (idText !== null && !wellFormed(idText)) {
    // The engine names the path parameter (appUserId, facebookPageId): ask it, as for a missing id.
    const missing = buildRequest(state, op, null, bodyJson, passthrough);
    throw surrogateError(missing.error?.field ?? 'id');
  }
  const req = buildRequest(state, op, idText, bodyJson, passthrough);
  if (req.error !== undefined && req.error !== null) throw fromInfo(req.error);
  if (ctx !== null) ctx.sent(req);
  if (signal !== null && signal.aborted) throw aborted(req.method, req.url, signal.reason).error;
  if (transport.call !== undefined) return performWhole(state, op, idText, bodyJson, req, signal, timeoutMs, ctx, passthrough);

  // The call's start on the monotonic clock. performance.now() costs Node 20 about 1.6k
  // instructions (a few % of a keep-alive call), so with a transport that reports when each
  // attempt started, and no logger to time, it is taken from the first attempt instead.
  let started = transport.timesAttempts === true && logger === null ? -1 : performance.now();
  for (let attempt = 1; ; attempt++) {
    const budget = started < 0 ? Math.min(timeoutMs, policy.deadlineMs)
      : Math.min(timeoutMs, policy.deadlineMs - (performance.now() - started));
    if (budget <= 0) {
      throw deadlineExceeded(req.method, req.url, policy.deadlineMs);
    }
    if (logger !== null) emit(logger, 'debug', 'conversations: request', { op, method: req.method, url: req.url, attempt });
    let res = null;
    let failure = null;
    try {
      res = await transport.send(req, Math.ceil(budget), signal, policy.maxResponseBytes);
    } catch (err) {
      if (!(err instanceof Failure)) throw err;
      failure = err;
    }
    if (started < 0) started = res !== null ? res.started : failure.started;
    let error;
    let delay;
    if (res !== null) {
      const decoded = decodeResponse(state, op, req, res, ctx, attempt, started);
      if (decoded.error === undefined) return decoded.value;
      error = decoded.error;
      // Only an API status can be worth another attempt; a body that does not decode will not improve.
      delay = error.code !== 'api' ? -1
        : engine.retryDelay(op, attempt, 'status', res.status, res.headers['retry-after'] ?? null,
          performance.now() - started, Date.now(), Math.random());
    } else {
      error = failure.error;
      delay = failure.outcome === 'aborted' || failure.outcome === 'fatal' ? -1
        : engine.retryDelay(op, attempt, failure.outcome, 0, null, performance.now() - started, Date.now(), Math.random());
    }
    if (delay < 0) {
      if (logger !== null) logFailure(logger, op, req, error, attempt, started);
      throw error;
    }
    if (logger !== null) {
      emit(logger, 'warn', 'conversations: retrying', {
        op, method: req.method, url: req.url, attempt, code: error.code, status: error.status, delayMs: delay,
      });
    }
    try {
      await sleep(delay, signal, req);
    } catch (err) {
      throw err instanceof Failure ? err.error : err;
    }
  }
}

/**
 * perform() over a transport that runs the whole call itself (the wasm engine's `execute`): the
 * same logger events, compat context, decoding and errors as the loop above, from what the
 * engine reports after each attempt.
 */
async function performWhole(state, op, idText, bodyJson, req, signal, timeoutMs, ctx, passthrough) {
  const { policy, transport, logger } = state;
  const started = performance.now();
  const where = { op, method: req.method, url: req.url };
  const onAttempt = logger === null ? null : ({ attempt, status, error, delayMs }) => {
    emit(logger, 'debug', 'conversations: request', { ...where, attempt });
    if (delayMs >= 0) {
      emit(logger, 'warn', 'conversations: retrying', {
        ...where, attempt, code: error === null ? 'api' : error.code, status: error === null ? status : error.status, delayMs,
      });
    }
  };
  const { res, error: failed, attempts } = await transport.call(op, idText, bodyJson, req, signal, timeoutMs, policy, onAttempt, passthrough);
  let error = failed;
  if (res !== undefined) {
    const decoded = decodeResponse(state, op, req, res, ctx, attempts, started);
    if (decoded.error === undefined) return decoded.value;
    error = decoded.error;
  }
  if (logger !== null && attempts > 0) logFailure(logger, op, req, error, attempts, started);
  throw error;
}

/**
 * Decodes a final response (filling the compat context) and logs a success: `{ value }`, or
 * `{ error }` with the typed error for a status or a body that does not decode.
 */
function decodeResponse(state, op, req, res, ctx, attempt, started) {
  let decoded;
  if (ctx !== null) {
    ctx.received(res);
    if (ctx.parse !== undefined && res.status >= 200 && res.status < 300) decoded = { ok: ctx.parse(res), parsed: true };
  }
  if (decoded === undefined) decoded = JSON.parse(state.engine.decode(op, res.status, res.body));
  // An error about a response carries its headers (request ids, rate limits).
  if (decoded.error !== undefined && decoded.error !== null) {
    const error = fromInfo(decoded.error, undefined, plainHeaders(res.headers));
    if (ctx !== null && ctx.explain !== undefined) ctx.explain(error);
    return { error };
  }
  if (state.logger !== null) {
    emit(state.logger, 'info', 'conversations: response', {
      op, method: req.method, url: req.url, status: res.status, attempt, durationMs: Math.round(performance.now() - started),
    });
  }
  return { value: ctx === null || decoded.parsed === true ? decoded.ok : ctx.result(decoded.ok) };
}

function logFailure(logger, op, req, error, attempt, started) {
  emit(logger, 'error', 'conversations: failed', {
    op, method: req.method, url: req.url, code: error.code, status: error.status, attempt,
    durationMs: Math.round(performance.now() - started), message: error.message,
  });
}

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

module.exports = { ConversationsClient, createState, checkOptions, perform };
