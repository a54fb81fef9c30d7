'use strict';

// I/O through any fetch implementation (the `fetch` option): every call goes through it, with
// an AbortSignal per attempt that fires on the caller's signal or the attempt timeout.

const { Failure, timedOut, aborted, tooLarge, fromNetworkError } = require('./failure');
const { onAbort: subscribe } = require('./signal');

function headersObject(headers) {
  const out = {};
  if (headers && typeof headers.forEach === 'function') headers.forEach((value, name) => { out[name] = value; });
  return out;
}

// Uint8Array rather than Buffer: this transport also serves runtimes without Buffer.
function concat(chunks, size) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

async function readCapped(res, maxBytes, method, url) {
  const { status } = res;
  const declared = Number(res.headers && res.headers.get && res.headers.get('content-length'));
  if (declared > maxBytes) throw tooLarge(method, url, maxBytes, status);
  const body = res.body;
  if (body && typeof body.getReader === 'function') {
    // Stream so an oversized body is abandoned as soon as it crosses the cap.
    const reader = body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        throw tooLarge(method, url, maxBytes, status);
      }
      chunks.push(value);
    }
    return concat(chunks, size);
  }
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.byteLength > maxBytes) throw tooLarge(method, url, maxBytes, status);
  return buf;
}

class FetchTransport {
  /** @param {typeof fetch} fetchImpl */
  constructor(fetchImpl) {
    /** What `client.transport` reports. */
    this.name = 'fetch';
    this.fetch = fetchImpl;
  }

  /** Same contract as NodeTransport#send. */
  async send(req, timeoutMs, signal, maxBytes) {
    const controller = new AbortController();
    let why = null;
    const onAbort = () => {
      why = 'aborted';
      controller.abort(signal.reason);
    };
    const unsubscribe = signal !== null ? subscribe(signal, onAbort) : null;
    const timer = setTimeout(() => {
      why = 'timeout';
      controller.abort();
    }, timeoutMs);
    try {
      const res = await this.fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body === null ? undefined : req.body,
        signal: controller.signal,
      });
      const body = await readCapped(res, maxBytes, req.method, req.url);
      return { status: res.status, headers: headersObject(res.headers), body };
    } catch (err) {
      if (why === 'aborted') throw aborted(req.method, req.url, signal.reason);
      if (why === 'timeout') throw timedOut(req.method, req.url, timeoutMs);
      if (err instanceof Failure) throw err;
      throw fromNetworkError(req.method, req.url, err);
    } finally {
      clearTimeout(timer);
      if (unsubscribe !== null) unsubscribe();
    }
  }

  close() {}
}

module.exports = { FetchTransport };
