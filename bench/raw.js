'use strict';

// The hand-written calls the package is measured against, and what every bench script sends:
// one definition, so the per-call, memory and instruction figures compare the same thing.

const http = require('node:http');
const path = require('node:path');

const USER = 'd36c4ff6-4e81-4d7f-93c0-1472e09d1063';
const MESSAGE = { text: 'Thanks Ben! Shipping to Australia is $10.', channel: 'facebook' };
const CREDENTIALS = { username: 'bench-key', password: 'bench-secret' };
const USERS_PATH = '/beta/conversations/users';
const SEND_PATH = `${USERS_PATH}/${USER}/messages`;
const AUTH = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
const GET_HEADERS = { authorization: AUTH, accept: 'application/json', 'user-agent': 'bench' };
const POST_HEADERS = { ...GET_HEADERS, 'content-type': 'application/json; charset=utf-8' };

/**
 * What a careful user writes by hand against `baseUrl`: node:http with a keep-alive agent, the
 * same headers as the package, the body read whole and JSON-parsed. `call(method, path, body)`
 * resolves the parsed body (rejects for a status ≥ 300); `close()` drops the idle sockets.
 */
function rawHttp(baseUrl) {
  const target = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true });
  const call = (method, path, body) => new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, method, path, agent, headers: body === null ? GET_HEADERS : POST_HEADERS,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          const out = JSON.parse(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
          if (res.statusCode >= 300) reject(new Error(`HTTP ${res.statusCode}`));
          else resolve(out);
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
  return { call, close: () => agent.destroy() };
}

/**
 * undici, a devDependency of the benches only (bench/io/package.json, installed from its lockfile
 * by the make targets that need it): loaded on demand, so processes that do not measure it stay
 * without it (its allocations and GC would land in whichever variant runs next).
 */
function undici() {
  return require(require.resolve('undici', { paths: [path.join(__dirname, 'io')] }));
}

/** The same hand-written call over undici's `Pool.request` (the Node project's client, not fetch). */
function rawUndici(baseUrl) {
  const pool = new (undici().Pool)(baseUrl);
  const call = async (method, urlPath, body) => {
    const res = await pool.request({ method, path: urlPath, headers: body === null ? GET_HEADERS : POST_HEADERS, body });
    const out = await res.body.json();
    if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
    return out;
  };
  return { call, close: () => pool.destroy() };
}

/**
 * The environment that selects the package's node:http transport instead of its default (Rust
 * I/O in the addon, issue #18). An environment variable rather than the client option, because it
 * reaches both surfaces (the compat surface has no per-client options); the benches measure each
 * transport in a process of its own.
 */
const NODE_TRANSPORT_ENV = { CONVERSATIONS_TRANSPORT: 'node' };

module.exports = {
  USER, MESSAGE, CREDENTIALS, USERS_PATH, SEND_PATH, GET_HEADERS, POST_HEADERS, NODE_TRANSPORT_ENV, rawHttp, rawUndici, undici,
};
