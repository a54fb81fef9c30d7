'use strict';

// Environment proxies: HTTP_PROXY (absolute-URI requests), HTTPS_PROXY (CONNECT tunnel + TLS to
// a local https server with a self-signed certificate made by the openssl CLI), NO_PROXY.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const { execFileSync } = require('node:child_process');
const sdk = require('..');
const { proxyFor } = require('../lib/proxy');
const { startApi, OPERATIONS } = require('../test-support/api');

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Runs fn with exactly these proxy variables set (the client reads them when created). */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const k of PROXY_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** A forwarding proxy: absolute-URI requests and CONNECT tunnels, recording what it saw. */
async function startProxy() {
  const seen = { requests: [], connects: [], connections: 0, auth: [] };
  const server = http.createServer((req, res) => {
    seen.requests.push(`${req.method} ${req.url}`);
    seen.auth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connect', (req, socket, head) => {
    seen.connects.push(req.url);
    seen.auth.push(req.headers['proxy-authorization']);
    const [host, port] = req.url.split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.on('connection', () => { seen.connections++; });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    seen,
    url: `http://127.0.0.1:${server.address().port}`,
    close() { server.closeAllConnections(); return new Promise((r) => server.close(r)); },
  };
}

let tmp;
let cert;
let key;
let httpsApi;
let httpApi;
let proxy;

test.before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-proxy-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')], { stdio: 'ignore' });
  cert = fs.readFileSync(path.join(tmp, 'cert.pem'), 'utf8');
  key = fs.readFileSync(path.join(tmp, 'key.pem'), 'utf8');
  const found = OPERATIONS.find((o) => o.op === 'getAppUsers');
  const server = https.createServer({ key, cert }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found.response));
  });
  let connections = 0;
  server.on('secureConnection', () => { connections++; });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  httpsApi = {
    port: server.address().port,
    get connections() { return connections; },
    close() { server.closeAllConnections(); return new Promise((r) => server.close(r)); },
  };
  httpApi = await startApi();
  proxy = await startProxy();
});

