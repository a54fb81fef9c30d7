'use strict';

// Which I/O a client gets in Node (transports.js), and the Rust I/O (transport-rust.js) giving
// the same results and errors as node:http for the same server behaviour: statuses, headers
// (duplicates, set-cookie), timeouts, aborts, refused and reset connections, content codings,
// the size cap, the `ca` option and NODE_EXTRA_CA_CERTS, close() with a call in flight.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const diagnostics = require('node:diagnostics_channel');
const { execFileSync, spawnSync } = require('node:child_process');
const sdk = require('..');
const { nativeIo, engineKind } = require('../lib/engine');
const { RustTransport, parseHeaders } = require('../lib/transport-rust');
const { startApi, OPERATIONS, USER_ID } = require('../test-support/api');

const { ConversationsClient } = sdk;
const SDK = path.join(__dirname, '..');
const NATIVE = engineKind() === 'native';
const USERS = OPERATIONS.find((o) => o.op === 'getAppUsers').response;
const VARS = ['CONVERSATIONS_TRANSPORT', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Runs fn with exactly these of VARS set (clients read them when created). */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const opts = (baseUrl, extra = {}) => ({ username: 'k', password: 'p', baseUrl, ...extra });

/** What a client created now in a child process reports as its transport (stdout). */
function childTransport({ args = [], env = {} } = {}) {
  const script = `const { ConversationsClient } = require(${JSON.stringify(SDK)});
    console.log(new ConversationsClient({ username: 'k', password: 'p', baseUrl: 'http://127.0.0.1:9' }).transport);`;
  const out = spawnSync(process.execPath, [...args, '-e', script], {
    env: { ...process.env, CONVERSATIONS_TRANSPORT: '', NODE_OPTIONS: '', ...env }, encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

let api;
test.before(async () => {
  api = await startApi();
});
test.after(() => api.close());

test('the native engine has the Rust I/O (an addon without `Io` would silently fall back)', { skip: !NATIVE && 'wasm engine' }, () => {
  assert.equal(typeof nativeIo(), 'function');
});

test('selection: Rust I/O by default with the native engine; fetch, agent, transport and the env override', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({}, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'rust');
    assert.equal(new ConversationsClient(opts(api.url, { fetch: globalThis.fetch })).transport, 'fetch');
    assert.equal(new ConversationsClient(opts(api.url, { agent: new http.Agent() })).transport, 'node');
    assert.equal(new ConversationsClient(opts(api.url, { transport: 'node' })).transport, 'node');
    assert.equal(new ConversationsClient(opts(api.url, { transport: 'rust' })).transport, 'rust');
    // fetch and agent win over transport: they name the I/O themselves.
    assert.equal(new ConversationsClient(opts(api.url, { transport: 'rust', agent: new http.Agent() })).transport, 'node');
  });
  await withEnv({ CONVERSATIONS_TRANSPORT: 'node' }, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'node');
    // The option beats the environment.
    assert.equal(new ConversationsClient(opts(api.url, { transport: 'rust' })).transport, 'rust');
  });
  await withEnv({ CONVERSATIONS_TRANSPORT: 'rust' }, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'rust');
  });
});

test('selection: a bad transport option or CONVERSATIONS_TRANSPORT is an InvalidInputError', async () => {
  for (const bad of ['undici', 'Rust', 1, null]) {
    const err = (() => { try { return new ConversationsClient(opts(api.url, { transport: bad })); } catch (e) { return e; } })();
    assert.ok(err instanceof sdk.InvalidInputError, String(bad));
    assert.equal(err.field, 'transport');
    assert.match(err.message, /option "transport" must be "rust" \(the native engine's Rust I\/O\) or "node" \(node:http\)/);
  }
  await withEnv({ CONVERSATIONS_TRANSPORT: 'fetch' }, async () => {
    assert.throws(() => new ConversationsClient(opts(api.url)), (e) => e instanceof sdk.InvalidInputError
      && /CONVERSATIONS_TRANSPORT must be "rust" or "node" \(or unset for the default\), got "fetch"/.test(e.message));
  });
});

test('selection: an environment proxy for the baseUrl means node:http; transport "rust" refuses it', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({ HTTP_PROXY: 'http://user:secret@127.0.0.1:9' }, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'node');
    const err = (() => { try { return new ConversationsClient(opts(api.url, { transport: 'rust' })); } catch (e) { return e; } })();
    assert.ok(err instanceof sdk.InvalidInputError);
    assert.match(err.message, /transport "rust" does not go through proxies, and the environment's proxy http:\/\/127\.0\.0\.1:9 applies/);
    assert.doesNotMatch(err.message, /secret/);
  });
  await withEnv({ HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' }, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'rust');
  });
  // An https proxy does not apply to an http:// baseUrl.
  await withEnv({ HTTPS_PROXY: 'http://127.0.0.1:9' }, async () => {
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'rust');
  });
});

