'use strict';

// The native addon's `Io` (bindings-node/src/io.rs), driven raw against local node:http servers:
// the contract npm/lib/transport-rust.js builds on. One onDone per send whatever happens,
// keep-alive reuse, the attempt's timeout, cancel, a graceful close, the size cap (declared and
// decoded), decompression, failure kinds with Node-style codes, TLS with a caller's CA, the event
// loop held only while sends are in flight, teardown with sends in flight, worker threads.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const zlib = require('node:zlib');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');

const ADDON = path.join(__dirname, '..', `conversations.${process.platform}-${process.arch}-gnu.node`);
const native = process.env.CONVERSATIONS_ENGINE !== 'wasm' && fs.existsSync(ADDON);
const skip = !native && 'no native addon';
const { Io } = native ? require(ADDON) : {};

const KIND = { response: -1, refused: 0, reset: 1, timeout: 2, aborted: 3, too_large: 4, fatal: 6 };

/** An Io whose completions resolve promises by slot, and fail the test if one comes twice. */
function client(options = {}) {
  const waiting = new Map();
  const seen = new Map();
  const io = new Io((slot, kind, status, text, body) => {
    seen.set(slot, (seen.get(slot) || 0) + 1);
    const done = { slot, kind, status, text, body };
    const resolve = waiting.get(slot);
    waiting.delete(slot);
    if (resolve) resolve(done);
  }, options);
  const head = io.head(['accept', 'application/json', 'x-test', 'yes']);
  let next = 0;
  return {
    io,
    seen,
    head,
    /** Sends and resolves with the completion. */
    send(url, { method = 'GET', body = null, timeoutMs = 5000, maxBytes = 1 << 20, slot = next++ } = {}) {
      return { slot, done: new Promise((resolve) => { waiting.set(slot, resolve); io.send(slot, method, url, head, body, timeoutMs, maxBytes); }) };
    },
  };
}

function headers(text) {
  return text.split('\n').filter(Boolean).map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1)];
  });
}

