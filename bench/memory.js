'use strict';

// RSS growth: 100,000 calls through the modern client (listAppUsers and sendMessage alternating,
// 16 in flight), RSS sampled at 1,000 and at 100,000 calls, twice each time: right after the
// calls (3 forced GCs) and settled (after SETTLE_MS idle and another full GC). Under sustained
// allocation V8 grows its young generation whoever allocates (mode `raw` makes the same calls with
// node:http by hand and grows too); it shrinks it again once allocation has been low for a few
// seconds (V8 measures allocation throughput over a 5 s window) and a full GC runs, so what is
// left once settled is what the process really retained.
// Usage: node --expose-gc memory.js <packageDir> <serverUrl> [calls] [sdk|raw]

const lib = require(process.argv[2]);
const baseUrl = process.argv[3];
const TOTAL = Number(process.argv[4]) || 100_000;
const { USER, MESSAGE, CREDENTIALS, USERS_PATH, SEND_PATH, rawHttp } = require('./raw');

const MODE = process.argv[5] || 'sdk';
const client = new lib.ConversationsClient({ baseUrl, ...CREDENTIALS });
const raw = rawHttp(baseUrl);

async function run(until, state) {
  const worker = async () => {
    while (state.done < until) {
      const n = state.done++;
      if (MODE === 'raw') await (n % 2 === 0 ? raw.call('GET', USERS_PATH, null) : raw.call('POST', SEND_PATH, JSON.stringify(MESSAGE)));
      else if (n % 2 === 0) await client.listAppUsers();
      else await client.sendMessage(USER, MESSAGE);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const SETTLE_MS = 6000;
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function usage() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

async function sample() {
  const loaded = usage();
  await sleep(SETTLE_MS);
  usage();
  // The pages of the shrunk young generation go back to the OS shortly after that GC.
  await sleep(SETTLE_MS);
  return { loaded, settled: usage() };
}

(async () => {
  const state = { done: 0 };
  const t0 = performance.now();
  await run(1_000, state);
  const at1k = await sample();
  await run(TOTAL, state);
  const atEnd = await sample();
  client.close();
  raw.close();
  process.stdout.write(`${JSON.stringify({ mode: MODE, calls: state.done, at1k, atEnd, seconds: (performance.now() - t0) / 1000 })}\n`);
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
