'use strict';

// The I/O candidates of issue #18, each as a client factory with the same two calls against
// bench/server.js: `list()` (listAppUsers) and `send()` (sendMessage), both resolving the parsed
// result. "raw" variants are what a careful user writes by hand; "+ engine" variants do the
// package's per-call engine work (requestLine, then decode of the body into the camelCase
// envelope, JSON.parse of it) over that I/O, without the rest of the package's pipeline (option
// checks, the deadline watchdog, retries, typed errors): the pipeline's cost is measured apart, as
// "sdk modern" minus "node:http + engine".

const http = require('node:http');
const path = require('node:path');
const { USER, MESSAGE, CREDENTIALS, USERS_PATH, SEND_PATH, rawHttp, rawUndici, undici } = require('../raw');

const LIST = 'getAppUsers';
const SEND = 'createSendMessage';
const ENGINE_CONFIG = { ...CREDENTIALS, requireCredentials: true }; // as the modern client's

/** The engine's envelope to the result, as the package's pipeline reads it. */
function settle(text) {
  const out = JSON.parse(text);
  if (out.error !== undefined) throw new Error(out.error.message);
  return out.ok;
}

/**
 * The package's engine (its addon's `Engine`) driving `send(method, path, headers, body)`, which
 * resolves `{ status, body: Uint8Array }`. Heads are asked once per operation, as the package does.
 */
function engineDriven(Engine, baseUrl, send) {
  const engine = new Engine({ baseUrl, ...ENGINE_CONFIG });
  const origin = new URL(baseUrl).origin.length;
  const heads = new Map();
  const call = (op, id, bodyJson) => {
    let head = heads.get(op);
    if (head === undefined) {
      head = engine.requestHead(op);
      heads.set(op, head);
    }
    const line = engine.requestLine(op, id, bodyJson);
    if (line.charCodeAt(0) === 123) return Promise.reject(new Error(line));
    const nl = line.indexOf('\n');
    const url = nl < 0 ? line : line.slice(0, nl);
    return send(head.method, url.slice(origin), head.headers, nl < 0 ? null : line.slice(nl + 1))
      .then((res) => settle(engine.decode(op, res.status, res.body)));
  };
  return {
    list: () => call(LIST, null, null),
    send: () => call(SEND, USER, JSON.stringify(MESSAGE)),
  };
}

/** node:http with a keep-alive agent, the body read whole as bytes. */
function httpBytes(baseUrl) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true });
  const send = (method, urlPath, headers, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: urlPath, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
  return { send, close: () => agent.destroy() };
}


/** Each variant: `(ctx) => { list, send, close }`, ctx = { baseUrl, pkgDir }. */
const VARIANTS = {
  'raw node:http': ({ baseUrl }) => {
    const raw = rawHttp(baseUrl);
    return {
      list: () => raw.call('GET', USERS_PATH, null),
      send: () => raw.call('POST', SEND_PATH, JSON.stringify(MESSAGE)),
      close: raw.close,
    };
  },
  'raw undici': ({ baseUrl }) => {
    const raw = rawUndici(baseUrl);
    return {
      list: () => raw.call('GET', USERS_PATH, null),
      send: () => raw.call('POST', SEND_PATH, JSON.stringify(MESSAGE)),
      close: raw.close,
    };
  },
  'node:http + engine': ({ baseUrl, pkgDir }) => {
    const io = httpBytes(baseUrl);
    return { ...engineDriven(addonEngine(pkgDir), baseUrl, io.send), close: io.close };
  },
  'undici + engine': ({ baseUrl, pkgDir }) => {
    const pool = new (undici().Pool)(baseUrl);
    const send = async (method, urlPath, headers, body) => {
      const res = await pool.request({ method, path: urlPath, headers, body });
      return { status: res.statusCode, body: new Uint8Array(await res.body.arrayBuffer()) };
    };
    return { ...engineDriven(addonEngine(pkgDir), baseUrl, send), close: () => pool.destroy() };
  },
  'sdk modern': ({ baseUrl, pkgDir }) => {
    const client = new (require(pkgDir).ConversationsClient)({ baseUrl, ...CREDENTIALS });
    return { list: () => client.listAppUsers(), send: () => client.sendMessage(USER, MESSAGE), close: () => client.close() };
  },
  'sdk compat': ({ baseUrl, pkgDir }) => {
    const lib = require(pkgDir);
    lib.Configuration.BASEURI = baseUrl;
    lib.Configuration.basicAuthUserName = CREDENTIALS.username;
    lib.Configuration.basicAuthPassword = CREDENTIALS.password;
    return {
      list: () => lib.AppUsersController.getAppUsers(),
      send: () => lib.AppUsersController.createSendMessage(USER, new lib.BaseMessageDto(MESSAGE)),
      close: () => {},
    };
  },
};

/** The `Engine` class of the package's addon, loaded as the package loads it. */
function addonEngine(pkgDir) {
  return require(path.join(pkgDir, 'conversations.linux-x64-gnu.node')).Engine;
}

module.exports = { VARIANTS };
