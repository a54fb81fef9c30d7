'use strict';

// The one call pipeline: engine.request → I/O → engine.decode, with every decision about what
// follows an attempt (another one after a wait, with which budget, or the end of the call) taken
// by the engine (core's call machine, ENGINE.md `after`). This file only carries the steps out:
// it sends, sleeps, logs, and words the errors. Both surfaces call `perform`: the modern client
// (client.js) and the original SDK's (compat.js).

const { getEngine } = require('./engine');
const { checkCallOptions, engineConfig, wellFormed, surrogateError } = require('./options');
const { fromInfo, invalidInput, plainHeaders } = require('./errors');
const { Failure, aborted, deadlineExceeded } = require('./failure');
const { onAbort: subscribe } = require('./signal');
// Node's I/O choices; the browser build swaps in transports-browser.js (no node: modules).
const { createTransport } = require('./transports');

// setTimeout fires at once for larger delays; nobody needs an attempt longer than ~24 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Everything one account needs: its engine (which alone holds the credentials), the resolved
 * policy, the I/O, the logger. Used by ConversationsClient and by each compat configuration.
 * @param {object} options checked client options
 * @param {object} [engineExtra] engine configuration the surface adds (options.js MODERN_ENGINE)
 */
function createState(options, engineExtra) {
  const Engine = getEngine();
  let engine;
  try {
    engine = new Engine(engineConfig(options, engineExtra));
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

/** The body as the JSON text the engine takes, or null for none. */
function bodyText(body, passthrough) {
  if (body === undefined || body === null) return null;
  if (passthrough) {
    if (typeof body !== 'string') throw invalidInput('a passthrough body must be JSON text', 'body');
    return body;
  }
  try {
    // JSON.stringify(x) is JSON.stringify(x.toJSON('')) when x has a toJSON (a model
    // instance); called here, the serialiser keeps its fast path instead of calling back into JS.
    return JSON.stringify(typeof body.toJSON === 'function' ? body.toJSON('') : body);
  } catch (err) {
    throw invalidInput(`body cannot be serialised as JSON: ${err.message}`, 'body');
  }
}

/**
 * Runs one operation: builds the request, sends it, decodes the response, and does what the
 * engine says after an attempt that did not end the call well. Resolves with the engine's
 * OUTPUT; rejects with a ConversationsError.
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
  const options = checkCallOptions(callOptions);
  const signal = options?.signal ?? null;
  const { engine, policy, transport, logger } = state;
  // The call's own per-attempt timeout, if any: the engine turns it into attempt budgets.
  const timeoutMs = options?.timeoutMs;

  // Ids are strings; numbers are accepted as the original SDK did. Anything else goes to the
  // engine as "missing" so it names the field in its invalid_input error.
  const idText = typeof id === 'string' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
  const passthrough = ctx !== null && ctx.passthrough === true;
  const bodyJson = bodyText(body, passthrough);
  if (idText !== null && !wellFormed(idText)) {
    // The engine names the path parameter (appUserId, facebookPageId): ask it, as for a missing id.
    const missing = buildRequest(state, op, null, bodyJson, passthrough);
    throw surrogateError(missing.error?.field ?? 'id');
  }
  const req = buildRequest(state, op, idText, bodyJson, passthrough);
  if (req.error !== undefined && req.error !== null) throw fromInfo(req.error);
  if (ctx !== null) ctx.sent(req);
  if (signal !== null && signal.aborted) throw aborted(req.method, req.url, signal.reason).error;
  if (transport.call !== undefined) {
    return performWhole({ state, op, id: idText, bodyJson, req, signal, timeoutMs, ctx, passthrough });
  }

  // The call's start on the monotonic clock. performance.now() costs Node 20 about 1.6k
  // instructions (a few % of a keep-alive call), so with a transport that reports when each
  // attempt started, and no logger to time, it is taken from the first attempt instead.
  let started = transport.timesAttempts === true && logger === null ? -1 : performance.now();
  // The first attempt's budget is the engine's (policy().budgetMs, or asked for a call with its
  // own timeout); every later one comes with the engine's decision to retry.
  let budget = timeoutMs === undefined ? policy.budgetMs : engine.budget(timeoutMs);
  for (let attempt = 1; ; attempt++) {
    if (logger !== null) emit(logger, 'debug', 'conversations: request', { op, method: req.method, url: req.url, attempt });
    let res = null;
    let failure = null;
    try {
      res = await transport.send(req, Math.min(Math.ceil(budget), MAX_TIMER_MS), signal, policy.maxResponseBytes);
    } catch (err) {
      if (!(err instanceof Failure)) throw err;
      failure = err;
    }
    if (started < 0) started = res !== null ? res.started : failure.started;
    let error;
    if (res !== null) {
      const decoded = decodeResponse(state, op, req, res, ctx, attempt, started);
      if (decoded.error === undefined) return decoded.value;
      error = decoded.error;
    } else {
      error = failure.error;
    }
    // Built only once an attempt has failed: the happy path allocates nothing for the machine.
    const next = engine.after({
      op, attempt, budgetMs: budget, timeoutMs,
      elapsedMs: performance.now() - started, nowMs: Date.now(), random: Math.random(),
      status: res !== null ? res.status : null,
      retryAfter: res !== null ? res.headers['retry-after'] ?? null : null,
      failure: res !== null ? null : failure.kind,
    });
    if (next.end !== null && next.end !== undefined) {
      if (next.end === 'deadline') error = deadlineExceeded(req.method, req.url, policy.deadlineMs);
      if (logger !== null) logFailure(logger, op, req, error, attempt, started);
      throw error;
    }
    if (logger !== null) {
      emit(logger, 'warn', 'conversations: retrying', {
        op, method: req.method, url: req.url, attempt, code: error.code, status: error.status, delayMs: next.delayMs,
      });
    }
    try {
      await sleep(next.delayMs, signal, req);
    } catch (err) {
      throw err instanceof Failure ? err.error : err;
    }
    budget = next.budgetMs;
  }
}

/**
 * perform() over a transport that runs the whole call itself (the wasm engine's `execute`): the
 * same logger events, compat context, decoding and errors as the loop above, from what the
 * engine reports after each attempt.
 * @param {{ state: ReturnType<typeof createState>, op: string, id: string | null, bodyJson: string | null,
 *   req: { method: string, url: string }, signal: AbortSignal | null, timeoutMs: number | undefined,
 *   ctx: object | null, passthrough: boolean }} call
 */
async function performWhole({ state, op, id, bodyJson, req, signal, timeoutMs, ctx, passthrough }) {
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
  const { res, error: failed, attempts } = await transport.call({
    op, id, bodyJson, req, signal, timeoutMs, policy, onAttempt, passthrough,
  });
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
    // Which statuses are a success is core's fact (policy().successMin/Max, ENGINE.md).
    const { policy } = state;
    if (ctx.parse !== undefined && res.status >= policy.successMin && res.status <= policy.successMax) {
      decoded = { ok: ctx.parse(res), parsed: true };
    }
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

module.exports = { createState, perform };