test('selection: Node trusting the system CA store (--use-openssl-ca, NODE_OPTIONS) means node:http', { skip: !NATIVE && 'wasm engine' }, () => {
  assert.equal(childTransport(), 'rust');
  assert.equal(childTransport({ args: ['--use-openssl-ca'] }), 'node');
  assert.equal(childTransport({ env: { NODE_OPTIONS: '--use-openssl-ca' } }), 'node');
  assert.equal(childTransport({ env: { NODE_USE_SYSTEM_CA: '1' } }), 'node');
  // An unreadable NODE_EXTRA_CA_CERTS is ignored, as Node only warns about it.
  assert.equal(childTransport({ env: { NODE_EXTRA_CA_CERTS: path.join(os.tmpdir(), 'no-such-ca.pem') } }), 'rust');
});

test('selection: the wasm engine keeps node:http in Node', { skip: !fs.existsSync(path.join(SDK, 'wasm')) && 'npm/wasm/ not built' }, () => {
  assert.equal(childTransport({ env: { CONVERSATIONS_ENGINE: 'wasm' } }), 'node');
});

test('selection: an addon without `Io` (an older binary) means node:http; transport "rust" then refuses', { skip: !NATIVE && 'wasm engine' }, async () => {
  const script = `const addon = require(${JSON.stringify(path.join(SDK, 'conversations.linux-x64-gnu.node'))});
    delete addon.Io;
    const { ConversationsClient } = require(${JSON.stringify(SDK)});
    const c = new ConversationsClient({ username: 'k', password: 'p', baseUrl: 'http://127.0.0.1:9' });
    let refused = '';
    try { new ConversationsClient({ username: 'k', password: 'p', baseUrl: 'http://127.0.0.1:9', transport: 'rust' }); }
    catch (err) { refused = err.code; }
    console.log(typeof addon.Io, c.transport, refused);`;
  const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, CONVERSATIONS_TRANSPORT: '' }, encoding: 'utf8' });
  assert.equal(out.stdout.trim(), 'undefined node invalid_input', out.stderr);
});

test('selection: a replaced http.request (nock-style) gets every call, even from a client made before', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({}, async () => {
    const before = new ConversationsClient(opts(api.url));
    assert.equal(before.transport, 'rust');
    const original = http.request;
    const seen = [];
    // What nock does: replace the module's function with one that records (here) and forwards.
    http.request = function intercepted(...args) {
      seen.push(args[0].path ?? String(args[0]));
      return original.apply(this, args);
    };
    try {
      const made = new ConversationsClient(opts(api.url));
      assert.equal(made.transport, 'node');
      assert.equal(before.transport, 'node');
      assert.deepEqual(await made.listAppUsers(), await before.listAppUsers());
      assert.deepEqual(seen, ['/beta/conversations/users', '/beta/conversations/users']);
      made.close();
    } finally {
      http.request = original;
    }
    assert.equal(before.transport, 'rust');
    await before.listAppUsers();
    assert.equal(seen.length, 2, 'the Rust I/O again once the original is back');
    before.close();
  });
});