/** A server on 127.0.0.1; `handler(req, res)`; counts connections and tracks open sockets. */
async function serve(handler, { secure } = {}) {
  const server = secure ? https.createServer(secure, handler) : http.createServer(handler);
  const sockets = new Set();
  let connections = 0;
  server.on(secure ? 'secureConnection' : 'connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `${secure ? 'https' : 'http'}://${secure ? 'localhost' : '127.0.0.1'}:${server.address().port}`;
  return {
    base,
    server,
    sockets,
    get connections() { return connections; },
    close() { server.closeAllConnections(); return new Promise((resolve) => server.close(resolve)); },
  };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a response: status, headers as name:value lines in order, the body as a Buffer, one completion per send', { skip }, async () => {
  const api = await serve((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      res.setHeader('X-Echo-Method', req.method);
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Got-Test', String(req.headers['x-test']));
      res.setHeader('X-Latin1', Buffer.from('café', 'latin1').toString('latin1'));
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, body }));
    });
  });
  const c = client();
  const get = await c.send(`${api.base}/a?x=1`).done;
  assert.equal(get.kind, KIND.response);
  assert.equal(get.status, 201);
  assert.ok(Buffer.isBuffer(get.body));
  assert.deepEqual(JSON.parse(get.body.toString()), { url: '/a?x=1', body: '' });
  const h = headers(get.text);
  assert.deepEqual(h.slice(0, 5), [['x-echo-method', 'GET'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-got-test', 'yes'], ['x-latin1', 'café']]);
  assert.ok(h.some(([n, v]) => n === 'content-type' && v === 'application/json'));
  const post = await c.send(`${api.base}/b`, { method: 'POST', body: '{"é":"€"}' }).done;
  assert.deepEqual(JSON.parse(post.body.toString()), { url: '/b', body: '{"é":"€"}' });
  // URLs and bodies past the addon's stack buffers, multi-byte characters where a copy would cut.
  for (const len of [500, 509, 510, 511, 1019, 1020, 1021, 1022, 1023, 3000]) {
    const body = `${'b'.repeat(len)}é€😀`;
    const url = `${api.base}/${'u'.repeat(len)}`;
    const got = await c.send(url, { method: 'POST', body }).done;
    assert.deepEqual(JSON.parse(got.body.toString()), { url: url.slice(api.base.length), body }, `length ${len}`);
  }
  await delay(50);
  assert.ok([...c.seen.values()].every((n) => n === 1));
  c.io.close();
  await api.close();
});

test('keep-alive: sequential sends reuse one connection', { skip }, async () => {
  const api = await serve((req, res) => res.end('ok'));
  const c = client();
  for (let i = 0; i < 5; i++) assert.equal((await c.send(`${api.base}/`).done).kind, KIND.response);
  assert.equal(api.connections, 1);
  c.io.close();
  await api.close();
});

test('timeoutMs bounds the attempt: a server that never answers is kind timeout, ETIMEDOUT', { skip }, async () => {
  const api = await serve(() => {});
  const c = client();
  const started = Date.now();
  const done = await c.send(`${api.base}/`, { timeoutMs: 150 }).done;
  const took = Date.now() - started;
  assert.equal(done.kind, KIND.timeout);
  assert.match(done.text, /^ETIMEDOUT /);
  assert.equal(done.body, undefined);
  assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
  // A body that stalls half-way times out too.
  const stall = await serve((req, res) => { res.writeHead(200, { 'content-length': '10' }); res.write('abc'); });
  const partial = await c.send(`${stall.base}/`, { timeoutMs: 150 }).done;
  assert.equal(partial.kind, KIND.timeout);
  c.io.close();
  await api.close();
  await stall.close();
});

test('cancel before the response: kind aborted at once, the connection is closed, nothing later', { skip }, async () => {
  let answer;
  const api = await serve((req, res) => { answer = () => res.end('late'); });
  const c = client();
  const { slot, done } = c.send(`${api.base}/`);
  while (!answer) await delay(5);
  assert.equal(api.sockets.size, 1);
  c.io.cancel(slot);
  const got = await done;
  assert.equal(got.kind, KIND.aborted);
  assert.match(got.text, /^ERR_ABORTED /);
  for (let i = 0; i < 100 && api.sockets.size > 0; i++) await delay(10);
  assert.equal(api.sockets.size, 0, 'the cancelled request\'s connection is closed');
  answer();
  c.io.cancel(slot); // a second cancel: nothing more
  await delay(100);
  assert.equal(c.seen.get(slot), 1);
  c.io.close();
  await api.close();
});

test('cancel after the response: nothing more is delivered', { skip }, async () => {
  const api = await serve((req, res) => res.end('ok'));
  const c = client();
  const { slot, done } = c.send(`${api.base}/`);
  assert.equal((await done).kind, KIND.response);
  c.io.cancel(slot);
  c.io.cancel(12345); // never sent
  await delay(100);
  assert.equal(c.seen.get(slot), 1);
  assert.equal(c.seen.get(12345), undefined);
  c.io.close();
  await api.close();
});

test('close(): idle connections close, a send in flight finishes, a later send opens a new connection', { skip }, async () => {
  let slowAnswer;
  const api = await serve((req, res) => {
    if (req.url === '/slow') slowAnswer = () => res.end('slow');
    else res.end('fast');
  });
  const c = client();
  // Two connections: one idle after its response, one busy with /slow.
  const slow = c.send(`${api.base}/slow`);
  assert.equal((await c.send(`${api.base}/fast`).done).kind, KIND.response);
  while (!slowAnswer) await delay(5);
  assert.equal(api.connections, 2);
  c.io.close();
  slowAnswer();
  const done = await slow.done;
  assert.equal(done.kind, KIND.response);
  assert.equal(done.body.toString(), 'slow');
  for (let i = 0; i < 100 && api.sockets.size > 0; i++) await delay(10);
  assert.equal(api.sockets.size, 0, 'every connection of the closed pool is closed');
  assert.equal((await c.send(`${api.base}/fast`).done).kind, KIND.response);
  assert.equal(api.connections, 3);
  c.io.close();
  await api.close();
});

test('too_large: by content-length before reading, and by decoded size while reading (gzip bomb)', { skip }, async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(8 << 20));
  const deflateBomb = zlib.deflateRawSync(Buffer.alloc(8 << 20));
  const api = await serve((req, res) => {
    if (req.url === '/deflate') {
      res.writeHead(200, { 'content-encoding': 'deflate' });
      res.end(deflateBomb);
    } else if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(2000) });
      res.end('x'.repeat(2000));
    } else if (req.url === '/chunked') {
      res.writeHead(200);
      res.end('y'.repeat(5000));
    } else {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    }
  });
  const c = client();
  const declared = await c.send(`${api.base}/declared`, { maxBytes: 1000 }).done;
  assert.deepEqual([declared.kind, declared.status], [KIND.too_large, 200]);
  assert.match(declared.text, /^ERR_TOO_LARGE /);
  const chunked = await c.send(`${api.base}/chunked`, { maxBytes: 1000 }).done;
  assert.deepEqual([chunked.kind, chunked.status], [KIND.too_large, 200]);
  assert.ok(bomb.length < 1 << 20);
  const decoded = await c.send(`${api.base}/bomb`, { maxBytes: 1 << 20 }).done;
  assert.deepEqual([decoded.kind, decoded.status], [KIND.too_large, 200]);
  const inflated = await c.send(`${api.base}/deflate`, { maxBytes: 1 << 20 }).done;
  assert.deepEqual([inflated.kind, inflated.status], [KIND.too_large, 200]);
  // At the limit exactly: fine.
  const exact = await c.send(`${api.base}/declared`, { maxBytes: 2000 }).done;
  assert.equal(exact.kind, KIND.response);
  c.io.close();
  await api.close();
});

