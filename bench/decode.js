'use strict';

// Decode cost, in its own process: the 10,000-message history (~2 MB) through the package's
// decode path (engine.decode + JSON.parse, as client.js does) vs JSON.parse alone; plus the
// engine's fixed per-call costs on tiny bodies (request building and decoding), which is what a
// keep-alive call pays on top of I/O.
// Usage: node decode.js <packageDir>   (engine via CONVERSATIONS_ENGINE)

const path = require('node:path');
const { summary, median } = require('./stats');
const { USERS, SENT, history } = require('./fixtures');

const pkgDir = process.argv[2];
// The package's own engine loader, so the engine measured is the one calls use.
const { getEngine } = require(path.join(pkgDir, 'lib', 'engine.js'));
const Engine = getEngine();
const engine = new Engine({ baseUrl: 'http://127.0.0.1:1', username: 'bench-key', password: 'bench-secret' });
const utf8 = new TextDecoder();

const big = Buffer.from(history(10_000));
const users = Buffer.from(USERS);
const sent = Buffer.from(SENT);
const MESSAGE = JSON.stringify({ text: 'Thanks Ben! Shipping to Australia is $10.', channel: 'facebook' });
const USER = 'd36c4ff6-4e81-4d7f-93c0-1472e09d1063';

// The package's decode as the pipeline runs it.
const decodeOf = (op, status, body) => JSON.parse(engine.decode(op, status, body));

// Request building as the pipeline does it: the per-call line when the engine has the fast path
// (method and headers are fetched once per operation), else the whole request object.
const requestOf = (op, id, body) => (typeof engine.requestLine === 'function'
  ? engine.requestLine(op, id, body)
  : engine.request(op, id, body));

function timeEach(fn, iterations) {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - t0) * 1000) / iterations;
}

function interleaved(variants, iterations, rounds) {
  const names = Object.keys(variants);
  for (const name of names) timeEach(variants[name], iterations);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) samples[name].push(timeEach(variants[name], iterations));
  }
  return { samples, names };
}

const out = {};
{
  const { samples } = interleaved({
    'JSON.parse': () => JSON.parse(utf8.decode(big)),
    package: () => decodeOf('getAppUserMessages', 200, big),
  }, 3, 15);
  out.history = {
    bytes: big.length,
    parse: summary(samples['JSON.parse']),
    pkg: summary(samples.package),
    ratio: median(samples.package.map((v, i) => v / samples['JSON.parse'][i])),
  };
}
{
  const { samples } = interleaved({
    'JSON.parse users': () => JSON.parse(utf8.decode(users)),
    'decode users': () => decodeOf('getAppUsers', 200, users),
    'decode sent': () => decodeOf('createSendMessage', 202, sent),
    'request users': () => requestOf('getAppUsers', null, null),
    'request send': () => requestOf('createSendMessage', USER, MESSAGE),
  }, 20_000, 9);
  out.micro = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)]));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