test('selection: a Proxy around http.request (msw) or a wrapped https.request (OpenTelemetry) means node:http', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({}, async () => {
    const original = http.request;
    http.request = new Proxy(original, {});
    try {
      assert.equal(new ConversationsClient(opts(api.url)).transport, 'node');
    } finally {
      http.request = original;
    }
    const originalHttps = https.request;
    // shimmer's wrapper: a function marked __wrapped, calling the original.
    const wrapped = function request(...args) { return originalHttps.apply(this, args); };
    Object.defineProperty(wrapped, '__wrapped', { value: true });
    https.request = wrapped;
    try {
      assert.equal(new ConversationsClient(opts(api.url)).transport, 'node');
    } finally {
      https.request = originalHttps;
    }
    assert.equal(new ConversationsClient(opts(api.url)).transport, 'rust');
  });
});

test('selection: a subscriber to node:http\'s diagnostics channel sees every call', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({}, async () => {
    const client = new ConversationsClient(opts(api.url));
    const seen = [];
    const onStart = ({ request }) => seen.push(request.path);
    diagnostics.subscribe('http.client.request.start', onStart);
    try {
      assert.equal(client.transport, 'node');
      await client.listAppUsers();
      assert.deepEqual(seen, ['/beta/conversations/users']);
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onStart);
    }
    assert.equal(client.transport, 'rust');
    await client.listAppUsers();
    assert.equal(seen.length, 1);
    client.close();
  });
});

test('selection: tls.setDefaultCACertificates() to other CAs means node:https until the defaults are back', { skip: !NATIVE && 'wasm engine' }, async () => {
  // Node 22.19 / 24.5 API, emulated where absent as Node keeps it: getCACertificates('default')
  // returns one array until the defaults are set.
  const tls = require('node:tls');
  const saved = { get: tls.getCACertificates, set: tls.setDefaultCACertificates };
  const bundled = ['-----BEGIN CERTIFICATE-----\nbundled root\n-----END CERTIFICATE-----\n'];
  let defaults = bundled.slice();
  tls.getCACertificates = (type = 'default') => (type === 'default' ? defaults : type === 'bundled' ? bundled : []);
  tls.setDefaultCACertificates = (certs) => {
    defaults = certs.slice();
  };
  // node:http says `connection: keep-alive` on its keep-alive sockets; the Rust I/O (HTTP/1.1,
  // keep-alive by default) sends no such header: the server tells which I/O a call came by.
  const seen = [];
  const server = await startApi((req) => { seen.push(req.headers.connection ?? 'rust'); });
  try {
    await withEnv({}, async () => {
      const client = new ConversationsClient(opts(server.url));
      assert.equal(client.transport, 'rust');
      await client.listAppUsers();
      tls.setDefaultCACertificates(['-----BEGIN CERTIFICATE-----\ncorporate root\n-----END CERTIFICATE-----\n']);
      assert.equal(client.transport, 'node');
      await client.listAppUsers();
      tls.setDefaultCACertificates(bundled);
      assert.equal(client.transport, 'rust', 'the same CAs again, in a new array');
      await client.listAppUsers();
      assert.deepEqual(seen, ['rust', 'keep-alive', 'rust']);
      client.close();
    });
  } finally {
    server.close();
    tls.getCACertificates = saved.get;
    tls.setDefaultCACertificates = saved.set;
  }
});

test('the Rust I/O sends a request as node:http does: no Accept added, content-length: 0 on a bodiless POST', { skip: !NATIVE && 'wasm engine' }, async () => {
  await withEnv({}, async () => {
    const seen = [];
    const server = await startApi((req) => { seen.push(req.headers); return req.method === 'GET' ? [200, USERS] : [200, '']; });
    try {
      for (const transport of TRANSPORTS) {
        const client = new ConversationsClient(opts(server.url, { transport }));
        assert.equal(await client.integrateFacebookPage('p1'), '');
        client.close();
      }
      // integrateFacebookPage has no Accept header (the original SDK sent none).
      const [rust, node] = seen;
      assert.deepEqual([rust.accept, rust['content-length']], [undefined, '0']);
      assert.deepEqual([node.accept, node['content-length']], [undefined, '0']);
      // The Rust I/O asks for compression; node:http's transport does not.
      assert.deepEqual([rust['accept-encoding'], node['accept-encoding']], ['gzip,deflate,br', undefined]);
    } finally {
      await server.close();
    }
  });
});