test('content-encoding gzip, deflate (zlib and raw) and br are decoded; a bad one is fatal ERR_BAD_ENCODING', { skip }, async () => {
  const text = JSON.stringify({ data: 'z'.repeat(3000) });
  const bodies = {
    gzip: zlib.gzipSync(text),
    deflate: zlib.deflateSync(text),
    'deflate-raw': zlib.deflateRawSync(text),
    br: zlib.brotliCompressSync(text),
  };
  const api = await serve((req, res) => {
    const name = req.url.slice(1);
    if (name === 'broken' || name === 'broken-deflate') {
      res.writeHead(200, { 'content-encoding': name === 'broken' ? 'gzip' : 'deflate' });
      res.end(Buffer.from('this is not gzip at all'));
      return;
    }
    res.writeHead(200, { 'content-encoding': name === 'deflate-raw' ? 'deflate' : name });
    res.end(bodies[name]);
  });
  const c = client();
  for (const name of Object.keys(bodies)) {
    const done = await c.send(`${api.base}/${name}`).done;
    assert.equal(done.kind, KIND.response, name);
    assert.equal(done.body.toString(), text, name);
  }
  const broken = await c.send(`${api.base}/broken`).done;
  assert.deepEqual([broken.kind, broken.status], [KIND.fatal, 200]);
  assert.match(broken.text, /^ERR_BAD_ENCODING /);
  const brokenDeflate = await c.send(`${api.base}/broken-deflate`).done;
  assert.deepEqual([brokenDeflate.kind, brokenDeflate.status], [KIND.fatal, 200]);
  assert.match(brokenDeflate.text, /^ERR_BAD_ENCODING /);
  c.io.close();
  await api.close();
});

test('a closed port is refused (ECONNREFUSED), an unknown host too (ENOTFOUND); a connection reset mid-body is reset (ECONNRESET)', { skip }, async () => {
  const closed = net.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const c = client();
  const refused = await c.send(`http://127.0.0.1:${port}/`).done;
  assert.deepEqual([refused.kind, refused.status], [KIND.refused, 0]);
  assert.match(refused.text, /^ECONNREFUSED /);
  // A name that cannot resolve (RFC 2606's .invalid) is refused too: the request never left.
  const unknown = await c.send('http://no-such-host.invalid/').done;
  assert.deepEqual([unknown.kind, unknown.status], [KIND.refused, 0]);
  assert.match(unknown.text, /^ENOTFOUND /);
  const api = await serve((req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    setTimeout(() => res.socket.destroy(), 20);
  });
  const reset = await c.send(`${api.base}/`).done;
  assert.equal(reset.kind, KIND.reset);
  assert.match(reset.text, /^(ECONNRESET|EPIPE) /);
  assert.equal(reset.body, undefined);
  c.io.close();
  await api.close();
});

