'use strict';

// Which I/O a client uses in Node. The browser build replaces this module with
// transports-browser.js, so node:http never enters a browser's module graph.

const fs = require('node:fs');
const http = require('node:http');
const { types } = require('node:util');
const diagnostics = require('node:diagnostics_channel');
const { NodeTransport } = require('./transport-node');
const { FetchTransport } = require('./transport-fetch');
const { RustTransport } = require('./transport-rust');
const { proxyFor } = require('./proxy');
const { nativeIo } = require('./engine');
const { invalidInput } = require('./errors');
const { TRANSPORT_NAMES } = require('./options');

const ENV_TRANSPORT = 'CONVERSATIONS_TRANSPORT';

// node:http's own diagnostics channels: a subscriber (APM agents, OpenTelemetry's
// diagnostics-channel instrumentations) expects every request to show there.
const HTTP_CHANNELS = ['http.client.request.created', 'http.client.request.start', 'http.client.request.error',
  'http.client.response.finish'].map((name) => diagnostics.channel(name));

/**
 * Whether `fn` is node:http's (or node:https's) own `request`, not a replacement: nock and
 * msw's interceptors replace it (msw with a Proxy of it), OpenTelemetry's instrumentation wraps it
 * (shimmer marks the wrapper `__wrapped`). Node's own is a plain function named `request` that
 * builds a ClientRequest.
 */
function ownRequest(fn) {
  return typeof fn === 'function' && !types.isProxy(fn) && fn.name === 'request' && !('__wrapped' in fn)
    && !('__original' in fn) && Function.prototype.toString.call(fn).includes('ClientRequest');
}

/**
 * Watches what would make node:http see requests the Rust I/O does not send: a replaced
 * `http.request` / `https.request`, or a subscriber to node:http's diagnostics channels. Checked
 * when a client is created and again per call (a mock is often installed after the client is
 * made). Per call it compares identities and reads flags: a function's source is read only when
 * the function changed.
 */
class Interception {
  constructor() {
    this.httpRequest = null;
    this.httpReplaced = false;
    this.httpsRequest = null;
    this.httpsReplaced = false;
    // node:https and node:tls are not loaded for the Rust I/O (a large share of require time):
    // they are only looked at once something has loaded them.
    this.loadCount = -1;
    this.httpsModule = null;
    this.tlsModule = null;
    this.defaultCa = null;
    this.defaultCaMoved = false;
  }

  /** The reason calls should go through node:http now, or null. */
  reason() {
    this.loaded();
    if (http.request !== this.httpRequest) {
      this.httpRequest = http.request;
      this.httpReplaced = !ownRequest(http.request);
    }
    if (this.httpReplaced) return 'http.request is replaced (an interceptor or instrumentation)';
    const https = this.httpsModule;
    if (https !== null) {
      if (https.request !== this.httpsRequest) {
        this.httpsRequest = https.request;
        this.httpsReplaced = !ownRequest(https.request);
      }
      if (this.httpsReplaced) return 'https.request is replaced (an interceptor or instrumentation)';
    }
    for (const channel of HTTP_CHANNELS) {
      if (channel.hasSubscribers) return `diagnostics_channel "${channel.name}" has subscribers`;
    }
    if (this.defaultCaSet()) return 'tls.setDefaultCACertificates() changed the CAs node:https trusts';
    return null;
  }

  /** Takes node:https and node:tls once anything in the process has loaded them. */
  loaded() {
    if (this.httpsModule !== null && this.tlsModule !== null) return;
    const list = process.moduleLoadList;
    const known = Array.isArray(list);
    if (known) {
      if (list.length === this.loadCount) return;
      this.loadCount = list.length;
    }
    if (this.httpsModule === null && (!known || list.includes('NativeModule https'))) this.httpsModule = require('node:https');
    if (this.tlsModule === null && (!known || list.includes('NativeModule tls'))) this.tlsModule = require('node:tls');
  }

  /**
   * Whether `tls.setDefaultCACertificates()` (Node 22.19, 24.5 and later) made node:https trust
   * other CAs than the Rust I/O does: Node's bundled roots and NODE_EXTRA_CA_CERTS. Node returns
   * the same `getCACertificates('default')` array until the defaults are set, so the sets are
   * compared once per change, not per call.
   */
  defaultCaSet() {
    const tls = this.tlsModule;
    if (tls === null || typeof tls.setDefaultCACertificates !== 'function' || typeof tls.getCACertificates !== 'function') return false;
    const current = tls.getCACertificates('default');
    if (current !== this.defaultCa) {
      this.defaultCa = current;
      const trusted = new Set([...tls.getCACertificates('bundled'), ...tls.getCACertificates('extra')]);
      const now = new Set(current);
      this.defaultCaMoved = now.size !== trusted.size || [...now].some((pem) => !trusted.has(pem));
    }
    return this.defaultCaMoved;
  }
}

/**
 * The Rust I/O with node:http for the calls it cannot keep a promise for: while an interceptor,
 * a diagnostics subscriber or other default CAs are present (Interception), calls go through
 * node:http (created when first needed), so mocks and instrumentation see them.
 */
class AutoTransport {
  constructor(rust, interception, makeNode) {
    this.rust = rust;
    this.interception = interception;
    this.makeNode = makeNode;
    this.node = null;
    this.readsHeadersOnly = true;
    this.timesAttempts = true;
  }

