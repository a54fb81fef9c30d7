'use strict';

// Inbound callbacks: what the API POSTs to the account's callback URL. Parsing (what is an
// event, the freshness window, the de-duplication key) is core's (`conversations_core::callback`,
// reached through the engine's static `parseCallback`); this file reads bodies from the
// platforms' request objects, calls the user's code and answers. No `node:` module: it runs in
// Node, browsers' service workers, Deno, Bun and edge runtimes alike.

const { getEngine } = require('./engine');

/** Default cap on a callback body read from a stream (the sandbox sends a few hundred bytes). */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

/** A callback that was refused: `code` is `not_json`, `not_an_event`, `unverified`, `stale`, `too_large` or `handler_failed`. */
class CallbackError extends Error {
  /**
   * @param {{ code: string, status: number, message: string }} info
   * @param {unknown} [cause]
   */
  constructor(info, cause) {
    super(info.message, cause === undefined ? undefined : { cause });
    this.name = 'CallbackError';
    /** Stable machine code. */
    this.code = info.code;
    /** The HTTP status a receiver answers with. */
    this.status = info.status;
  }
}

const encoder = new TextEncoder();

/** Any body form a platform may hand us, as bytes. A parsed object (express.json, Fastify) is re-serialised. */
function toBytes(body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return encoder.encode(body);
  return encoder.encode(JSON.stringify(body));
}

/** Headers (a fetch `Headers`, a Node `IncomingHttpHeaders` or a plain object) as lower-case name → string. */
function normaliseHeaders(headers) {
  const out = {};
  if (!headers) return out;
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach((value, name) => { out[String(name).toLowerCase()] = String(value); });
    return out;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function checkMaxAge(maxAgeMs) {
  if (maxAgeMs === undefined || maxAgeMs === null) return -1;
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
    throw new TypeError(`maxAgeMs must be a non-negative number of milliseconds, got ${String(maxAgeMs)}`);
  }
  return maxAgeMs;
}

/**
 * Parses one callback body into a typed event (see `CallbackEvent` in index.d.ts). Tolerant:
 * unknown event types and fields are kept (camelCased) and `event.raw` is the body as sent.
 * @param {string | Uint8Array | ArrayBuffer | object} body the raw body (or an already parsed JSON object)
 * @param {object} [headers] request headers (only read for the freshness window)
 * @param {{ maxAgeMs?: number, now?: number }} [options] `maxAgeMs`: refuse a `Date` header further than this from now
 * @returns {import('../index').CallbackEvent}
 * @throws {CallbackError} `not_json` / `not_an_event` (status 400), `stale` (401)
 */
function parseCallback(body, headers, options = {}) {
  const maxAge = checkMaxAge(options.maxAgeMs);
  const date = maxAge >= 0 ? (normaliseHeaders(headers).date ?? null) : null;
  const now = typeof options.now === 'number' ? options.now : Date.now();
  const result = JSON.parse(getEngine().parseCallback(date, toBytes(body), maxAge, now));
  if (result.error) throw new CallbackError(result.error);
  return result.ok;
}

/**
 * Remembers the `dedupKey`s of handled events (the newest `max`), so a redelivered event is
 * acknowledged without calling `onEvent` again. Share one between handlers, or pass `dedupe: true`.
 */
class CallbackDeduper {
  /** @param {{ max?: number }} [options] */
  constructor(options = {}) {
    const max = options.max ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`dedupe max must be a positive integer, got ${String(max)}`);
    this.max = max;
    this.done = new Set();
    this.inFlight = new Map();
  }

  /** @param {string} key */
  has(key) {
    return this.done.has(key);
  }

  /** @param {string} key */
  add(key) {
    this.done.delete(key);
    this.done.add(key);
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.done.size > this.max) this.done.delete(this.done.values().next().value);
  }
}

function dedupeOption(value) {
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return new CallbackDeduper();
  if (value instanceof CallbackDeduper) return value;
  if (typeof value === 'object') return new CallbackDeduper(value);
  throw new TypeError('dedupe must be true, { max }, or a CallbackDeduper');
}

