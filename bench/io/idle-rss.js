'use strict';

// RSS per idle `Io` (the addon's Rust I/O object, bindings-node/src/io.rs): creates N of them,
// each making CALLS keep-alive calls to a local node:http server (so each holds its pool and one
// idle connection), then measures (RSS growth) / N once idle and after full GCs. A warm-up Io
// makes one call first, so the runtime thread and the process-wide caches are not counted.
// Usage: node --expose-gc bench/io/idle-rss.js <addon.node> [calls per Io: 0|1] [N=200] [extraCa.pem]

const http = require('node:http');

const { Io } = require(require('node:path').resolve(process.argv[2]));
const CALLS = Number(process.argv[3] ?? 1);
const N = Number(process.argv[4]) || 200;
// Given (a PEM file, as NODE_EXTRA_CA_CERTS names), every Io trusts it too, as the SDK does then.
const options = process.argv[5] ? { extraCa: require('node:fs').readFileSync(process.argv[5], 'utf8') } : {};

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
function rss() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().rss;
}

/** An Io whose sends resolve when their completion arrives. */
function client() {
  const waiting = new Map();
  const io = new Io((slot, kind, status) => {
    waiting.get(slot)(kind === -1 ? status : -1 - kind);
    waiting.delete(slot);
  }, options);
  const head = io.head(['accept', 'application/json']);
  let next = 0;
  const call = (url) => new Promise((resolve) => {
    const slot = next++;
    waiting.set(slot, resolve);
    io.send(slot, 'GET', url, head, null, 5000, 1 << 20);
  });
  return { io, call };
}

(async () => {
  const server = http.createServer((req, res) => { res.end('{"ok":true}'); });
  server.keepAliveTimeout = 600_000;
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const url = `http://127.0.0.1:${server.address().port}/`;
  const warm = client();
  if ((await warm.call(url)) !== 200) throw new Error('warm-up call failed');
  await sleep(200);
  const before = rss();
  const clients = [];
  for (let i = 0; i < N; i++) {
    const c = client();
    for (let k = 0; k < CALLS; k++) {
      const status = await c.call(url);
      if (status !== 200) throw new Error(`call failed: ${status}`);
    }
    clients.push(c);
  }
  await sleep(500);
  const after = rss();
  process.stdout.write(`${JSON.stringify({ n: N, callsEach: CALLS, extraCa: Boolean(process.argv[5]), rssBeforeKiB: Math.round(before / 1024), rssAfterKiB: Math.round(after / 1024), perIoKiB: Math.round((after - before) / N / 1024 * 10) / 10 })}\n`);
  for (const c of [warm, ...clients]) c.io.close();
  server.closeAllConnections();
  server.close();
})();
