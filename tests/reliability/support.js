'use strict';

// Shared helpers for the Node reliability tests: the sandbox as a child process, its control
// endpoints, scripted servers for faults the sandbox cannot produce, and the engine list.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const SDK = path.join(ROOT, 'npm');
const SANDBOX_BIN = process.env.SANDBOX_BIN || path.join(ROOT, 'target', 'debug', 'conversations-sandbox');
const BEN = '3898c5e4-73cc-44f9-812f-3698a4c3bb1d';
const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, 'faults.json'), 'utf8'));

/**
 * The engines to run in this checkout: native always; wasm whenever its build is present
 * (npm/wasm/), so a wasm build that exists is never silently skipped.
 */
function engines() {
  const list = ['native'];
  if (fs.existsSync(path.join(SDK, 'wasm'))) list.push('wasm');
  return list;
}

/**
 * The I/O a client of `engine` must be using in this run: the native engine's Rust I/O, or
 * node:http when CONVERSATIONS_TRANSPORT=node (make test runs the matrix both ways); the wasm
 * engine always uses node:http in Node. Checked so a silent fallback never passes for the other.
 */
function expectedTransport(engine) {
  return engine === 'native' ? process.env.CONVERSATIONS_TRANSPORT || 'rust' : 'node';
}

/** The Basic credentials of each sandbox started here (by URL), for its control endpoints. */
const CREDENTIALS = new Map();

/** Starts `conversations-sandbox --port 0 ...args`; resolves { url, proc, stop() }. */
function startSandbox(args = ['--seed-demo']) {
  const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const credentials = `${flag('--key', 'sandbox-key')}:${flag('--secret', 'sandbox-secret')}`;
  return new Promise((resolve, reject) => {
    const proc = spawn(SANDBOX_BIN, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (c) => { err += c; });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`sandbox exited (${code}): ${err}`)));
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        proc.removeAllListeners('exit');
        CREDENTIALS.set(m[1], credentials);
        resolve({
          url: m[1],
          proc,
          stop: () => new Promise((done) => {
            if (proc.exitCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGTERM');
          }),
        });
      }
    });
  });
}

/** One control call to the sandbox (no SDK involved); resolves the parsed JSON answer. */
function control(base, method, route, body) {
  return new Promise((resolve, reject) => {
    // Control endpoints take the sandbox's credentials and JSON only.
    const credentials = CREDENTIALS.get(base) || 'sandbox-key:sandbox-secret';
    const req = http.request(`${base}${route}`, { method, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode >= 300) reject(new Error(`${method} ${route}: ${res.statusCode} ${text}`));
        else resolve(text === '' ? null : JSON.parse(text));
      });
    });
    // Set on the request, not in its options: NODE_DEBUG=net prints the options (the canary
    // runs with it and a secret that must appear nowhere).
    req.setHeader('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A URL on which nothing listens (bound, then closed). */
async function refusedUrl() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/**
 * A raw TCP server. `onRequest(socket)` runs once per connection when a request head arrived;
 * counts requests and open connections.
 */
async function rawServer(onRequest) {
  const state = { requests: 0, open: 0, accepted: 0 };
  const sockets = new Set();
  const server = net.createServer((socket) => {
    state.open++;
    state.accepted++;
    sockets.add(socket);
    let head = '';
    let seen = false;
    socket.on('data', (c) => {
      if (seen) return;
      head += c.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        seen = true;
        state.requests++;
        onRequest(socket);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      state.open--;
      sockets.delete(socket);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

/** Headers and part of a body, then silence. */
function stallMidBodyServer() {
  return rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"data":[');
  });
}

/** The fault action with placeholders filled in. */
function fillPlaceholders(action) {
  const out = structuredClone(action);
  for (const [k, v] of Object.entries(out.headers ?? {})) {
    if (v === '{http-date+2s}') out.headers[k] = new Date(Date.now() + 2000).toUTCString();
  }
  return out;
}

/** The expectation for `engine` and `op` ('get' | 'post'), or { skip: reason }. */
function expectation(testCase, engine, op) {
  const over = testCase.engines?.[engine];
  if (over?.skip) return { skip: over.skip };
  return over?.[op] ?? testCase[op];
}

module.exports = {
  ROOT, SDK, SANDBOX_BIN, BEN, TABLE, engines, expectedTransport, startSandbox, control, refusedUrl, rawServer,
  stallMidBodyServer, fillPlaceholders, expectation,
};
