'use strict';

// The default Node I/O: node:http / node:https with one keep-alive Agent per client, and env
// proxies. `http.request` / `https.request` are looked up on the module objects at call time so
// interceptor-style mocks (nock and friends) that patch them keep working.

const http = require('node:http');
// node:https and node:tls load on the first https route, not at require time: together they are
// about half of what requiring the package costs a bare process (bench/RESULTS.md, import cost).
const { httpsLib, tunnelAgent } = require('./tunnel');
const { proxyFor, proxyAuthorization } = require('./proxy');
const { timedOut, aborted, tooLarge, undecodable, fromNetworkError } = require('./failure');
const { onAbort: subscribe } = require('./signal');
// node:zlib loads on the first compressed response (see `decoder`).
let zlibModule = null;

// setTimeout fires at once for larger delays.
const MAX_TIMER_MS = 2 ** 31 - 1;
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

// Frozen header objects are the engine's constant per-operation headers (client.js): their split
// is made once. A rest copy per call (`{ authorization, ...plain }`) built a dictionary-mode
// object that node:http then walked on its slow path, a visible share of the per-call overhead.
const splits = new WeakMap();
function splitHeaders(headers) {
  let split = splits.get(headers);
  if (split !== undefined) return split;
  const plain = {};
  let authorization;
  for (const name of Object.keys(headers)) {
    if (name === 'authorization') authorization = headers[name];
    else plain[name] = headers[name];
  }
  split = { authorization, plain };
  if (Object.isFrozen(headers)) splits.set(headers, split);
  return split;
}

/**
 * One response as the pipeline sees it: `headers` is built only when asked for (a retry-after
 * check, the compat context). Node builds `IncomingMessage#headers` lazily from `rawHeaders`,
 * lower-casing every name, a visible share of a call's cost when nobody reads them.
 */
class Received {
  constructor(message, body, started) {
    this.status = message.statusCode;
    this.message = message;
    this.body = body;
    this.started = started;
  }

  get headers() {
    return this.message.headers;
  }
}

/**
 * What a response's headers say about its body, read in one pass without building `headers`:
 * the declared Content-Length (NaN when none) and the content coding to undo (null when none).
 * Every fetch (browsers, Deno, Node's, the wasm engine's) decodes gzip, deflate and br and cannot
 * be told not to, so node:http does the same and every engine sees one body (README,
 * Reliability). Other codings pass through as sent.
 */
class BodyHead {
  constructor(raw) {
    this.length = NaN;
    this.coding = null;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i];
      if (name.length === 14) {
        if (name.toLowerCase() === 'content-length') this.length = Number(raw[i + 1]);
      } else if (name.length === 16 && name.toLowerCase() === 'content-encoding') {
        const value = raw[i + 1].trim().toLowerCase();
        this.coding = value === 'gzip' || value === 'x-gzip' ? 'gzip' : value === 'deflate' || value === 'br' ? value : null;
      }
    }
  }
}

