'use strict';

// The native engine's default Node I/O: each attempt runs in Rust inside the addon (core's
// attempt: hyper's client on a tokio runtime the addon owns, size cap while reading, gzip/deflate/br
// decoding, failure classification) and comes back as one completion. One crossing into the
// addon per attempt (`io.send`) and one back (`onDone`, several per wake-up when they queue up);
// the contract of the native `Io` object is in ENGINE.md ("Rust I/O"). The pipeline sees the
// same `send()` as NodeTransport's: a response `{ status, headers, body, started }` or a Failure.

const { KINDS, timedOut, aborted, tooLarge, undecodable, fromNetworkError } = require('./failure');
const { onAbort: subscribe } = require('./signal');

const RESPONSE = -1;
// core's words for ERR_BAD_ENCODING (core/src/transport.rs), before the decompressor's.
const BAD_ENCODING_PREFIX = /^response body does not decode with its content-encoding:\s*/;
const EMPTY = Buffer.alloc(0);

// node:http's IncomingMessage#headers keeps the first value of these and drops the repeats
// (Node's _http_incoming.js matchKnownFields); set-cookie becomes an array, cookie is joined with
// "; ", every other repeated header with ", ". transport.test.js compares with node:http.
const FIRST_WINS = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host',
  'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards',
  'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent',
]);

/**
 * The response headers as node:http gives them, from the addon's "name:value\n" lines (names
 * lower-case, one line per value, in order).
 * @param {string} text @returns {Record<string, string | string[]>}
 */
function parseHeaders(text) {
  const headers = {};
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon > at && colon < end) {
      const name = text.slice(at, colon);
      const value = text.slice(colon + 1, end);
      const seen = headers[name];
      if (seen === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
      else if (name === 'set-cookie') seen.push(value);
      else if (name === 'cookie') headers[name] = `${seen}; ${value}`;
      else if (!FIRST_WINS.has(name)) headers[name] = `${seen}, ${value}`;
    }
    at = end + 1;
  }
  return headers;
}

/** One response: `headers` is parsed only when asked for (a retry-after check, `.withResponse()`). */
class Received {
  constructor(status, text, body, started) {
    this.status = status;
    this.text = text;
    this.body = body;
    this.started = started;
    this.parsed = null;
  }

  get headers() {
    return (this.parsed ??= parseHeaders(this.text));
  }
}

/** A slot's attempt; the object is reused by the slot's later attempts. */
class Attempt {
  constructor() {
    this.resolve = null;
    this.reject = null;
    this.method = '';
    this.url = '';
    this.timeoutMs = 0;
    this.maxBytes = 0;
    this.started = 0;
    this.settled = true;
    this.unsubscribe = null;
  }
}

class RustTransport {
  /**
   * @param {new (onDone: Function, options: object) => any} Io the addon's I/O class
   * @param {{ ca?: string, extraCa?: string }} options PEM text (ENGINE.md, "Rust I/O")
   */
  constructor(Io, options) {
    /** @type {Attempt[]} */
    const slots = [];
    /** Slots whose completion has arrived: only those are handed out again. */
    const free = [];
    /** What `client.transport` reports. */
    this.name = 'rust';
    this.slots = slots;
    this.free = free;
    // Request header sets registered with the addon: per frozen per-operation object (client.js),
    // else by content, so a surface that builds a fresh object per call registers each set once.
    this.heads = new WeakMap();
    this.headsByText = new Map();
    this.io = new Io((slot, kind, status, text, body) => {
      const attempt = slots[slot];
      // Only slots handed to io.send come back (exactly once each): anything else is ignored
      // rather than thrown on the addon's callback.
      if (attempt === undefined) return;
      if (!attempt.settled) {
        attempt.settled = true;
        if (attempt.unsubscribe !== null) attempt.unsubscribe();
        if (kind === RESPONSE) attempt.resolve(new Received(status, text, body ?? EMPTY, attempt.started));
        else attempt.reject(failure(attempt, kind, status, text));
      }
      attempt.resolve = null;
      attempt.reject = null;
      attempt.unsubscribe = null;
      free.push(slot);
    }, options);
    // send() neither changes nor hands out req.headers: the pipeline may pass shared ones.
    this.readsHeadersOnly = true;
    // Results and failures carry `started`, when their attempt began (performance.now()).
    this.timesAttempts = true;
  }

