// The wasm engine in headless Chromium (issue #14), for `make bench` (run.js) or on its own:
//   node bench/browser.mjs [PKG_DIR] [--rounds N] [--loads N]   → JSON on stdout, progress on stderr
// 1. How the browser entry ships the engine: each option bundled by esbuild (--bundle --minify, as
//    an app's build would), its JS and .wasm bytes (raw and gzip -9), and the first-call latency of
//    a fresh page (navigation start → the first call's result; new context each load, so no HTTP
//    or code cache), median of interleaved loads.
// 2. Per call: the package's client against a hand-written fetch of the same request, sequential
//    and 64 in flight, both in the same page on the same origin, variants interleaved per round;
//    the ratio is the median of per-round ratios (a shared, noisy machine).
// One local node:http server answers the page, the bundles and the API (canned bodies of
// fixtures.js), so no request is cross-origin (no CORS preflight in either variant).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const { summary, median } = require('./stats');
const { USERS, SENT } = require('./fixtures');
const { CREDENTIALS, USERS_PATH, SEND_PATH, MESSAGE, USER } = require('./raw');
const { chromium } = createRequire(path.join(ROOT, 'npm', 'package.json'))('playwright-core');
// esbuild is one of the bundler matrix's tools (tests/bundlers, `make bundler-tools`).
const esbuild = createRequire(path.join(ROOT, 'tests', 'bundlers', 'package.json'))('esbuild');

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i === -1 ? dflt : Number(args.splice(i, 2)[1]);
};
const ROUNDS = flag('--rounds', 30);
const LOADS = flag('--loads', 15);
const PKG = path.resolve(args[0] ?? path.join(ROOT, 'npm'));
const log = (msg) => process.stderr.write(`[bench browser] ${msg}\n`);
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

// ---------------------------------------------------------------------------------------------
// The entry options. Each is an ES module exporting the package's names; `wasm` is the file the
// page fetches beside the bundle (the streamed option), `init` a script run before the page (to
// measure the JS decoders of older browsers without Uint8Array.fromHex / fromBase64).

// The alternatives measured against the default's one-or-two-characters-per-byte string
// (wasm/bytes.mjs): the same entry with the bytes as base64 or hex, decoded natively
// (Uint8Array.fromBase64 / fromHex) or, as older browsers must, in JS.
function inlineEntry(tmp, encoding) {
  const text = fs.readFileSync(path.join(PKG, 'wasm', 'conversations_bg.wasm')).toString(encoding);
  const decode = encoding === 'base64'
    ? `if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(T);
  const s = atob(T);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;`
    : `if (typeof Uint8Array.fromHex === 'function') return Uint8Array.fromHex(T);
  const out = new Uint8Array(T.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(T.slice(2 * i, 2 * i + 2), 16);
  return out;`;
  const file = path.join(tmp, `entry-${encoding}.mjs`);
  fs.writeFileSync(file, `import { initSync, Engine } from ${JSON.stringify(path.join(PKG, 'wasm', 'engine.mjs'))};
import sdk, { useEngine } from ${JSON.stringify(path.join(PKG, 'wasm', 'sdk.mjs'))};
const T = '${text}';
function wasmBytes() {
  ${decode}
}
useEngine(() => { initSync({ module: wasmBytes() }); return Engine; });
export const { ConversationsClient } = sdk;
`);
  return file;
}

const NO_NATIVE = 'delete Uint8Array.fromHex; delete Uint8Array.fromBase64;';

function options(tmp) {
  return [
    { name: 'streamed .wasm, top-level await (./streamed)', entry: path.join(PKG, 'wasm', 'streamed.mjs'), wasm: true },
    { name: 'inlined, 1–2 chars per byte, on the first client (default)', entry: path.join(PKG, 'browser.mjs') },
    { name: 'inlined hex, Uint8Array.fromHex', entry: inlineEntry(tmp, 'hex') },
    { name: 'inlined hex, JS decoder', entry: inlineEntry(tmp, 'hex'), init: NO_NATIVE },
    { name: 'inlined base64, Uint8Array.fromBase64', entry: inlineEntry(tmp, 'base64') },
    { name: 'inlined base64, atob', entry: inlineEntry(tmp, 'base64'), init: NO_NATIVE },
  ];
}