function checkOptions(onEvent, options) {
  if (typeof onEvent !== 'function') throw new TypeError('onEvent must be a function (event) => void | Promise<void>');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.verify !== undefined && typeof options.verify !== 'function') {
    throw new TypeError('verify must be a function (request) => boolean | Promise<boolean>');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('onError must be a function');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBody) || maxBody < 1) throw new TypeError('maxBodyBytes must be a positive integer');
  return {
    onEvent,
    verify: options.verify,
    maxAgeMs: checkMaxAge(options.maxAgeMs),
    deduper: dedupeOption(options.dedupe),
    maxBodyBytes: maxBody,
    onError: options.onError ?? ((err) => {
      // A failing onEvent is the application's bug or outage: say so where it will be seen.
      console.error('messagemedia-conversations-sdk: callback handler answered 500 (the sender will retry):', err);
    }),
  };
}

function answer(status, payload) {
  return { status, body: JSON.stringify(payload) };
}

function refusal(err) {
  return answer(err.status, { error: { code: err.code, message: err.message } });
}

/**
 * The protocol of one delivery, independent of the platform: verify, parse, de-duplicate, call
 * `onEvent`, and decide the answer. Never throws.
 * @returns {Promise<{ status: number, body: string }>}
 */
async function deliver(cfg, request) {
  if (request.method !== 'POST') {
    return answer(405, { error: { code: 'method_not_allowed', message: 'Callbacks are POST requests.' } });
  }
  const headers = normaliseHeaders(request.headers);
  if (cfg.verify) {
    let ok;
    try {
      ok = await cfg.verify({
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        signature: headers['x-messagemedia-signature'] ?? null,
        date: headers.date ?? null,
      });
    } catch (err) {
      cfg.onError(err, request);
      return answer(500, { error: { code: 'verifier_failed', message: 'The callback could not be verified; try again later.' } });
    }
    if (!ok) return refusal(new CallbackError({ code: 'unverified', status: 401, message: 'The callback failed verification.' }));
  }
  let event;
  try {
    event = parseCallback(request.body, headers, { maxAgeMs: cfg.maxAgeMs < 0 ? undefined : cfg.maxAgeMs });
  } catch (err) {
    if (err instanceof CallbackError) return refusal(err);
    cfg.onError(err, request);
    return answer(500, { error: { code: 'handler_failed', message: 'The callback could not be parsed.' } });
  }
  const { deduper } = cfg;
  const key = event.dedupKey;
  if (deduper) {
    if (deduper.has(key)) return answer(200, { received: true, duplicate: true });
    const running = deduper.inFlight.get(key);
    if (running) {
      // The same event is being handled right now: answer as that delivery does.
      const ok = await running;
      return ok ? answer(200, { received: true, duplicate: true })
        : answer(500, { error: { code: 'handler_failed', message: 'The event handler failed; deliver again later.' } });
    }
  }
  const run = (async () => {
    try {
      await cfg.onEvent(event);
      return true;
    } catch (err) {
      cfg.onError(err, event);
      return false;
    }
  })();
  if (deduper) deduper.inFlight.set(key, run);
  const ok = await run;
  if (deduper) {
    deduper.inFlight.delete(key);
    if (ok) deduper.add(key);
  }
  return ok ? answer(200, { received: true, duplicate: false })
    : answer(500, { error: { code: 'handler_failed', message: 'The event handler failed; deliver again later.' } });
}

/** Reads a Node request stream up to `max` bytes; resolves null when it is larger. */
function readStream(stream, max) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    stream.on('data', (chunk) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        resolve(null);
        return;
      }
      chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    });
    stream.on('end', () => {
      if (tooLarge) return;
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      resolve(out);
    });
    stream.on('error', reject);
  });
}

/**
 * The body of a Node-style request: what a framework already parsed (express.json(),
 * express.raw(), Fastify's parsers) or else the raw stream.
 */
async function bodyOf(req, max) {
  const stream = req.raw && typeof req.raw.on === 'function' ? req.raw : req;
  // Fastify keeps the stream in req.raw and the parsed body in req.body; body-parser marks req._body.
  const parsed = req.body !== undefined && (stream !== req || req._body === true || !req.readable || req.readableEnded);
  if (parsed) return { body: req.body };
  if (typeof stream.on !== 'function') return { body: undefined };
  const bytes = await readStream(stream, max);
  return bytes === null ? { tooLarge: true } : { body: bytes };
}

