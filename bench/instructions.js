'use strict';

// User-space instructions per call, counted by valgrind (callgrind). Each variant makes N1 and then
// N2 calls (64 in flight) against bench/server.js in two processes under callgrind;
// (count(N2) - count(N1)) / (N2 - N1) leaves out start-up and warm-up. Not part of `make bench`:
// `make bench-instructions` (about 8 min on a quiet machine). On a quiet machine the counts repeat
// to within about 0.5 %; under load they do not: at 64 in flight a call's share of the event loop's
// work depends on how many responses each poll finds, and counts of one variant made at load 1 and
// at load 7 differed by up to 13 % (bench/FINDINGS.md, issue #13). So a before/after comparison
// counts both packages at the same time, against one server: BENCH_BEFORE_PKG=<dir> (a package
// laid out as `make bench-pkg` lays out target/bench-pkg) prints each variant for both and the
// ratio after/before.
// Variants: `<op> raw` (node:http by hand, bench/raw.js), `<op> undici` (undici's Pool.request by
// hand), `<op> modern` / `<op> compat` (the package on its default transport: Rust I/O in the addon,
// whose worker thread callgrind counts with the rest of the process), and `<op> modern node` /
// `<op> compat node` (the package on node:http, selected by NODE_TRANSPORT_ENV).
// Usage: node bench/instructions.js [variant...]   (variants: see VARIANTS; default all)
//   BENCH_CALLS=N1,N2 (default 10000,50000) sets the two call counts.
//   child mode: node bench/instructions.js --run <variant> <calls> <serverUrl> <packageDir>

const { spawn } = require('node:child_process');
const path = require('node:path');

const { USER, MESSAGE, CREDENTIALS, USERS_PATH, SEND_PATH, NODE_TRANSPORT_ENV, rawHttp, rawUndici } = require('./raw');

const VARIANTS = ['list raw', 'list undici', 'list modern', 'list compat', 'list modern node', 'list compat node',
  'send raw', 'send undici', 'send modern', 'send compat', 'send modern node', 'send compat node'];

function child([variant, callsArg, baseUrl, pkgDir]) {
  const lib = require(pkgDir);
  const raw = rawHttp(baseUrl);
  // Only the undici variants load undici.
  const undici = variant.endsWith(' undici') ? rawUndici(baseUrl) : null;
  const client = new lib.ConversationsClient({ baseUrl, ...CREDENTIALS });
  lib.Configuration.BASEURI = baseUrl;
  lib.Configuration.basicAuthUserName = CREDENTIALS.username;
  lib.Configuration.basicAuthPassword = CREDENTIALS.password;
  const fn = {
    'list raw': () => raw.call('GET', USERS_PATH, null),
    'list undici': () => undici.call('GET', USERS_PATH, null),
    'list modern': () => client.listAppUsers(),
    'list compat': () => lib.AppUsersController.getAppUsers(),
    'send raw': () => raw.call('POST', SEND_PATH, JSON.stringify(MESSAGE)),
    'send undici': () => undici.call('POST', SEND_PATH, JSON.stringify(MESSAGE)),
    'send modern': () => client.sendMessage(USER, MESSAGE),
    'send compat': () => lib.AppUsersController.createSendMessage(USER, new lib.BaseMessageDto(MESSAGE)),
  }[variant.replace(/ node$/, '')];
  const calls = Number(callsArg);
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await fn();
    }
  };
  Promise.all(Array.from({ length: 64 }, worker)).then(() => {
    client.close();
    raw.close();
    undici?.close();
    process.exit(0);
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}

function count(variant, calls, url, pkgDir) {
  return new Promise((resolve, reject) => {
    const run = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, __filename,
      '--run', variant, String(calls), url, pkgDir], {
      env: { ...process.env, CONVERSATIONS_ENGINE: 'native', ...(variant.endsWith(' node') ? NODE_TRANSPORT_ENV : {}) },
    });
    let stderr = '';
    run.stderr.on('data', (d) => { stderr += d; });
    run.on('close', (code) => {
      const m = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || !m) reject(new Error(`callgrind run of ${variant} failed: ${stderr.slice(-800)}`));
      else resolve(Number(m[1]));
    });
  });
}

async function main(variants) {
  const pkgDir = path.resolve(process.env.BENCH_PKG || path.join(__dirname, '..', 'npm'));
  const server = spawn(process.execPath, [path.join(__dirname, 'server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => { server.stdout.once('data', (d) => resolve(JSON.parse(d).port)); });
  const url = `http://127.0.0.1:${port}`;
  // BENCH_CALLS="N1,N2" for a shorter run on a loaded machine (fewer calls: more warm-up left in).
  const [n1, n2] = (process.env.BENCH_CALLS || '10000,50000').split(',').map(Number);
  const rows = {};
  const beforeDir = process.env.BENCH_BEFORE_PKG ? path.resolve(process.env.BENCH_BEFORE_PKG) : null;
  for (const variant of variants) {
    if (beforeDir !== null) {
      // All four runs at once: both packages see the same load.
      const [a2, a1, b2, b1] = await Promise.all([count(variant, n2, url, pkgDir), count(variant, n1, url, pkgDir),
        count(variant, n2, url, beforeDir), count(variant, n1, url, beforeDir)]);
      const after = (a2 - a1) / (n2 - n1);
      const before = (b2 - b1) / (n2 - n1);
      const fmt = (n) => Math.round(n).toLocaleString('en').padStart(8);
      process.stdout.write(`${variant.padEnd(16)} before ${fmt(before)}  after ${fmt(after)} instructions/call  ×${(after / before).toFixed(3)}\n`);
      continue;
    }
    // The two runs of a variant in parallel: counts do not depend on timing.
    const [c2, c1] = await Promise.all([count(variant, n2, url, pkgDir), count(variant, n1, url, pkgDir)]);
    rows[variant] = (c2 - c1) / (n2 - n1);
    const op = variant.split(' ')[0];
    const of = (base, label) => (rows[base] && base !== variant ? `  ×${(rows[variant] / rows[base]).toFixed(3)} of ${label}` : '');
    process.stdout.write(`${variant.padEnd(16)} ${Math.round(rows[variant]).toLocaleString('en').padStart(8)} instructions/call`
      + `${of(`${op} raw`, 'raw node:http')}${of(`${op} undici`, 'raw undici')}\n`);
  }
  server.kill();
}

if (process.argv[2] === '--run') child(process.argv.slice(3));
else {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((v) => !VARIANTS.includes(v));
  if (unknown.length > 0) {
    console.error(`unknown variant(s) ${unknown.join(', ')}; known: ${VARIANTS.join(', ')}`);
    process.exit(2);
  }
  main(wanted.length > 0 ? wanted : VARIANTS).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
