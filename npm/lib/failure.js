'use strict';

// How the I/O layers report a failed attempt to the pipeline: the engine's retry outcome
// ('refused' | 'timeout' | 'reset', or 'aborted' / 'fatal' which are never retried) plus the
// error to surface if the pipeline gives up. Node error codes are mapped here, once, for both
// transports.

const { ConnectionError, TimeoutError, AbortError, DecodeError } = require('./errors');

class Failure {
  /** @param {'refused' | 'timeout' | 'reset' | 'aborted' | 'fatal'} outcome @param {Error} error */
  constructor(outcome, error) {
    this.outcome = outcome;
    this.error = error;
    /** When the attempt started (performance.now()), for transports that report it. */
    this.started = -1;
  }
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'ERR_PROXY_CONNECT']);

function describe(method, url) {
  return `${method} ${url}`;
}

/** @param {string} method @param {string} url @param {number} ms */
function timedOut(method, url, ms) {
  return new Failure('timeout', new TimeoutError(`${describe(method, url)}: timed out after ${ms} ms`, { code: 'timeout' }));
}

function aborted(method, url, reason) {
  return new Failure('aborted', new AbortError(`${describe(method, url)}: aborted by the caller's signal`, { code: 'aborted', cause: reason }));
}

// A response did arrive: like core (Rust client, wasm) this is a `decode` error with its status.
function tooLarge(method, url, max, status) {
  return new Failure('fatal', new DecodeError(`${describe(method, url)}: response body exceeds the ${max}-byte limit`, { code: 'decode', status }));
}

/**
 * Maps a Node (or fetch) network error to an outcome and a ConnectionError keeping it as `cause`.
 * @param {any} err
 */
function fromNetworkError(method, url, err) {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: { code } }). That socket
  // error is what the caller can act on, so it becomes the cause, as with node:http.
  const inner = err && !err.code && err.cause && err.cause.code ? err.cause : err;
  const code = (inner && inner.code) || '';
  let outcome = 'reset';
  let what = 'connection reset';
  if (REFUSED.has(code)) {
    outcome = 'refused';
    what = code === 'ECONNREFUSED' ? 'connection refused'
      : code === 'ERR_PROXY_CONNECT' ? `proxy refused the tunnel (${inner.message})`
        : 'host not found';
  } else if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/.test(code)) {
    // Certificate problems do not go away on retry.
    outcome = 'fatal';
    what = `TLS handshake failed (${inner.message})`;
  } else if (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'UND_ERR_SOCKET' && !/socket hang up/.test(String(inner && inner.message))) {
    what = `connection failed (${(inner && inner.message) || inner})`;
  }
  const message = `${describe(method, url)}: ${what}${code && !what.includes(code) ? ` (${code})` : ''}`;
  return new Failure(outcome, new ConnectionError(message, { code: 'transport', cause: inner }));
}

/** The overall deadline ran out before another attempt could start. */
function deadlineExceeded(method, url, ms) {
  return new TimeoutError(`${describe(method, url)}: deadline of ${ms} ms exceeded`, { code: 'timeout' });
}

module.exports = { Failure, timedOut, aborted, tooLarge, fromNetworkError, deadlineExceeded };