const FIRST_CALL_APP = (entry) => `import { ConversationsClient } from ${JSON.stringify(entry)};
const evaluated = performance.now();
const client = new ConversationsClient({ baseUrl: location.origin, username: ${JSON.stringify(CREDENTIALS.username)}, password: ${JSON.stringify(CREDENTIALS.password)}, allowBrowserCredentials: true });
const created = performance.now();
client.listAppUsers().then((users) => {
  window.__r = { evaluated, created, firstCall: performance.now(), users: users.data.length };
}, (err) => { window.__r = { error: String(err) }; });
`;

async function buildOption(tmp, opt, i) {
  const dir = path.join(tmp, `option-${i}`);
  fs.mkdirSync(dir, { recursive: true });
  const app = path.join(dir, 'app.mjs');
  fs.writeFileSync(app, FIRST_CALL_APP(opt.entry));
  await esbuild.build({ entryPoints: [app], bundle: true, minify: true, format: 'esm', outfile: path.join(dir, 'main.js'), logLevel: 'error' });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="./main.js"></script>\n');
  const js = fs.readFileSync(path.join(dir, 'main.js'));
  let wasm = null;
  if (opt.wasm) {
    wasm = fs.readFileSync(path.join(PKG, 'wasm', 'conversations_bg.wasm'));
    fs.writeFileSync(path.join(dir, 'conversations_bg.wasm'), wasm);
  }
  return {
    ...opt, dir: `option-${i}`,
    jsBytes: js.length, jsGzip: gz(js), wasmBytes: wasm?.length ?? 0, wasmGzip: wasm ? gz(wasm) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The server: files under `root`, and the API's two canned answers.

function startServer(root) {
  const users = Buffer.from(USERS);
  const sent = Buffer.from(SENT);
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
    const url = req.url.split('?')[0];
    if (url === USERS_PATH && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': users.length }).end(users);
      return;
    }
    if (url === SEND_PATH && req.method === 'POST') {
      req.on('data', () => {});
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json', 'content-length': sent.length }).end(sent));
      return;
    }
    const file = path.join(root, url === '/' ? 'index.html' : url);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); },
  })));
}

// ---------------------------------------------------------------------------------------------
// 2. Per call, in one page: `sdk modern` (the package) against `raw fetch` (by hand).

const PERCALL_APP = (entry) => `import { ConversationsClient } from ${JSON.stringify(entry)};
const creds = ${JSON.stringify(CREDENTIALS)};
const auth = 'Basic ' + btoa(creds.username + ':' + creds.password);
const GET = { authorization: auth, accept: 'application/json' };
const POST = { ...GET, 'content-type': 'application/json; charset=utf-8' };
const message = ${JSON.stringify(MESSAGE)};
const sendUrl = location.origin + ${JSON.stringify(SEND_PATH)};
const usersUrl = location.origin + ${JSON.stringify(USERS_PATH)};
// What a careful hand-written call does: the same headers, the status checked, the body parsed.
async function raw(url, init) {
  const res = await fetch(url, init);
  const out = await res.json();
  if (res.status >= 300) throw new Error('HTTP ' + res.status);
  return out;
}
const client = new ConversationsClient({ baseUrl: location.origin, ...creds, allowBrowserCredentials: true });
const CALLS = {
  'raw fetch': {
    listAppUsers: () => raw(usersUrl, { headers: GET }),
    sendMessage: () => raw(sendUrl, { method: 'POST', headers: POST, body: JSON.stringify(message) }),
  },
  'sdk modern': {
    listAppUsers: () => client.listAppUsers(),
    sendMessage: () => client.sendMessage(${JSON.stringify(USER)}, message),
  },
};
// µs per call for n calls of one variant, \`inFlight\` at a time.
window.__measure = async (variant, op, n, inFlight) => {
  const call = CALLS[variant][op];
  let next = 0;
  const lane = async () => { while (next++ < n) await call(); };
  const t = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  return ((performance.now() - t) * 1000) / n;
};
window.__ready = true;
`;

