'use strict';

// The wasm engine's own I/O: `engine.execute` runs a whole call inside the engine (fetch through
// web-sys, the platform's timers, the caller's AbortSignal, core's call machine). This adapter
// turns what it resolves to into the pipeline's response or error, worded by failure.js exactly
// as the JS transports word theirs, so both engines raise the same errors.

const { ConnectionError, fromInfo } = require('./errors');
const { timedOut, aborted, tooLarge, fromNetworkError, deadlineExceeded } = require('./failure');

// Where the platform can tell (Node's fetch says ECONNREFUSED in `cause.code`), a refused
// connection is told from a reset (the engine retries the first whatever the method); in
// browsers every network failure is a reset.
const classify = (err) => fromNetworkError('', '', err).kind;

/**
 * The error for one of core's failure kinds (failure.js KINDS) as execute reports it (ENGINE.md).
 * @param {{ method: string, url: string }} req
 * @param {{ failure: string, ms: number, status: number | null, cause: unknown }} out
 */
function failureError(req, out, policy, signal) {
  switch (out.failure) {
    case 'timeout': return timedOut(req.method, req.url, out.ms).error;
    case 'deadline': return deadlineExceeded(req.method, req.url, policy.deadlineMs);
    case 'aborted': return aborted(req.method, req.url, signal === null ? undefined : signal.reason).error;
    case 'too_large': return tooLarge(req.method, req.url, policy.maxResponseBytes, out.status).error;
    case 'redirect':
      // fetch in a browser hides a redirect's status and target (an opaque-redirect response).
      return new ConnectionError(`${req.method} ${req.url}: the server answered with a redirect, which is not followed`, { code: 'transport' });
    // refused, reset, fatal: what fetch rejected with says what happened.
    default: return fromNetworkError(req.method, req.url, out.cause).error;
  }
}

class EngineTransport {
  /** @param {any} engine a wasm Engine (it has `execute`) */
  constructor(engine) {
    /** What `client.transport` reports: the platform's fetch, driven by the engine. */
    this.name = 'fetch';
    this.engine = engine;
  }

  /**
   * Runs the whole call. Resolves to `{ res }` (the final response) or `{ error }`; `onAttempt`
   * gets `{ attempt, status, error, delayMs }` after each attempt, for the logger.
   * @param {{ op: string, id: string | null, bodyJson: string | null, req: { method: string, url: string },
   *   signal: AbortSignal | null, timeoutMs: number | undefined, policy: object,
   *   onAttempt: ((a: object) => void) | null, passthrough?: boolean }} call
   */
  async call({ op, id, bodyJson, req, signal, timeoutMs, policy, onAttempt, passthrough = false }) {
    const report = onAttempt === null ? undefined : (a) => {
      const error = a.failure === null || a.delayMs < 0 ? null : failureError(req, a, policy, signal);
      onAttempt({ attempt: a.attempt, status: a.status, error, delayMs: a.delayMs });
    };
    const out = await this.engine.execute(op, id, bodyJson, signal ?? undefined, timeoutMs, report, classify, passthrough);
    if (out.error !== undefined) return { error: fromInfo(out.error), attempts: 0 };
    if (out.failure !== undefined) return { error: failureError(req, out, policy, signal), attempts: out.attempts };
    return { res: out, attempts: out.attempts };
  }

  close() {}
}

module.exports = { EngineTransport };