/** A decompressor for `coding`; `first` is the body's first byte (deflate: zlib-wrapped or raw, as fetch accepts). */
function decoder(coding, first) {
  const zlib = (zlibModule ??= require('node:zlib'));
  if (coding === 'gzip') return zlib.createGunzip();
  if (coding === 'br') return zlib.createBrotliDecompress();
  return (first & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
}

/**
 * The per-attempt timeouts of one transport on one timer, armed for the earliest deadline: a
 * setTimeout + clearTimeout per call cost more than the rest of this transport's own work (about
 * 10k instructions a call, counted with callgrind). Attempts sit in an intrusive doubly linked
 * list, so adding and removing one allocates and hashes nothing. The timer is unref'd, as Node's
 * own socket timeouts are: an attempt in flight holds its socket (or its DNS lookup) open, and
 * that keeps the process alive until the attempt ends or expires.
 */
class Watchdog {
  constructor() {
    this.head = null;
    this.timer = null;
    this.at = Infinity;
  }

  /** @param {{ deadline: number, expire: () => void, prev: object | null, next: object | null }} attempt */
  add(attempt) {
    attempt.next = this.head;
    if (this.head !== null) this.head.prev = attempt;
    this.head = attempt;
    if (attempt.deadline < this.at) this.arm(attempt.deadline);
  }

  remove(attempt) {
    if (attempt.prev !== null) attempt.prev.next = attempt.next;
    else if (this.head === attempt) this.head = attempt.next;
    if (attempt.next !== null) attempt.next.prev = attempt.prev;
    attempt.prev = null;
    attempt.next = null;
  }

  arm(at) {
    if (this.timer !== null) clearTimeout(this.timer);
    this.at = at;
    // The timer clock and performance.now() differ by under 1 ms: fire() re-arms if early.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(at - performance.now(), 1), MAX_TIMER_MS));
    this.timer.unref();
  }

  fire() {
    this.timer = null;
    this.at = Infinity;
    const now = performance.now();
    // Expired attempts are collected first: expiring one destroys its request, and nothing that
    // runs then may cut the walk short by unlinking another.
    const due = [];
    for (let attempt = this.head; attempt !== null; attempt = attempt.next) {
      if (attempt.deadline <= now) due.push(attempt);
    }
    for (const attempt of due) attempt.expire();
    let next = Infinity;
    for (let attempt = this.head; attempt !== null; attempt = attempt.next) {
      if (attempt.deadline < next) next = attempt.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }
}

function originOf(url) {
  const cut = url.indexOf('/', url.indexOf('//') + 2);
  return cut < 0 ? url : url.slice(0, cut);
}

class NodeTransport {
  /**
   * @param {{ agent?: import('node:http').Agent | null, ca?: any }} options
   */
  constructor(options) {
    /** What `client.transport` reports. */
    this.name = 'node';
    this.agent = options.agent ?? null;
    this.ca = options.ca;
    // The proxy environment is read once, when the client is created.
    this.env = {};
    if (typeof process === 'object' && process.env) {
      for (const name of PROXY_VARS) this.env[name] = process.env[name];
    }
    this.routes = new Map();
    this.lastRoute = null;
    this.httpAgent = null;
    this.httpsAgent = null;
    this.tunnels = [];
    this.watchdog = new Watchdog();
    // send() neither changes nor hands out req.headers: the pipeline may pass shared ones.
    this.readsHeadersOnly = true;
    // Results and failures carry `started`, when their attempt began (performance.now()).
    this.timesAttempts = true;
  }

  /** How to reach one origin; computed once per origin. */
  route(url) {
    // One client talks to one origin: its route is checked first, without slicing and hashing
    // the origin out of every URL.
    const last = this.lastRoute;
    if (last !== null && url.startsWith(last.origin)
      && (url.length === last.origin.length || url.charCodeAt(last.origin.length) === 47)) {
      return last;
    }
    const origin = originOf(url);
    let route = this.routes.get(origin);
    if (route !== undefined) {
      this.lastRoute = route;
      return route;
    }
    const target = new URL(origin);
    const secure = target.protocol === 'https:';
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    const port = Number(target.port) || (secure ? 443 : 80);
    route = { origin, secure, host: hostname, port, agent: this.agent, proxy: null, tunnel: false };
    if (this.agent === null) {
      const proxy = proxyFor(target, this.env);
      if (proxy === null) {
        route.agent = secure ? this.sharedHttps() : this.sharedHttp();
      } else if (secure) {
        const tunnel = new (tunnelAgent())(proxy, { keepAlive: true, ca: this.ca });
        this.tunnels.push(tunnel);
        route.agent = tunnel;
        route.tunnel = true;
      } else {
        // http:// targets go to the proxy as absolute-URI requests over a keep-alive connection.
        route.agent = this.sharedHttp();
        route.proxy = {
          host: proxy.hostname.replace(/^\[|\]$/g, ''),
          port: Number(proxy.port) || 80,
          hostHeader: target.host,
          auth: proxyAuthorization(proxy),
        };
      }
    }
    this.routes.set(origin, route);
    this.lastRoute = route;
    return route;
  }

  sharedHttp() {
    return (this.httpAgent ??= new http.Agent({ keepAlive: true }));
  }

  sharedHttps() {
    return (this.httpsAgent ??= new (httpsLib().Agent)({ keepAlive: true, ca: this.ca }));
  }

  /**
   * Sends one request. Resolves `{ status, headers, body: Buffer }`; rejects with a Failure.
   * @param {{ method: string, url: string, headers: Record<string, string>, body: string | null }} req
   * @param {number} timeoutMs @param {AbortSignal | null} signal @param {number} maxBytes
   */
  send(req, timeoutMs, signal, maxBytes) {
    const route = this.route(req.url);
    // NODE_DEBUG=http prints a request's options, headers included, when it opens a connection:
    // the credentials are set on the request afterwards so they never show there.
    const { authorization, plain } = splitHeaders(req.headers);
    let options;
    if (route.proxy === null) {
      options = {
        host: route.host, port: route.port, method: req.method,
        path: req.url.slice(route.origin.length) || '/', headers: plain, agent: route.agent,
      };
    } else {
      const headers = { ...plain, host: route.proxy.hostHeader };
      options = {
        host: route.proxy.host, port: route.proxy.port, method: req.method, path: req.url, headers, agent: route.agent,
      };
    }
    return new Promise((resolve, reject) => {
      // Module property looked up now, not captured at require time (see top of file).
      const out = route.secure && route.proxy === null ? httpsLib().request(options) : http.request(options);
      if (authorization !== undefined) out.setHeader('authorization', authorization);
      if (route.proxy !== null && route.proxy.auth !== null) out.setHeader('proxy-authorization', route.proxy.auth);

      // The attempt's state; `expire` is what the watchdog calls when its deadline passes.
      const attempt = {
        started: performance.now(),
        deadline: 0,
        settled: false,
        expire: () => finish(timedOut(req.method, req.url, timeoutMs), null),
        prev: null,
        next: null,
      };
      attempt.deadline = attempt.started + timeoutMs;
      let unsubscribe = null;
      let unzip = null;
      const finish = (failure, result) => {
        if (attempt.settled) return;
        attempt.settled = true;
        this.watchdog.remove(attempt);
        if (unsubscribe !== null) unsubscribe();
        if (failure !== null) {
          out.destroy();
          if (route.tunnel) route.agent.abandon(out);
          if (unzip !== null) unzip.destroy();
          failure.started = attempt.started;
          reject(failure);
        } else resolve(result);
      };
      const onAbort = () => finish(aborted(req.method, req.url, signal.reason), null);

      out.on('response', (res) => {
        const head = new BodyHead(res.rawHeaders);
        if (head.length > maxBytes) {
          finish(tooLarge(req.method, req.url, maxBytes, res.statusCode), null);
          return;
        }
        const chunks = [];
        let size = 0;
        // The cap counts the body as decoded: a small compressed body may inflate to gigabytes.
        const take = (chunk) => {
          size += chunk.length;
          if (size > maxBytes) finish(tooLarge(req.method, req.url, maxBytes, res.statusCode), null);
          else chunks.push(chunk);
        };
        const done = () => {
          finish(null, new Received(res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), attempt.started));
        };
        const { coding } = head;
        if (coding === null) {
          res.on('data', take);
          res.on('end', done);
        } else {
          res.on('data', (chunk) => {
            if (unzip === null) {
              unzip = decoder(coding, chunk[0]);
              unzip.on('data', take);
              unzip.on('end', done);
              unzip.on('error', (err) => finish(undecodable(req.method, req.url, res.statusCode, coding, err.message), null));
            }
            unzip.write(chunk);
          });
          res.on('end', () => (unzip === null ? done() : unzip.end()));
        }
        // A connection lost mid-body destroys `res` with an ECONNRESET "aborted" error.
        res.on('error', (err) => finish(fromNetworkError(req.method, req.url, err), null));
      });
      out.on('error', (err) => finish(fromNetworkError(req.method, req.url, err), null));
      if (signal !== null) unsubscribe = subscribe(signal, onAbort);
      this.watchdog.add(attempt);
      if (req.body === null) out.end();
      else out.end(req.body);
    });
  }

  /**
   * Retires the agents this transport created (never a custom `agent`): idle keep-alive sockets
   * close now, sockets in use when their call ends, so a call in flight completes normally (a
   * destroyed socket would report a processed POST as a reset, or retry a GET). Later calls open
   * new connections.
   */
  close() {
    for (const agent of [this.httpAgent, this.httpsAgent, ...this.tunnels]) {
      if (agent !== null) retire(agent);
    }
    this.httpAgent = null;
    this.httpsAgent = null;
    this.tunnels = [];
    this.routes.clear();
    this.lastRoute = null;
  }
}

/** Closes an agent's idle sockets now and each busy one when its request ends. */
function retire(agent) {
  // Node's Agent asks keepSocketAlive when a socket turns idle; false destroys it.
  agent.keepSocketAlive = () => false;
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets) socket.destroy();
  }
}

module.exports = { NodeTransport };