test.after(async () => {
  await Promise.all([httpsApi.close(), httpApi.close(), proxy.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const opts = (baseUrl, extra = {}) => ({ username: 'k', password: 'p', baseUrl, ...extra });

test('HTTP_PROXY: http:// targets go to the proxy as absolute-URI requests over keep-alive', async () => {
  await withEnv({ HTTP_PROXY: proxy.url }, async () => {
    const before = { requests: proxy.seen.requests.length, connections: proxy.seen.connections };
    const c = new sdk.ConversationsClient(opts(httpApi.url));
    const users = await c.listAppUsers();
    await c.listAppUsers();
    assert.equal(users.data.length, 2);
    assert.deepEqual(proxy.seen.requests.slice(before.requests), [
      `GET ${httpApi.url}/beta/conversations/users`, `GET ${httpApi.url}/beta/conversations/users`]);
    assert.equal(proxy.seen.connections - before.connections, 1);
    assert.equal(httpApi.requests.at(-1).headers.host, new URL(httpApi.url).host);
  });
});

test('proxy credentials in the proxy URL are sent as Proxy-Authorization', async () => {
  const withAuth = proxy.url.replace('http://', 'http://puser:ppass@');
  await withEnv({ http_proxy: withAuth }, async () => {
    await new sdk.ConversationsClient(opts(httpApi.url)).listAppUsers();
    assert.equal(proxy.seen.auth.at(-1), `Basic ${Buffer.from('puser:ppass').toString('base64')}`);
    assert.equal(httpApi.requests.at(-1).headers['proxy-authorization'], undefined);
  });
});

test('HTTPS_PROXY: https:// targets are tunnelled with CONNECT, then TLS, reusing the tunnel', async () => {
  await withEnv({ HTTPS_PROXY: proxy.url }, async () => {
    const before = { connects: proxy.seen.connects.length, tls: httpsApi.connections };
    const c = new sdk.ConversationsClient(opts(`https://localhost:${httpsApi.port}`, { ca: cert }));
    const users = await c.listAppUsers();
    await c.listAppUsers();
    assert.equal(users.data.length, 2);
    assert.deepEqual(proxy.seen.connects.slice(before.connects), [`localhost:${httpsApi.port}`]);
    assert.equal(httpsApi.connections - before.tls, 1);
    c.close();
  });
});

test('HTTPS_PROXY without the right CA: a TLS error, not retried', async () => {
  await withEnv({ HTTPS_PROXY: proxy.url }, async () => {
    const before = proxy.seen.connects.length;
    const err = await new sdk.ConversationsClient(opts(`https://localhost:${httpsApi.port}`)).listAppUsers()
      .then(() => assert.fail('resolved'), (e) => e);
    assert.ok(err instanceof sdk.ConnectionError, err.name);
    assert.match(err.message, /TLS|certificate/i);
    assert.equal(proxy.seen.connects.length - before, 1);
  });
});

test('direct https with the ca option (no proxy)', async () => {
  await withEnv({}, async () => {
    const c = new sdk.ConversationsClient(opts(`https://localhost:${httpsApi.port}`, { ca: cert }));
    assert.equal((await c.listAppUsers()).data.length, 2);
    c.close();
  });
});

test('NO_PROXY bypasses the proxy', async () => {
  for (const noProxy of ['*', '127.0.0.1', `127.0.0.1:${new URL(httpApi.url).port}`, 'example.com,127.0.0.1']) {
    await withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy }, async () => {
      const before = proxy.seen.requests.length;
      await new sdk.ConversationsClient(opts(httpApi.url)).listAppUsers();
      assert.equal(proxy.seen.requests.length, before, `NO_PROXY=${noProxy}`);
    });
  }
  await withEnv({ HTTPS_PROXY: proxy.url, no_proxy: '.localhost' }, async () => {
    const before = proxy.seen.connects.length;
    await new sdk.ConversationsClient(opts(`https://localhost:${httpsApi.port}`, { ca: cert })).listAppUsers();
    assert.equal(proxy.seen.connects.length, before);
  });
});

test('proxyFor follows the request library\'s rules', () => {
  const u = (s) => new URL(s);
  const P = 'http://proxy:3128';
  assert.equal(proxyFor(u('https://api.example.com'), { HTTPS_PROXY: P }).href, 'http://proxy:3128/');
  assert.equal(proxyFor(u('https://api.example.com'), { http_proxy: P }).href, 'http://proxy:3128/', 'https falls back to HTTP_PROXY');
  assert.equal(proxyFor(u('http://api.example.com'), { HTTPS_PROXY: P }), null, 'http targets ignore HTTPS_PROXY');
  assert.equal(proxyFor(u('http://api.example.com'), { HTTP_PROXY: 'proxy:8080' }).href, 'http://proxy:8080/');
  const cases = [
    ['*', 'https://api.example.com', true],
    ['example.com', 'https://api.example.com', true],
    ['example.com', 'https://example.com', true],
    ['example.com', 'https://badexample.com', false],
    ['.example.com', 'https://api.example.com', true],
    ['*.example.com', 'https://api.example.com', true],
    ['api.example.com:443', 'https://api.example.com', true],
    ['api.example.com:8443', 'https://api.example.com', false],
    ['other.org, example.com', 'https://api.example.com', true],
    ['[::1]:80', 'http://[::1]/', true],
  ];
  for (const [noProxy, target, bypass] of cases) {
    const got = proxyFor(u(target), { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: noProxy });
    assert.equal(got === null, bypass, `NO_PROXY=${noProxy} target=${target}`);
  }
});

/** A "proxy" that accepts TCP connections and never answers; counts the open ones. */
async function startBlackHole() {
  const sockets = new Set();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    // Read (and drop) what arrives, so the client closing its end is seen.
    socket.resume();
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get open() { return sockets.size; },
    get accepted() { return accepted; },
    close() { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}

async function waitUntil(pred, ms) {
  const until = Date.now() + ms;
  while (!pred() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return pred();
}

test('a proxy that never answers CONNECT: each attempt times out and its socket is closed', async () => {
  const hole = await startBlackHole();
  try {
    await withEnv({ HTTPS_PROXY: hole.url }, async () => {
      const c = new sdk.ConversationsClient(opts('https://api.example.test', { timeoutMs: 500, maxRetries: 0 }));
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => c.listAppUsers()));
      assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof sdk.TimeoutError),
        JSON.stringify(results.map((r) => r.reason?.code)));
      assert.ok(await waitUntil(() => hole.accepted === 40, 5000), `the proxy saw ${hole.accepted} of 40 connections`);
      assert.ok(await waitUntil(() => hole.open === 0, 5000), `${hole.open} CONNECT sockets still open after the calls timed out`);
      // Aborting a call waiting on CONNECT closes its socket too.
      const controller = new AbortController();
      const call = c.listAppUsers({ signal: controller.signal, timeoutMs: 60_000 });
      assert.ok(await waitUntil(() => hole.accepted === 41 && hole.open === 1, 5000));
      controller.abort();
      await assert.rejects(call, sdk.AbortError);
      assert.ok(await waitUntil(() => hole.open === 0, 5000), 'the aborted call left its CONNECT socket open');
      c.close();
    });
  } finally {
    await hole.close();
  }
});