test('response headers as node:http gives them: lower-case, repeats joined, set-cookie an array, first-wins names', () => {
  assert.deepEqual(parseHeaders('x-a:1\nset-cookie:a=1\nx-a:2\nset-cookie:b=2\ncookie:c=1\ncookie:d=2\nretry-after:5\nretry-after:9\n'
    + 'content-type:text/plain\ncontent-type:x/y\nx-empty:\nvalue:with:colons\n'), {
    'x-a': '1, 2', 'set-cookie': ['a=1', 'b=2'], cookie: 'c=1; d=2', 'retry-after': '5', 'content-type': 'text/plain',
    'x-empty': '', value: 'with:colons',
  });
  assert.deepEqual(parseHeaders(''), {});
});

// ---- The same results and errors through both transports ----------------------------------

const TRANSPORTS = NATIVE ? ['rust', 'node'] : ['node'];

/** A call's outcome with everything a caller can see (date headers vary, so they are dropped). */
async function outcome(promise) {
  const drop = (headers) => {
    const out = { ...headers };
    delete out.date;
    return out;
  };
  try {
    const { data, response } = await promise.withResponse();
    return { ok: true, data, status: response.status, headers: drop(response.headers), body: response.body };
  } catch (err) {
    return {
      ok: false, name: err.name, code: err.code, status: err.status, message: err.message,
      headers: err.headers === undefined ? undefined : drop(err.headers), body: err.body,
      cause: err.cause && err.cause.code, causeName: err.cause && err.cause.name,
    };
  }
}

/**
 * Runs `call(client)` through each transport; asserts the outcomes are equal (headers too: both
 * keep a decompressed response's content-encoding and content-length as received), returns one.
 */
async function same(server, call, extra = {}) {
  const results = [];
  for (const transport of TRANSPORTS) {
    const client = new ConversationsClient(opts(server.url, { transport, ...extra }));
    results.push(await outcome(call(client)));
    client.close();
  }
  for (let i = 1; i < results.length; i++) assert.deepEqual(results[i], results[0], `${TRANSPORTS[i]} vs ${TRANSPORTS[0]}`);
  return results[0];
}

const gzipJson = (value) => zlib.gzipSync(JSON.stringify(value));

/** One server per behaviour below: `script(req, res)` writes the response (or does not). */
const behaviours = {
  'ok with repeated headers and cookies': (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-request-id', ['a', 'b']);
    res.setHeader('set-cookie', ['s=1; Path=/', 't=2']);
    res.setHeader('retry-after', ['1', '2']);
    res.setHeader('etag', ['"x"', '"y"']);
    res.setHeader('cache-control', ['no-store', 'private']);
    res.setHeader('x-latin', 'caf\u00e9'); // written as UTF-8 (C3 A9)
    res.end(JSON.stringify(USERS));
  },
  'not found with headers': (req, res) => {
    res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'r-1', 'set-cookie': ['a=1', 'b=2'] });
    res.end('{"message":"no such user"}');
  },
  '500 html': (req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<html><body>Internal Server Error</body></html>');
  },
  '429 then ok (GET retried after Retry-After)': (() => {
    let n = 0;
    return (req, res) => {
      if (n++ % 2 === 0) {
        res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end('{"message":"slow down"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(USERS));
      }
    };
  })(),
  'redirect is not followed': (req, res) => {
    res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
    res.end();
  },
  'gzip body': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipJson(USERS));
  },
  'deflate body (zlib-wrapped)': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    res.end(zlib.deflateSync(JSON.stringify(USERS)));
  },
  'br body': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
    res.end(zlib.brotliCompressSync(JSON.stringify(USERS)));
  },
  'empty 2xx body': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end();
  },
  'malformed 2xx body': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data": [');
  },
  'declared too large': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [], pad: 'x'.repeat(5000) }));
  },
  'streamed too large (chunked)': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data": [], "pad": "');
    setTimeout(() => res.end(`${'x'.repeat(5000)}"}`), 10);
  },
  'gzip bomb over the cap once decoded': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipJson({ data: [], pad: 'x'.repeat(100_000) }));
  },
};