async function perCall(browser, base) {
  const page = await browser.newPage();
  await page.goto(`${base}/percall/index.html`);
  await page.waitForFunction(() => window.__ready === true);
  // Short batches, the two variants back to back in alternating order: a per-pair ratio sees the
  // same machine load on both sides.
  // The renderer main thread's busy time per call (CDP Performance.getMetrics TaskDuration): the
  // page's own CPU, far less disturbed by other load than wall time (network service excluded).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const cpu = {};
  const modes = { seq: { inFlight: 1, n: 40 }, par: { inFlight: 64, n: 128 } };
  const variants = ['raw fetch', 'sdk modern'];
  const samples = {};
  // Warm-up: JIT, connections, the engine.
  for (const v of variants) for (const op of ['listAppUsers', 'sendMessage']) await page.evaluate(([a, b]) => window.__measure(a, b, 200, 8), [v, op]);
  for (const [mode, { inFlight, n }] of Object.entries(modes)) {
    for (const op of ['listAppUsers', 'sendMessage']) {
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const v of order) {
          const before = await busy();
          const us = await page.evaluate(([a, b, c, d]) => window.__measure(a, b, c, d), [v, op, n, inFlight]);
          const cpuUs = (((await busy()) - before) * 1e6) / n;
          ((samples[mode] ??= {})[op] ??= {})[v] ??= [];
          samples[mode][op][v].push(us);
          ((cpu[mode] ??= {})[op] ??= {})[v] ??= [];
          cpu[mode][op][v].push(cpuUs);
        }
      }
    }
  }
  await page.close();
  const out = {};
  for (const [mode, ops] of Object.entries(samples)) {
    for (const [op, vs] of Object.entries(ops)) {
      const rawUs = vs['raw fetch'];
      const ratios = vs['sdk modern'].map((x, i) => x / rawUs[i]);
      ((out[mode] ??= {})[op] = {
        'raw fetch': summary(rawUs), 'sdk modern': summary(vs['sdk modern']), ratio: median(ratios), ratioSpread: summary(ratios),
        cpuRatio: median(cpu[mode][op]['sdk modern'].map((x, i) => x / cpu[mode][op]['raw fetch'][i])),
        'raw fetch cpu': summary(cpu[mode][op]['raw fetch']), 'sdk modern cpu': summary(cpu[mode][op]['sdk modern']),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conversations-bench-browser-'));
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  let server = null;
  let browser = null;
  try {
    const opts = [];
    for (const [i, opt] of options(tmp).entries()) opts.push(await buildOption(tmp, opt, i));
    const pcDir = path.join(tmp, 'percall');
    fs.mkdirSync(pcDir);
    fs.writeFileSync(path.join(pcDir, 'app.mjs'), PERCALL_APP(path.join(PKG, 'browser.mjs')));
    await esbuild.build({ entryPoints: [path.join(pcDir, 'app.mjs')], bundle: true, minify: true, format: 'esm', outfile: path.join(pcDir, 'main.js'), logLevel: 'error' });
    fs.writeFileSync(path.join(pcDir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n');

    server = await startServer(tmp);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true, env: { ...process.env, HOME: home },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    });
    const version = browser.version();

    log(`first-call latency: ${opts.length} options × ${LOADS} fresh loads`);
    const loads = opts.map(() => []);
    for (let round = 0; round < LOADS; round++) {
      for (const [i, opt] of opts.entries()) {
        const context = await browser.newContext();
        const page = await context.newPage();
        if (opt.init) await page.addInitScript(opt.init);
        await page.goto(`${server.url}/${opt.dir}/index.html`);
        await page.waitForFunction(() => window.__r !== undefined, null, { timeout: 30_000 });
        const r = await page.evaluate(() => window.__r);
        await context.close();
        if (r.error) throw new Error(`${opt.name}: ${r.error}`);
        loads[i].push(r);
      }
    }
    const entries = opts.map((opt, i) => ({
      name: opt.name, jsBytes: opt.jsBytes, jsGzip: opt.jsGzip, wasmBytes: opt.wasmBytes, wasmGzip: opt.wasmGzip,
      totalGzip: opt.jsGzip + opt.wasmGzip,
      firstCallMs: summary(loads[i].map((r) => r.firstCall)),
      evaluatedMs: summary(loads[i].map((r) => r.evaluated)),
      clientMs: summary(loads[i].map((r) => r.created - r.evaluated)),
    }));

    log(`per call: ${ROUNDS} rounds`);
    const percall = await perCall(browser, server.url);
    process.stdout.write(`${JSON.stringify({ chromium: version, entries, percall, rounds: ROUNDS, loads: LOADS })}\n`);
  } finally {
    if (browser !== null) await browser.close();
    if (server !== null) await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