  /** `'rust'`, or `'node'` while calls are diverted to node:http. */
  get name() {
    return this.interception.reason() === null ? 'rust' : 'node';
  }

  send(req, timeoutMs, signal, maxBytes) {
    if (this.interception.reason() === null) return this.rust.send(req, timeoutMs, signal, maxBytes);
    this.node ??= this.makeNode();
    return this.node.send(req, timeoutMs, signal, maxBytes);
  }

  close() {
    this.rust.close();
    if (this.node !== null) this.node.close();
  }
}

/** CONVERSATIONS_TRANSPORT, or undefined when unset. */
function environmentChoice() {
  const value = typeof process === 'object' && process.env ? process.env[ENV_TRANSPORT] : undefined;
  if (value === undefined || value === '') return undefined;
  if (!TRANSPORT_NAMES.includes(value)) {
    throw invalidInput(`${ENV_TRANSPORT} must be "rust" or "node" (or unset for the default), got ${JSON.stringify(value)}`, 'transport');
  }
  return value;
}

/** Whether Node was told to trust the system's certificate store, which the Rust I/O does not read. */
function systemCa() {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.some((flag) => flag === '--use-system-ca' || flag === '--use-openssl-ca') || process.env.NODE_USE_SYSTEM_CA === '1';
}

let extraCa;
/** NODE_EXTRA_CA_CERTS's content (PEM), read once per process; undefined when unset or unreadable (Node warns and goes on). */
function extraCaText() {
  if (extraCa !== undefined) return extraCa === null ? undefined : extraCa;
  const file = process.env.NODE_EXTRA_CA_CERTS;
  extraCa = null;
  if (typeof file === 'string' && file !== '') {
    try {
      extraCa = fs.readFileSync(file, 'utf8');
    } catch {
      // Node itself only warns about an unreadable file.
    }
  }
  return extraCa === null ? undefined : extraCa;
}

/** The `ca` option (PEM string, bytes, or an array of them) as PEM text. */
function caText(ca) {
  if (ca === undefined) return undefined;
  const one = (v) => (typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8'));
  return Array.isArray(ca) ? ca.map(one).join('\n') : one(ca);
}

function rustTransport(Io, options) {
  const ioOptions = {};
  const ca = caText(options.ca);
  if (ca !== undefined) ioOptions.ca = ca;
  const extra = extraCaText();
  if (extra !== undefined) ioOptions.extraCa = extra;
  try {
    return new RustTransport(Io, ioOptions);
  } catch (err) {
    if (ca !== undefined) throw invalidInput(`option "ca" is not usable PEM certificate text: ${err.message}`, 'ca');
    throw err;
  }
}

/**
 * Which I/O a client uses in Node:
 * - `fetch` option → that fetch; `agent` option → node:http with that agent.
 * - `transport: 'node'` (or CONVERSATIONS_TRANSPORT=node when the option is absent) → node:http.
 * - `transport: 'rust'` → the native engine's Rust I/O, always (an InvalidInputError where there
 *   is none, or when an environment proxy applies to the baseUrl: the Rust I/O has no proxies).
 * - otherwise the native engine's Rust I/O, except where it cannot keep a guarantee of
 *   node:http's, then node:http: an environment proxy applies to the baseUrl; Node trusts the
 *   system's CA store (--use-system-ca, --use-openssl-ca); the addon has no `Io`; and, checked per
 *   call, node:http's `request` is replaced, its diagnostics channels have subscribers, or
 *   tls.setDefaultCACertificates() changed the default CAs.
 * The wasm engine always uses node:http in Node: its own fetch I/O (`execute`, what browsers use)
 * would pay Node's fetch overhead and ignore agents, CAs, proxies and interceptors.
 * @param {{ fetch?: Function, agent?: object, ca?: unknown, transport?: 'rust' | 'node' }} options checked client options
 * @param {{ policy(): { baseUrl: string } }} engine the client's engine
 */
function createTransport(options, engine) {
  if (options.fetch) return new FetchTransport(options.fetch);
  const node = () => new NodeTransport({ agent: options.agent, ca: options.ca });
  if (options.agent) return node();
  const asked = options.transport ?? environmentChoice();
  if (asked === 'node') return node();
  const Io = nativeIo();
  const proxy = proxyFor(new URL(engine.policy().baseUrl), process.env);
  if (asked === 'rust') {
    if (Io === null) {
      throw invalidInput('transport "rust" needs the native engine\'s Rust I/O, which this engine does not have '
        + '(the wasm engine, or an addon built without it): leave transport unset or pass "node"', 'transport');
    }
    if (proxy !== null) {
      throw invalidInput(`transport "rust" does not go through proxies, and the environment's proxy ${proxy.origin} applies `
        + 'to the baseUrl: leave transport unset (node:http is then used), pass "node", or list the host in NO_PROXY', 'transport');
    }
    return rustTransport(Io, options);
  }
  if (Io === null || proxy !== null || systemCa()) return node();
  const interception = new Interception();
  if (interception.reason() !== null) return node();
  return new AutoTransport(rustTransport(Io, options), interception, node);
}

module.exports = { createTransport };