const OK_USERS = (got) => {
  assert.equal(got.ok, true, got.message);
  assert.deepEqual(got.data.data.map((u) => u.id), USERS.data.map((u) => u.id));
};
const TOO_LARGE = (got) => {
  assert.deepEqual([got.name, got.status], ['DecodeError', 200]);
  assert.match(got.message, /exceeds the 4096-byte limit/);
};
/** What each behaviour must give (beyond being the same through both transports). */
const expected = {
  'ok with repeated headers and cookies': (got) => {
    OK_USERS(got);
    // .withResponse() flattens arrays as errors' headers do (errors.js plainHeaders).
    assert.equal(got.headers['set-cookie'], 's=1; Path=/, t=2');
    assert.equal(got.headers['x-request-id'], 'a, b');
    assert.equal(got.headers['retry-after'], '1');
    assert.equal(got.headers.etag, '"x"');
    assert.equal(got.headers['cache-control'], 'no-store, private');
    // node:http reads header bytes as Latin-1, one character per byte; the Rust I/O does the same.
    assert.equal(got.headers['x-latin'], 'caf\u00c3\u00a9');
  },
  'not found with headers': (got) => {
    assert.deepEqual([got.name, got.status, got.headers['x-request-id'], got.headers['set-cookie']], ['NotFoundError', 404, 'r-1', 'a=1, b=2']);
  },
  '500 html': (got) => assert.deepEqual([got.name, got.status], ['InternalServerError', 500]),
  '429 then ok (GET retried after Retry-After)': OK_USERS,
  'redirect is not followed': (got) => assert.deepEqual([got.code, got.status], ['api', 302]),
  'gzip body': OK_USERS,
  'deflate body (zlib-wrapped)': OK_USERS,
  'br body': OK_USERS,
  'empty 2xx body': (got) => assert.deepEqual([got.name, got.status, got.body], ['DecodeError', 200, '']),
  'malformed 2xx body': (got) => assert.deepEqual([got.name, got.status, got.body], ['DecodeError', 200, '{"data": [']),
  'declared too large': TOO_LARGE,
  'streamed too large (chunked)': TOO_LARGE,
  'gzip bomb over the cap once decoded': TOO_LARGE,
};

for (const [name, script] of Object.entries(behaviours)) {
  test(`same through both transports: ${name}`, async () => {
    const server = await startApi((req, res) => { script(req, res); return true; });
    try {
      expected[name](await same(server, (c) => c.listAppUsers(), { maxResponseBytes: 4096 }));
    } finally {
      await server.close();
    }
  });
}

test('a decompressed response keeps its content-encoding header, as node:http does', {
  skip: !NATIVE && 'wasm engine',
}, async () => {
  const server = await startApi((req, res) => { behaviours['gzip body'](req, res); return true; });
  try {
    const client = new ConversationsClient(opts(server.url, { transport: 'rust' }));
    const { response } = await client.listAppUsers().withResponse();
    client.close();
    assert.equal(response.headers['content-encoding'], 'gzip');
  } finally {
    await server.close();
  }
});

test('same through both transports: a POST answered 503 is sent once, its error has the headers', async () => {
  const server = await startApi(() => [503, '{"message":"busy"}', { 'retry-after': '0', 'x-request-id': 'q' }]);
  try {
    const got = await same(server, (c) => c.sendMessage(USER_ID, { channel: 'facebook', text: 'hi' }));
    assert.equal(got.status, 503);
    assert.equal(got.headers['x-request-id'], 'q');
    assert.equal(server.requests.length, TRANSPORTS.length);
  } finally {
    await server.close();
  }
});

test('same through both transports: a body that does not decompress is a DecodeError', async () => {
  const server = await startApi((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end('this is not gzip at all');
    return true;
  });
  try {
    // The decompressor's own words differ (zlib's, Rust's), and the addon does not say which
    // coding failed: everything else is the same.
    const results = [];
    for (const transport of TRANSPORTS) {
      const got = await outcome(new ConversationsClient(opts(server.url, { transport })).listAppUsers());
      assert.match(got.message, /^GET http:\/\/127\.0\.0\.1:\d+\/beta\/conversations\/users: response body is not valid (gzip|for its content-encoding) \(.+\)$/);
      results.push({ ...got, message: undefined });
    }
    assert.deepEqual(results[0], { ...results[0], name: 'DecodeError', code: 'decode', status: 200 });
    assert.deepEqual(results.at(-1), results[0]);
    assert.equal(server.requests.length, TRANSPORTS.length, 'not retried');
  } finally {
    await server.close();
  }
});