test('https: a self-signed certificate given as `ca` is trusted; without it the failure is fatal ERR_TLS_CERT', { skip }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-io-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // What `openssl req -x509` makes by default: a certificate marked CA, as its own server's.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')], { stdio: 'ignore' });
  const cert = fs.readFileSync(path.join(tmp, 'cert.pem'), 'utf8');
  const key = fs.readFileSync(path.join(tmp, 'key.pem'), 'utf8');
  const api = await serve((req, res) => res.end('secure'), { secure: { key, cert } });
  const trusted = client({ ca: cert });
  const ok = await trusted.send(`${api.base}/`).done;
  assert.equal(ok.kind, KIND.response);
  assert.equal(ok.body.toString(), 'secure');
  const extra = client({ extraCa: cert });
  assert.equal((await extra.send(`${api.base}/`).done).kind, KIND.response);
  const plain = client();
  const refused = await plain.send(`${api.base}/`).done;
  assert.equal(refused.kind, KIND.fatal);
  assert.match(refused.text, /^ERR_TLS_CERT /);
  // The certificate is trusted for its own names only.
  const wrongName = await trusted.send(`${api.base.replace('localhost', '127.0.0.2')}/`).done;
  assert.notEqual(wrongName.kind, KIND.response);
  assert.throws(() => new Io(() => {}, { ca: 'not a certificate' }), /PEM/);
  assert.doesNotThrow(() => new Io(() => {}, { extraCa: 'not a certificate' }));
  for (const c of [trusted, extra, plain]) c.io.close();
  await api.close();
});

test('bad arguments throw: an invalid header value, an unknown head key, a non-function onDone', { skip }, () => {
  const io = new Io(() => {}, {});
  assert.throws(() => io.head(['x-bad', 'line\nbreak']), /invalid value/);
  assert.throws(() => io.head(['only-a-name']), /name, value/);
  assert.throws(() => io.send(0, 'GET', 'http://127.0.0.1:1/', 99, null, 1000, 1000), /unknown head/);
  assert.throws(() => new Io(null, {}), /onDone/);
});

test('an invalid URL is still exactly one completion (fatal)', { skip }, async () => {
  const c = client();
  const done = await c.send('not a url').done;
  assert.equal(done.kind, KIND.fatal);
  assert.match(done.text, /^ERR_IO invalid URL/);
});

test('many in flight: 500 sends, 64 at a time, each delivered once with its own body', { skip }, async () => {
  const api = await serve((req, res) => setTimeout(() => res.end(req.url.slice(1)), Math.random() * 5));
  const c = client();
  let next = 0;
  const results = new Map();
  async function lane() {
    while (next < 500) {
      const i = next++;
      const done = await c.send(`${api.base}/${i}`, { slot: i }).done;
      results.set(i, done);
    }
  }
  await Promise.all(Array.from({ length: 64 }, lane));
  assert.equal(results.size, 500);
  for (const [i, done] of results) {
    assert.equal(done.kind, KIND.response);
    assert.equal(done.body.toString(), String(i));
    assert.equal(c.seen.get(i), 1);
  }
  // A connection goes back to the pool just after its completion, so a lane's next send may
  // open one more; the pool still serves most calls over kept-alive connections.
  assert.ok(api.connections < 250, `${api.connections} connections for 500 calls`);
  c.io.close();
  await api.close();
});

/** Runs `code` in a child node process (with ADDON defined) and returns its exit status and output. */
function child(code, flags = [], timeout = 20000) {
  const result = spawnSync(process.execPath, [...flags, '-e', `const ADDON = ${JSON.stringify(ADDON)};\n${code}`], { encoding: 'utf8', timeout });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

test('the event loop: held while a send is in flight, not by an idle Io', { skip }, () => {
  const out = child(`
    const http = require('node:http');
    const { Io } = require(ADDON);
    const idle = new Io(() => {}, {}); // never used: must not keep the process alive
    const server = http.createServer((req, res) => {
      // The server stops holding the loop; the Io alone keeps the process up until the answer.
      server.close();
      req.socket.unref();
      setTimeout(() => res.end('late'), 200).unref();
    });
    server.listen(0, '127.0.0.1', () => {
      const io = new Io((slot, kind, status, text, body) => { console.log('done', kind, String(body)); }, {});
      io.send(1, 'GET', 'http://127.0.0.1:' + server.address().port + '/', io.head([]), null, 5000, 1000);
    });
  `);
  assert.equal(out.signal, null, out.stderr);
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), 'done -1 late');
});