function send(res, status, body) {
  // Fastify's reply: code()/header()/send(); the raw ServerResponse sits in reply.raw.
  if (res && typeof res.code === 'function' && typeof res.send === 'function' && res.raw) {
    res.code(status).header('content-type', JSON_TYPE).send(body);
    return res;
  }
  if (res.headersSent) return res;
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': String(encoder.encode(body).length) });
  res.end(body);
  return res;
}

/**
 * A `(req, res)` listener for node:http, Express (with or without `express.json()`) and Fastify
 * (`fastify.post(path, handler)`). Answers 200 only after `onEvent` resolved, 400 for a body
 * that is not an event, 401 when verification fails, 413 for a body over `maxBodyBytes`, 500 when
 * `onEvent` throws or rejects (so the sender delivers again). It never throws or rejects itself.
 * @param {(event: import('../index').CallbackEvent) => unknown} onEvent
 * @param {import('../index').CallbackHandlerOptions} [options]
 */
function createCallbackHandler(onEvent, options = {}) {
  const cfg = checkOptions(onEvent, options);
  return async function conversationsCallbackHandler(req, res) {
    try {
      const read = await bodyOf(req, cfg.maxBodyBytes);
      const result = read.tooLarge
        ? answer(413, { error: { code: 'too_large', message: `The callback body is larger than ${cfg.maxBodyBytes} bytes.` } })
        : await deliver(cfg, { method: req.method, url: req.originalUrl ?? req.url, headers: req.headers, body: read.body });
      return send(res, result.status, result.body);
    } catch (err) {
      cfg.onError(err, req);
      try {
        return send(res, 500, JSON.stringify({ error: { code: 'handler_failed', message: 'The callback could not be handled.' } }));
      } catch {
        return res;
      }
    }
  };
}

// `dedupe: true` in handleCallbackRequest: one memory per onEvent function, since a route handler
// usually passes a fresh options object on every request.
const deduperByHandler = new WeakMap();
function sharedDeduper(onEvent) {
  if (typeof onEvent !== 'function') return true;
  let d = deduperByHandler.get(onEvent);
  if (!d) deduperByHandler.set(onEvent, (d = new CallbackDeduper()));
  return d;
}

/**
 * The same for fetch-style runtimes (Next.js route handlers, workers, Deno, Bun): takes a
 * `Request`, resolves to a `Response`, never rejects.
 * @param {Request} request
 * @param {(event: import('../index').CallbackEvent) => unknown} onEvent
 * @param {import('../index').CallbackHandlerOptions} [options]
 * @returns {Promise<Response>}
 */
async function handleCallbackRequest(request, onEvent, options = {}) {
  let cfg;
  try {
    cfg = checkOptions(onEvent, { ...options, dedupe: options.dedupe === true ? sharedDeduper(onEvent) : options.dedupe });
  } catch (err) {
    // A programming error, but this function never rejects: log it and let the sender retry.
    console.error('messagemedia-conversations-sdk: handleCallbackRequest:', err);
    return new Response(JSON.stringify({ error: { code: 'handler_failed', message: 'The callback receiver is misconfigured.' } }),
      { status: 500, headers: { 'content-type': JSON_TYPE } });
  }
  let result;
  try {
    const declared = Number(request.headers.get('content-length'));
    const body = declared > cfg.maxBodyBytes ? null : new Uint8Array(await request.arrayBuffer());
    result = body === null || body.length > cfg.maxBodyBytes
      ? answer(413, { error: { code: 'too_large', message: `The callback body is larger than ${cfg.maxBodyBytes} bytes.` } })
      : await deliver(cfg, { method: request.method, url: request.url, headers: request.headers, body });
  } catch (err) {
    cfg.onError(err, request);
    result = answer(500, { error: { code: 'handler_failed', message: 'The callback could not be handled.' } });
  }
  return new Response(result.body, { status: result.status, headers: { 'content-type': JSON_TYPE } });
}

module.exports = { parseCallback, createCallbackHandler, handleCallbackRequest, CallbackDeduper, CallbackError };