test('same through both transports: a stalled server is a timeout after the attempt\'s budget, GETs retried', async () => {
  const server = await startApi(() => true); // never answers
  try {
    const got = await same(server, (c) => c.listAppUsers(), { timeoutMs: 150, maxRetries: 1 });
    assert.equal(got.name, 'TimeoutError');
    assert.match(got.message, /timed out after 150 ms/);
    assert.equal(server.requests.length, 2 * TRANSPORTS.length);
  } finally {
    await server.close();
  }
});

test('same through both transports: a stall mid-body is a timeout', async () => {
  const server = await startApi((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"data": [');
    return true;
  });
  try {
    const got = await same(server, (c) => c.sendMessage(USER_ID, { channel: 'facebook', text: 'x' }), { timeoutMs: 150 });
    assert.equal(got.name, 'TimeoutError');
    assert.equal(server.requests.length, TRANSPORTS.length, 'a POST is sent once');
  } finally {
    await server.close();
  }
});

test('same through both transports: an abort rejects at once and closes the connection', async () => {
  const server = await startApi(() => true);
  const open = new Set();
  server.server.on('connection', (s) => { open.add(s); s.on('close', () => open.delete(s)); });
  try {
    const got = await same(server, (c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      return c.listAppUsers({ signal: controller.signal });
    });
    assert.equal(got.name, 'AbortError');
    assert.match(got.message, /aborted by the caller's signal/);
    for (let i = 0; i < 50 && open.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(open.size, 0, 'aborted connections are closed');
    // An already aborted signal: nothing is sent.
    const before = server.requests.length;
    await same(server, (c) => c.listAppUsers({ signal: AbortSignal.abort() }));
    assert.equal(server.requests.length, before);
  } finally {
    await server.close();
  }
});

test('same through both transports: a refused connection is retried, even for a POST, then a ConnectionError', async () => {
  const gone = await startApi();
  const { url } = gone;
  await gone.close();
  const got = await same({ url }, (c) => c.sendMessage(USER_ID, { channel: 'facebook', text: 'x' }), { maxRetries: 1 });
  assert.deepEqual([got.name, got.cause], ['ConnectionError', 'ECONNREFUSED']);
  assert.match(got.message, /connection refused \(ECONNREFUSED\)$/);
});

test('same through both transports: a reset before the response and mid-body', async () => {
  for (const midBody of [false, true]) {
    const server = await startApi((req, res) => {
      if (midBody) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"data": [');
        setTimeout(() => res.socket.resetAndDestroy(), 20);
      } else {
        res.socket.resetAndDestroy();
      }
      return true;
    });
    try {
      const got = await same(server, (c) => c.sendMessage(USER_ID, { channel: 'facebook', text: 'x' }));
      assert.deepEqual([got.name, got.code], ['ConnectionError', 'transport'], `midBody ${midBody}`);
      assert.equal(server.requests.length, TRANSPORTS.length, 'a POST is sent once');
    } finally {
      await server.close();
    }
  }
});

test('the Rust I/O: 64 calls in flight, some aborted, each settles with its own result', { skip: !NATIVE && 'wasm engine' }, async () => {
  const server = await startApi((req, res) => {
    const id = req.url.split('/')[4];
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-id': id });
      res.end(JSON.stringify({ id, surname: id }));
    }, 5 + (id.length % 7));
    return true;
  });
  const client = new ConversationsClient(opts(server.url, { transport: 'rust' }));
  try {
    for (let round = 0; round < 3; round++) {
      const calls = Array.from({ length: 64 }, (_, i) => {
        const signal = i % 5 === 0 ? AbortSignal.abort() : i % 7 === 0 ? AbortSignal.timeout(1) : undefined;
        return outcome(client.getAppUser(`u${round}-${i}`, signal ? { signal } : undefined));
      });
      const results = await Promise.all(calls);
      results.forEach((r, i) => {
        if (r.ok) {
          assert.equal(r.data.id, `u${round}-${i}`);
          assert.equal(r.headers['x-id'], `u${round}-${i}`);
        } else assert.equal(r.name, 'AbortError', `${i}: ${r.message}`);
      });
    }
  } finally {
    client.close();
    await server.close();
  }
});

test('the compat surface through the Rust I/O: context.response headers and callback errors as node:http', { skip: !NATIVE && 'wasm engine' }, async () => {
  const server = await startApi((req, res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.setHeader('x-dup', ['1', '2']);
    if (req.method === 'POST') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"message":"bad"}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(USERS));
    }
    return true;
  });
  const lib = sdk;
  const seen = [];
  try {
    for (const transport of TRANSPORTS) {
      await withEnv({ CONVERSATIONS_TRANSPORT: transport }, async () => {
        // A new account per transport: the compat surface keeps one state (and transport) per account.
        lib.Configuration.BASEURI = server.url;
        lib.Configuration.basicAuthUserName = `user-${transport}`;
        lib.Configuration.basicAuthPassword = 'p';
        const ok = await new Promise((resolve) => {
          lib.AppUsersController.getAppUsers((error, response, context) => resolve({ error, headers: context.response.headers }));
        });
        const failed = await new Promise((resolve) => {
          lib.AppUsersController.createSendMessage(USER_ID, { channel: 'facebook', text: 'x' },
            (error, response, context) => resolve({ code: error.errorCode, message: error.errorMessage, status: context.response.statusCode }));
        });
        delete ok.headers.date;
        seen.push({ ok, failed });
      });
    }
  } finally {
    lib.Configuration.BASEURI = null;
    lib.Configuration.basicAuthUserName = undefined;
    lib.Configuration.basicAuthPassword = undefined;
    await server.close();
  }
  assert.deepEqual(seen.at(-1), seen[0]);
  assert.deepEqual(seen[0].ok.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(seen[0].failed.code, 400);
});

