'use strict';

// Per-call time, run in its own process by run.js: raw node:http (keep-alive agent), raw global
// fetch, raw undici (Pool.request), and the package's modern and compat surfaces, against the server at argv[3]. Variants
// are interleaved in rounds (rotating order) so load drift hits all of them alike; each round
// gives one mean per variant and ratios are taken within the round, then the median.
// Usage: node percall.js <packageDir> <serverUrl> <rounds>   (engine via CONVERSATIONS_ENGINE, the
// package's transport via CONVERSATIONS_TRANSPORT)

const http = require('node:http');
const { summary, median } = require('./stats');

const [pkgDir, baseUrl, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg) || 24;
const SEQ_BLOCK = 300; // calls per variant per round, one at a time
const PAR_WORKERS = 64; // calls in flight
const PAR_BLOCK = 64 * 10; // calls per variant per round at 64 in flight

const lib = require(pkgDir);
const { USER, MESSAGE, CREDENTIALS, USERS_PATH, SEND_PATH, GET_HEADERS, POST_HEADERS, rawHttp, rawUndici } = require('./raw');

// What a careful user writes by hand (raw.js); the same calls over the global fetch below.
const raw = rawHttp(baseUrl);
// undici's variant exists only in a process that asks for it by name (BENCH_VARIANTS): in any
// other, its allocations and GC would land in the package's rounds.
const UNDICI = process.env.BENCH_VARIANTS?.split(',').includes('raw undici') ?? false;
let undiciRaw = null;
const viaUndici = (method, path, body) => (undiciRaw ??= rawUndici(baseUrl)).call(method, path, body);
async function rawFetch(method, path, body) {
  const res = await fetch(baseUrl + path, { method, headers: body === null ? GET_HEADERS : POST_HEADERS, body });
  const out = await res.json();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return out;
}

const client = new lib.ConversationsClient({ baseUrl, ...CREDENTIALS });
lib.Configuration.BASEURI = baseUrl;
lib.Configuration.basicAuthUserName = CREDENTIALS.username;
lib.Configuration.basicAuthPassword = CREDENTIALS.password;

// The wasm engine in Node does its I/O through node:http (transports.js; it has no Rust I/O); this
// variant passes a keep-alive agent of its own, as users of the `agent` option do.
const WASM = process.env.CONVERSATIONS_ENGINE === 'wasm';
const viaHttp = WASM
  ? new lib.ConversationsClient({ baseUrl, ...CREDENTIALS, agent: new http.Agent({ keepAlive: true }) })
  : null;

// BENCH_BEFORE_PKG=<installed package dir>: the same calls through another build of the package
// (the "before" of a change), interleaved in the same rounds: a before/after under one load.
const before = process.env.BENCH_BEFORE_PKG ? require(process.env.BENCH_BEFORE_PKG) : null;
const beforeClient = before && new before.ConversationsClient({ baseUrl, ...CREDENTIALS });
if (before) {
  before.Configuration.BASEURI = baseUrl;
  before.Configuration.basicAuthUserName = CREDENTIALS.username;
  before.Configuration.basicAuthPassword = CREDENTIALS.password;
}

// BENCH_VARIANTS=name,name keeps only those variants (run.js keeps fetch in its own process).
const KEEP = process.env.BENCH_VARIANTS ? new Set(process.env.BENCH_VARIANTS.split(',')) : null;
const OPS = {
  listAppUsers: {
    'raw node:http': () => raw.call('GET', USERS_PATH, null),
    'raw fetch': () => rawFetch('GET', USERS_PATH, null),
    ...(UNDICI ? { 'raw undici': () => viaUndici('GET', USERS_PATH, null) } : {}),
    'sdk modern': () => client.listAppUsers(),
    'sdk compat': () => lib.AppUsersController.getAppUsers(),
    ...(WASM ? { 'sdk modern, node:http I/O': () => viaHttp.listAppUsers() } : {}),
    ...(before ? { 'before: sdk modern': () => beforeClient.listAppUsers(), 'before: sdk compat': () => before.AppUsersController.getAppUsers() } : {}),
  },
  sendMessage: {
    'raw node:http': () => raw.call('POST', SEND_PATH, JSON.stringify(MESSAGE)),
    'raw fetch': () => rawFetch('POST', SEND_PATH, JSON.stringify(MESSAGE)),
    ...(UNDICI ? { 'raw undici': () => viaUndici('POST', SEND_PATH, JSON.stringify(MESSAGE)) } : {}),
    'sdk modern': () => client.sendMessage(USER, MESSAGE),
    'sdk compat': () => lib.AppUsersController.createSendMessage(USER, new lib.BaseMessageDto(MESSAGE)),
    ...(WASM ? { 'sdk modern, node:http I/O': () => viaHttp.sendMessage(USER, MESSAGE) } : {}),
    ...(before ? {
      'before: sdk modern': () => beforeClient.sendMessage(USER, MESSAGE),
      'before: sdk compat': () => before.AppUsersController.createSendMessage(USER, new before.BaseMessageDto(MESSAGE)),
    } : {}),
  },
};

// Each block gives [wall µs per call, this process's CPU µs per call]: wall time is the target;
// CPU time is the client's own cost, less disturbed by the server and other load.
function perCall(t0, c0, n) {
  const c = process.cpuUsage(c0);
  return [((performance.now() - t0) * 1000) / n, (c.user + c.system) / n];
}

if (KEEP !== null) {
  for (const variants of Object.values(OPS)) {
    for (const name of Object.keys(variants)) if (!KEEP.has(name)) delete variants[name];
  }
}

async function sequential(fn, n) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return perCall(t0, c0, n);
}

async function inFlight(fn, n, workers) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let left = n;
  const worker = async () => {
    while (left > 0) {
      left--;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return perCall(t0, c0, n);
}

async function measure(mode) {
  const out = {};
  for (const [op, variants] of Object.entries(OPS)) {
    const names = Object.keys(variants);
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (const name of names) {
      // Warm-up: JIT, sockets, lazy engine load.
      if (mode === 'seq') await sequential(variants[name], 300);
      else await inFlight(variants[name], PAR_BLOCK, PAR_WORKERS);
    }
    for (let r = 0; r < ROUNDS; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]);
      for (const name of order) {
        const [us, cpuUs] = mode === 'seq'
          ? await sequential(variants[name], SEQ_BLOCK)
          : await inFlight(variants[name], PAR_BLOCK, PAR_WORKERS);
        samples[name].push(us);
        cpu[name].push(cpuUs);
      }
    }
    const rows = {};
    for (const name of names) {
      const ratio = (base, of = samples) => (of[base] ? median(of[name].map((v, i) => v / of[base][i])) : null);
      rows[name] = {
        us: summary(samples[name]), vsHttp: ratio('raw node:http'), vsFetch: ratio('raw fetch'), vsUndici: ratio('raw undici'),
        cpuUs: summary(cpu[name]), cpuVsHttp: ratio('raw node:http', cpu),
      };
    }
    out[op] = rows;
  }
  return out;
}

(async () => {
  const result = { engine: process.env.CONVERSATIONS_ENGINE || 'default', seq: await measure('seq'), par: await measure('par') };
  // The I/O the modern client's calls went through ('rust', 'node'; read after the calls: the
  // default moves to node:http while node:http is intercepted), so run.js can check it measured
  // the transport it meant to.
  result.transport = client.transport;
  client.close();
  viaHttp?.close();
  beforeClient?.close();
  raw.close();
  undiciRaw?.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
