'use strict';

// How the I/O layers report a failed attempt to the pipeline: one of core's failure kinds
// (KINDS; the engine decides what follows each, ENGINE.md `after`) plus the error to surface if
// the call ends there. Node error codes are mapped here, once, for both transports.

const { ConnectionError, TimeoutError, AbortError, DecodeError } = require('./errors');

/**
 * core's failure kinds (conversations_core::call::Failure), in the order of their ids: the
 * engine's `failureKinds()`. core/tests/js_copies.rs and npm/test/failure-kinds.test.js fail
 * when the two lists differ.
 */
const KINDS = Object.freeze(['refused', 'reset', 'timeout', 'aborted', 'too_large', 'redirect', 'fatal', 'deadline']);

class Failure {
  /** @param {'refused' | 'reset' | 'timeout' | 'aborted' | 'too_large' | 'fatal'} kind @param {Error} error */
  constructor(kind, error) {
    this.kind = kind;
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
  return new Failure('too_large', new DecodeError(`${describe(method, url)}: response body exceeds the ${max}-byte limit`, { code: 'decode', status }));
}

/**
 * A response body that does not decompress as its Content-Encoding says: a bad answer, not a
 * broken connection, so `fatal` (never retried), a `decode` error with the status.
 * @param {string} coding the coding's name, or a description when the transport does not know it
 * @param {string} detail the decompressor's own words
 */
function undecodable(method, url, status, coding, detail) {
  return new Failure('fatal', new DecodeError(`${describe(method, url)}: response body is not valid ${coding} (${detail})`, { code: 'decode', status }));
}

/**
 * Maps a Node (or fetch) network error to a failure kind and a ConnectionError keeping it as `cause`.
 * @param {any} err
 */
function fromNetworkError(method, url, err) {
  // fetch wraps the socket error: TypeError('fetch failed', { cause: { code } }). That socket
  // error is what the caller can act on, so it becomes the cause, as with node:http.
  const inner = err && !err.code && err.cause && err.cause.code ? err.cause : err;
  const code = (inner && inner.code) || '';
  let kind = 'reset';
  let what = 'connection reset';
  if (REFUSED.has(code)) {
    kind = 'refused';
    what = code === 'ECONNREFUSED' ? 'connection refused'
      : code === 'ERR_PROXY_CONNECT' ? `proxy refused the tunnel (${inner.message})`
        : 'host not found';
  } else if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/.test(code)) {
    // Certificate problems do not go away on retry.
    kind = 'fatal';
    what = `TLS handshake failed (${inner.message})`;
  } else if (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'UND_ERR_SOCKET' && !/socket hang up/.test(String(inner && inner.message))) {
    what = `connection failed (${(inner && inner.message) || inner})`;
  }
  const message = `${describe(method, url)}: ${what}${code && !what.includes(code) ? ` (${code})` : ''}`;
  return new Failure(kind, new ConnectionError(message, { code: 'transport', cause: inner }));
}

/** The call's deadline ended it (the engine's `deadline` kind). */
function deadlineExceeded(method, url, ms) {
  return new TimeoutError(`${describe(method, url)}: deadline of ${ms} ms exceeded`, { code: 'timeout' });
}

module.exports = { KINDS, Failure, timedOut, aborted, tooLarge, undecodable, fromNetworkError, deadlineExceeded };