  /** The addon's key for a request header set, registering it on first use. */
  head(headers) {
    let key = this.heads.get(headers);
    if (key !== undefined) return key;
    const flat = [];
    for (const name of Object.keys(headers)) flat.push(name, String(headers[name]));
    const text = flat.join('\n');
    key = this.headsByText.get(text);
    if (key === undefined) {
      key = this.io.head(flat);
      this.headsByText.set(text, key);
    }
    if (Object.isFrozen(headers)) this.heads.set(headers, key);
    return key;
  }

  /**
   * Sends one request. Resolves `{ status, headers, body: Buffer, started }`; rejects with a Failure.
   * @param {{ method: string, url: string, headers: Record<string, string>, body: string | null }} req
   * @param {number} timeoutMs @param {AbortSignal | null} signal @param {number} maxBytes
   */
  send(req, timeoutMs, signal, maxBytes) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      if (signal !== null && signal.aborted) {
        const failure = aborted(req.method, req.url, signal.reason);
        failure.started = started;
        reject(failure);
        return;
      }
      const head = this.head(req.headers);
      const slot = this.free.length > 0 ? this.free.pop() : this.slots.length;
      let attempt = this.slots[slot];
      if (attempt === undefined) this.slots[slot] = attempt = new Attempt();
      attempt.resolve = resolve;
      attempt.reject = reject;
      attempt.method = req.method;
      attempt.url = req.url;
      attempt.timeoutMs = timeoutMs;
      attempt.maxBytes = maxBytes;
      attempt.started = started;
      attempt.settled = false;
      try {
        this.io.send(slot, req.method, req.url, head, req.body, timeoutMs, maxBytes);
      } catch (err) {
        // Nothing was started, so no completion will come for this slot.
        attempt.settled = true;
        attempt.resolve = null;
        attempt.reject = null;
        this.free.push(slot);
        const failure = fromNetworkError(req.method, req.url, err);
        failure.kind = 'fatal';
        failure.started = started;
        reject(failure);
        return;
      }
      if (signal !== null) {
        // The call rejects at once; the slot is recycled when the addon's completion (aborted)
        // arrives, so a late completion can never settle another call's attempt.
        attempt.unsubscribe = subscribe(signal, () => {
          if (attempt.settled) return;
          attempt.settled = true;
          attempt.unsubscribe = null;
          const failure = aborted(attempt.method, attempt.url, signal.reason);
          failure.started = attempt.started;
          attempt.reject(failure);
          this.io.cancel(slot);
        });
      }
    });
  }

  /**
   * Closes idle keep-alive connections now; attempts in flight finish normally and a later call
   * opens new connections (as NodeTransport#close).
   */
  close() {
    this.io.close();
  }
}

/**
 * The Failure for a completion of kind `kind` (core's call::Failure id): the same kinds, classes
 * and wording as NodeTransport's for the same event. `text` is "CODE message" (ENGINE.md).
 */
function failure(attempt, kind, status, text) {
  const { method, url } = attempt;
  const space = text.indexOf(' ');
  const code = space < 0 ? text : text.slice(0, space);
  const message = space < 0 ? '' : text.slice(space + 1);
  const name = KINDS[kind];
  let out;
  if (name === 'timeout') out = timedOut(method, url, attempt.timeoutMs);
  else if (name === 'aborted') out = aborted(method, url, undefined);
  else if (name === 'too_large') out = tooLarge(method, url, attempt.maxBytes, status);
  else if (code === 'ERR_BAD_ENCODING') {
    // The addon does not say which coding failed: its message is core's sentence, then the causes.
    out = undecodable(method, url, status, 'for its content-encoding', message.replace(BAD_ENCODING_PREFIX, ''));
  } else {
    const cause = new Error(message === '' ? code : message);
    cause.code = code;
    out = fromNetworkError(method, url, cause);
    // core classified the attempt (one owner); the code only words the error.
    if (name !== undefined) out.kind = name;
  }
  out.started = attempt.started;
  return out;
}

module.exports = { RustTransport, parseHeaders };