test('garbage collection: an idle Io is collected (even with an onDone that refers to it), one in flight is not', { skip }, () => {
  const out = child(`
    const http = require('node:http');
    const { Io } = require(ADDON);
    let collected = 0;
    const registry = new FinalizationRegistry(() => { collected++; });
    for (let i = 0; i < 20; i++) {
      const io = new Io(() => io.close(), {});
      io.head(['accept', '*/*']);
      registry.register(io, i);
    }
    const server = http.createServer((req, res) => setTimeout(() => res.end('kept'), 100));
    server.listen(0, '127.0.0.1', async () => {
      (() => {
        // Unreachable from JS while its send is in flight: the addon holds it.
        const io = new Io((slot, kind, status, text, body) => { console.log('done', kind, String(body)); server.close(); }, {});
        io.send(1, 'GET', 'http://127.0.0.1:' + server.address().port + '/', io.head([]), null, 5000, 1000);
      })();
      for (let i = 0; i < 10; i++) { global.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log('collected', collected);
    });
  `, ['--expose-gc']);
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(out.stdout.trim().split('\n').sort(), ['collected 20', 'done -1 kept']);
});

test('exiting with 64 sends in flight exits cleanly', { skip }, async () => {
  const api = await serve(() => {}); // never answers
  for (const how of ['process.exit(0)', 'process.kill(process.pid, "SIGTERM")']) {
    const out = child(`
      process.on('SIGTERM', () => process.exit(0));
      const { Io } = require(ADDON);
      const io = new Io(() => { throw new Error('no completion expected'); }, {});
      const head = io.head(['accept', '*/*']);
      for (let i = 0; i < 64; i++) io.send(i, 'GET', ${JSON.stringify(api.base)} + '/' + i, head, null, 60000, 1000);
      setTimeout(() => { ${how}; }, 200);
    `);
    assert.equal(out.signal, null, `${how}: ${out.stderr}`);
    assert.equal(out.status, 0, `${how}: ${out.stderr}`);
  }
  await api.close();
});

test('worker threads: each loads the addon and sends; terminating one with sends in flight is safe', { skip }, async () => {
  const api = await serve((req, res) => {
    if (req.url === '/hang') return;
    res.end(`w${req.url}`);
  });
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Io } = require(workerData.addon);
    const io = new Io((slot, kind, status, text, body) => {
      parentPort.postMessage({ slot, kind, body: body && body.toString() });
    }, {});
    const head = io.head([]);
    io.send(7, 'GET', workerData.base + '/' + workerData.n, head, null, 5000, 1000);
    for (let i = 0; i < 16; i++) io.send(100 + i, 'GET', workerData.base + '/hang', head, null, 60000, 1000);
  `;
  const workers = [1, 2, 3].map((n) => new Worker(code, { eval: true, workerData: { addon: ADDON, base: api.base, n } }));
  const answers = await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  })));
  assert.deepEqual(answers.map((a) => [a.slot, a.kind, a.body]), [[7, -1, 'w/1'], [7, -1, 'w/2'], [7, -1, 'w/3']]);
  const codes = await Promise.all(workers.map((w) => w.terminate()));
  assert.deepEqual(codes, [1, 1, 1]);
  // Their sends in flight end with their environments: the connections close, not at timeout.
  for (let i = 0; i < 200 && api.sockets.size > 0; i++) await delay(10);
  assert.equal(api.sockets.size, 0, 'the terminated workers\' connections are closed');
  // The process goes on: a new Io here still works after the workers' environments are gone.
  const c = client();
  assert.equal((await c.send(`${api.base}/main`).done).body.toString(), 'w/main');
  c.io.close();
  await api.close();
});

test('an onDone that throws: the other completions of the batch are still delivered', { skip }, async () => {
  const api = await serve((req, res) => res.end('ok'));
  const got = [];
  // Node 20 reports an exception thrown into a threadsafe function's callback as a warning
  // (DEP0168) or, with --force-node-api-uncaught-exceptions-policy, as uncaught: either way it
  // must not cost the rest of the batch its completions.
  const onError = () => {};
  process.on('uncaughtException', onError);
  const io = new Io((slot) => {
    got.push(slot);
    if (slot === 0) throw new Error('boom');
  }, {});
  const head = io.head([]);
  for (let i = 0; i < 8; i++) io.send(i, 'GET', `${api.base}/`, head, null, 5000, 1000);
  for (let i = 0; i < 200 && got.length < 8; i++) await delay(10);
  await delay(50);
  process.off('uncaughtException', onError);
  assert.deepEqual(got.sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  io.close();
  await api.close();
});