test('RustTransport: an already aborted signal sends nothing; equal header sets are registered once', { skip: !NATIVE && 'wasm engine' }, async () => {
  const transport = new RustTransport(nativeIo(), {});
  const before = api.requests.length;
  const req = (headers) => ({ method: 'GET', url: `${api.url}/beta/conversations/users`, headers, body: null });
  const failure = await transport.send(req({ accept: 'application/json' }), 1000, AbortSignal.abort(), 1e6).then(() => assert.fail('resolved'), (e) => e);
  assert.equal(failure.kind, 'aborted');
  assert.ok(failure.started > 0);
  assert.equal(api.requests.length, before);
  // A surface that builds a fresh (unfrozen) header object per call: one registration per content.
  for (let i = 0; i < 3; i++) {
    const res = await transport.send(req({ accept: 'application/json' }), 1000, null, 1e6);
    assert.equal(res.status, 200);
  }
  const frozen = Object.freeze({ accept: 'application/json', 'x-other': '1' });
  await transport.send(req(frozen), 1000, null, 1e6);
  await transport.send(req(frozen), 1000, null, 1e6);
  assert.equal(transport.headsByText.size, 2);
  assert.equal(api.requests.length, before + 5);
  // A send the addon refuses outright (no completion follows) is a fatal failure, and its slot is free again.
  const refused = await transport.send({ ...req({}), url: 'not a url' }, 1000, null, 1e6).then(() => assert.fail('resolved'), (e) => e);
  assert.deepEqual([refused.kind, refused.error.name], ['fatal', 'ConnectionError']);
  assert.equal((await transport.send(req(frozen), 1000, null, 1e6)).status, 200);
  transport.close();
});

// ---- TLS: the ca option and NODE_EXTRA_CA_CERTS --------------------------------------------