/** Runs `code` in a fresh Node process with `env`; resolves { code, signal, stdout, stderr }. */
function runNode(code, env, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const child = require('node:child_process').spawn(process.execPath, ['-e', code], {
      cwd: path.join(__dirname, '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (exit, signal) => {
      clearTimeout(timer);
      resolve({ code: exit, signal, stdout, stderr });
    });
  });
}

test('a proxy that never answers CONNECT: the process exits by itself once the calls end', async () => {
  const hole = await startBlackHole();
  try {
    const env = Object.fromEntries(PROXY_VARS.map((k) => [k, '']));
    const script = `
      const sdk = require('.');
      const c = new sdk.ConversationsClient({ baseUrl: 'https://api.example.test', timeoutMs: 300, maxRetries: 0 });
      Promise.allSettled([c.listAppUsers(), c.getAppUser('u1')]).then((r) => console.log(r.map((x) => x.reason.code).join(',')));`;
    const run = await runNode(script, { ...env, HTTPS_PROXY: hole.url }, 10_000);
    assert.equal(run.signal, null, 'the process had to be killed: the CONNECT socket kept it alive');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'timeout,timeout');
  } finally {
    await hole.close();
  }
});

test('proxy credentials never show under NODE_DEBUG=http, in errors or in inspect', async () => {
  const hole = await startBlackHole();
  try {
    const env = Object.fromEntries(PROXY_VARS.map((k) => [k, '']));
    const secret = 'proxy-pass-canary';
    const auth = (u) => u.replace('http://', `http://puser:${secret}@`);
    const script = `
      const util = require('node:util');
      const sdk = require('.');
      const out = [];
      const logger = { debug: (m, f) => out.push(JSON.stringify(f)), info: (m, f) => out.push(JSON.stringify(f)),
        warn: (m, f) => out.push(JSON.stringify(f)), error: (m, f) => out.push(JSON.stringify(f)) };
      const s = new sdk.ConversationsClient({ baseUrl: 'https://api.example.test', timeoutMs: 300, maxRetries: 0, logger });
      const h = new sdk.ConversationsClient({ baseUrl: ${JSON.stringify(httpApi.url)}, timeoutMs: 2000, maxRetries: 0, logger });
      Promise.allSettled([s.listAppUsers(), h.listAppUsers()]).then((r) => {
        for (const x of r) out.push(x.status === 'rejected' ? util.inspect(x.reason, { showHidden: true, depth: 9 }) : JSON.stringify(x.value));
        out.push(util.inspect(s, { showHidden: true, depth: 9 }), util.inspect(h, { showHidden: true, depth: 9 }));
        console.log(out.join('\\n'));
        s.close(); h.close();
      });`;
    const run = await runNode(script, {
      ...env, HTTPS_PROXY: auth(hole.url), HTTP_PROXY: auth(proxy.url), NODE_DEBUG: 'http,net,tls',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /HTTP \d+/, 'NODE_DEBUG=http printed nothing: the check would prove nothing');
    const b64 = Buffer.from(`puser:${secret}`).toString('base64');
    for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr]]) {
      assert.ok(!text.includes(secret), `${where} shows the proxy password`);
      assert.ok(!text.includes(b64), `${where} shows the Proxy-Authorization value`);
    }
    // The credentials were used (the http:// proxy saw them), so the check above is meaningful.
    assert.equal(proxy.seen.auth.at(-1), `Basic ${b64}`);
  } finally {
    await hole.close();
  }
});