test('https with a self-signed certificate: the ca option, NODE_EXTRA_CA_CERTS, and a TLS error without either', { skip: !NATIVE && 'wasm engine' }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')], { stdio: 'ignore' });
  const cert = fs.readFileSync(path.join(tmp, 'cert.pem'), 'utf8');
  const key = fs.readFileSync(path.join(tmp, 'key.pem'), 'utf8');
  let handshakes = 0;
  const server = https.createServer({ key, cert }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(USERS));
  });
  server.on('connection', () => { handshakes++; });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://localhost:${server.address().port}`;
  try {
    await withEnv({}, async () => {
      for (const ca of [cert, Buffer.from(cert), [cert]]) {
        const client = new ConversationsClient(opts(url, { ca }));
        assert.equal(client.transport, 'rust');
        assert.equal((await client.listAppUsers()).data.length, 2);
        client.close();
      }
      // Without the CA: the same TLS failure through both transports, never retried.
      for (const transport of TRANSPORTS) {
        const before = handshakes;
        const err = await new ConversationsClient(opts(url, { transport })).listAppUsers().then(() => assert.fail('resolved'), (e) => e);
        assert.ok(err instanceof sdk.ConnectionError, `${transport}: ${err.name}`);
        assert.match(err.message, /TLS handshake failed/, transport);
        assert.equal(handshakes - before, 1, `${transport}: not retried`);
      }
      const bad = (() => { try { return new ConversationsClient(opts(url, { ca: 'not a certificate' })); } catch (e) { return e; } })();
      assert.ok(bad instanceof sdk.InvalidInputError, String(bad));
      assert.equal(bad.field, 'ca');
    });
    // NODE_EXTRA_CA_CERTS is read by the Rust I/O as Node reads it: added to the built-in roots.
    const script = `const { ConversationsClient } = require(${JSON.stringify(SDK)});
      const c = new ConversationsClient({ username: 'k', password: 'p', baseUrl: ${JSON.stringify(url)} });
      c.listAppUsers().then((r) => console.log(c.transport, r.data.length), (e) => console.log(c.transport, e.message));`;
    const { spawn } = require('node:child_process');
    const out = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', script], {
        env: { ...process.env, CONVERSATIONS_TRANSPORT: '', NODE_EXTRA_CA_CERTS: path.join(tmp, 'cert.pem') },
      });
      let text = '';
      child.stdout.on('data', (c) => { text += c; });
      child.on('close', () => resolve(text.trim()));
    });
    assert.equal(out, 'rust 2');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// ---- close() ------------------------------------------------------------------------------

test('close() with a call in flight: the call completes, idle connections close, the client stays usable', async () => {
  for (const transport of TRANSPORTS) {
    const open = new Set();
    const server = await startApi((req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.method === 'POST' ? req.body : JSON.stringify(USERS));
      }, req.method === 'POST' ? 200 : 0);
      return true;
    });
    server.server.on('connection', (s) => { open.add(s); s.on('close', () => open.delete(s)); });
    const client = new ConversationsClient(opts(server.url, { transport }));
    try {
      await client.listAppUsers();
      const posting = outcome(client.sendMessage(USER_ID, { channel: 'facebook', text: 'x' }));
      while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
      client.close();
      const posted = await posting;
      assert.equal(posted.ok, true, `${transport}: ${posted.message}`);
      assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1, transport);
      for (let i = 0; i < 100 && open.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(open.size, 0, `${transport}: connections left open after close()`);
      assert.equal((await client.listAppUsers()).data.length, 2);
    } finally {
      client.close();
      await server.close();
    }
  }
});

test('an idle Rust I/O does not keep the process alive', { skip: !NATIVE && 'wasm engine' }, () => {
  const script = `const http = require('node:http');
    const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"data":[]}'); });
    server.listen(0, '127.0.0.1', async () => {
      const { ConversationsClient } = require(${JSON.stringify(SDK)});
      const c = new ConversationsClient({ username: 'k', password: 'p', baseUrl: 'http://127.0.0.1:' + server.address().port });
      await c.listAppUsers();
      server.close(); server.closeIdleConnections();
      console.log(c.transport);
    });`;
  const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, CONVERSATIONS_TRANSPORT: '' }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(out.signal, null, 'the process did not exit by itself');
  assert.equal(out.stdout.trim(), 'rust', out.stderr);
});

test('the browser build refuses the transport option, as it refuses agent and ca', () => {
  const { createTransport } = require('../lib/transports-browser');
  assert.throws(() => createTransport({ transport: 'rust' }, null), (e) => e instanceof sdk.InvalidInputError
    && e.field === 'transport' && e.message === 'option "transport" is only available in Node');
});
