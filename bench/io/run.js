'use strict';

// `make bench-io` (issue #18): the native engine's I/O candidates (variants.js) measured against
// bench/server.js, for listAppUsers and sendMessage, one call at a time and 64 in flight:
//  - instructions per call, counted by callgrind over all threads of the client process (the
//    addon's tokio worker included): (count(N2) − count(N1)) / (N2 − N1), as bench/instructions.js;
//  - time per call, every variant interleaved in the same rounds of one process (as
//    bench/percall.js), ratios per round to the hand-written node:http call, then the median;
//  - memory per idle client, `require` + first client time, addon sizes.
// Prints the tables (markdown) and writes them, with the raw figures, to target/bench-io/.
// Usage: node bench/io/run.js <packageDir> [instructions|time|memory|startup ...]
// Environment: BENCH_IO_QUICK=1 (few calls and rounds), BENCH_IO_COUNT=variant,... and
// BENCH_IO_MODES=sequential,... and BENCH_IO_OPS=sendMessage,... (the instruction counts of only those), for a partial run;
// BENCH_IO_LANES (callgrind jobs at once, default 2), BENCH_IO_CALLS=N1,N2 (default 3000,6000).
// Child modes: --count <variant> <op> <mode> <calls> <url> <pkgDir>
//              --time <url> <pkgDir> <rounds> | --idle <variant> <clients> <url> <pkgDir>

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { summary, median } = require('../stats');
const { VARIANTS } = require('./variants');
const { NODE_TRANSPORT_ENV } = require('../raw');

const NAMES = Object.keys(VARIANTS);
const OPS = { listAppUsers: 'list', sendMessage: 'send' };
const MODES = { sequential: 1, '64 in flight': 64 };
const BASE = 'raw node:http';
const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'target', 'bench-io');
const QUICK = process.env.BENCH_IO_QUICK === '1';

/** Runs `fn` `calls` times, `workers` at a time; resolves [wall µs, CPU µs] per call. */
async function drive(fn, calls, workers) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let left = calls;
  const worker = async () => {
    while (left > 0) {
      left--;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const cpu = process.cpuUsage(c0);
  return [((performance.now() - t0) * 1000) / calls, (cpu.user + cpu.system) / calls];
}

const ctxOf = (url, pkgDir) => ({ baseUrl: url, pkgDir: path.resolve(pkgDir) });

// ---------------------------------------------------------------------------------------------
// Child modes.
async function childCount([variant, op, mode, calls, url, pkgDir]) {
  const client = VARIANTS[variant](ctxOf(url, pkgDir));
  await drive(client[op], Number(calls), MODES[mode]);
  client.close();
}

async function childTime([url, pkgDir, roundsArg]) {
  const rounds = Number(roundsArg);
  const ctx = ctxOf(url, pkgDir);
  const clients = Object.fromEntries(NAMES.map((n) => [n, VARIANTS[n](ctx)]));
  const out = {};
  for (const [mode, workers] of Object.entries(MODES)) {
    const block = workers === 1 ? 200 : 640;
    for (const [opName, op] of Object.entries(OPS)) {
      const wall = Object.fromEntries(NAMES.map((n) => [n, []]));
      const cpu = Object.fromEntries(NAMES.map((n) => [n, []]));
      for (const n of NAMES) await drive(clients[n][op], block, workers); // JIT, sockets, lazy loads
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < NAMES.length; i++) {
          const n = NAMES[(i + r) % NAMES.length];
          const [us, cpuUs] = await drive(clients[n][op], block, workers);
          wall[n].push(us);
          cpu[n].push(cpuUs);
        }
      }
      out[`${opName}|${mode}`] = Object.fromEntries(NAMES.map((n) => [n, {
        us: summary(wall[n]),
        ratio: median(wall[n].map((v, i) => v / wall[BASE][i])),
        cpuUs: summary(cpu[n]),
        cpuRatio: median(cpu[n].map((v, i) => v / cpu[BASE][i])),
      }]));
    }
  }
  for (const c of Object.values(clients)) c.close();
  return out;
}

/** Memory kept per idle client: `clients` clients that each made one call, then idle, GC'd. */
async function childIdle([variant, clientsArg, url, pkgDir]) {
  const count = Number(clientsArg);
  const ctx = ctxOf(url, pkgDir);
  const usage = () => {
    for (let i = 0; i < 3; i++) globalThis.gc();
    const m = process.memoryUsage();
    return { rss: m.rss, js: m.heapUsed + m.external + m.arrayBuffers };
  };
  // One client first, so module loading, JIT and lazily built shared state (the addon's
  // runtime) are in the baseline, not in the per-client figure.
  const first = VARIANTS[variant](ctx);
  await first.list();
  await new Promise((r) => { setTimeout(r, 200); });
  const before = usage();
  const clients = [];
  for (let i = 0; i < count; i++) {
    const c = VARIANTS[variant](ctx);
    await c.list();
    clients.push(c);
  }
  await new Promise((r) => { setTimeout(r, 500); });
  const after = usage();
  const out = { rssKiB: (after.rss - before.rss) / 1024 / count, jsKiB: (after.js - before.js) / 1024 / count, kept: clients.length };
  for (const c of [first, ...clients]) c.close();
  return out;
}

// ---------------------------------------------------------------------------------------------
// The parent.
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout.once('data', (d) => resolve({ child, url: `http://127.0.0.1:${JSON.parse(d).port}` }));
    child.once('error', reject);
  });
}

function callgrind(args) {
  return new Promise((resolve, reject) => {
    const run = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, __filename, ...args]);
    let stderr = '';
    run.stderr.on('data', (d) => { stderr += d; });
    run.on('close', (code) => {
      const m = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || !m) reject(new Error(`callgrind ${args.join(' ')} failed: ${stderr.slice(-800)}`));
      else resolve(Number(m[1]));
    });
  });
}

async function instructions(pkgDir) {
  // Both call counts run past the JIT's warm-up; callgrind slows the client ~50×, so N2 is kept
  // small enough for the whole table to fit in about half an hour on 2 loaded cores.
  const [n1, n2] = QUICK ? [500, 1_000] : (process.env.BENCH_IO_CALLS || '3000,6000').split(',').map(Number);
  const names = process.env.BENCH_IO_COUNT ? process.env.BENCH_IO_COUNT.split(',') : NAMES;
  const jobs = [];
  // 64 in flight first: the main target.
  const modes = process.env.BENCH_IO_MODES ? process.env.BENCH_IO_MODES.split(',') : Object.keys(MODES).reverse();
  for (const mode of modes) {
    for (const [opName, op] of Object.entries(OPS).filter(([o]) => !process.env.BENCH_IO_OPS || process.env.BENCH_IO_OPS.split(',').includes(o))) {
      for (const variant of names) jobs.push({ key: `${opName}|${mode}`, variant, args: (n, url) => ['--count', variant, op, mode, String(n), url, pkgDir] });
    }
  }
  const rows = {};
  const partial = path.join(OUT, `instructions.partial.${process.pid}.json`);
  fs.mkdirSync(OUT, { recursive: true });
  // Two callgrind processes per job, jobs in parallel lanes: counts do not depend on timing or load.
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      // A server per job: bench/server.js stops itself after 20 minutes.
      const server = await startServer();
      const [c2, c1] = await Promise.all([callgrind(job.args(n2, server.url)), callgrind(job.args(n1, server.url))])
        .finally(() => server.child.kill());
      (rows[job.key] ??= {})[job.variant] = (c2 - c1) / (n2 - n1);
      fs.writeFileSync(partial, JSON.stringify(rows, null, 1));
      process.stderr.write(`[bench-io] ${job.key} ${job.variant}: ${Math.round((c2 - c1) / (n2 - n1))} instructions/call\n`);
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.BENCH_IO_LANES) || 2 }, lane));
  return rows;
}

function childJson(args, nodeArgs = [], env = {}) {
  const res = spawnSync(process.execPath, [...nodeArgs, __filename, ...args], {
    encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, ...env },
  });
  if (res.status !== 0) throw new Error(`${args[0]} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

/**
 * The memory-per-idle-client runs of `variants`: [row name, variant, environment], the package's
 * client once on its default transport and once on node:http selected explicitly.
 */
function idleRuns(variants) {
  return variants.flatMap((n) => (n === 'sdk modern'
    ? [[`${n} (default transport)`, n, {}], [`${n}, node:http transport`, n, NODE_TRANSPORT_ENV]]
    : [[n, n, {}]]));
}

/** `require` + first client, fresh processes interleaved, median ms over bare node. */
function startup(pkgDir) {
  const lit = JSON.stringify;
  const scripts = {
    'bare node': '',
    'package (require + first client)': `new (require(${lit(pkgDir)}).ConversationsClient)({username:'k',password:'s'})`,
    'undici (require + Pool)': `new (require(${lit(require.resolve('undici', { paths: [__dirname] }))}).Pool)('http://127.0.0.1:1')`,
  };
  const samples = Object.fromEntries(Object.keys(scripts).map((n) => [n, []]));
  const names = Object.keys(scripts);
  const starts = QUICK ? 5 : 20;
  for (let i = 0; i < starts + 2; i++) {
    for (let v = 0; v < names.length; v++) {
      const name = names[(v + i) % names.length];
      const t0 = process.hrtime.bigint();
      const res = spawnSync(process.execPath, ['-e', scripts[name]], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`${name}: ${res.stderr}`);
      if (i >= 2) samples[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const bare = median(samples['bare node']);
  return Object.fromEntries(names.map((n) => [n, { ms: median(samples[n]), overMs: median(samples[n]) - bare }]));
}

function dirBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

const fmtK = (n) => `${(n / 1000).toFixed(1)}k`;

function render(r) {
  const lines = [];
  const keys = Object.keys(r.time ?? r.instructions ?? {});
  const table = (title, cell, has = () => true) => {
    lines.push(`### ${title}`, '', `| variant | ${keys.map((k) => k.replace('|', ', ')).join(' | ')} |`, `|---|${keys.map(() => '---|').join('')}`);
    for (const n of NAMES) if (has(n)) lines.push(`| ${n} | ${keys.map((k) => cell(k, n)).join(' | ')} |`);
    lines.push('');
  };
  if (r.instructions) {
    const ins = r.instructions;
    table('Instructions per call (callgrind, all threads of the client process; × raw node:http)',
      (k, n) => (ins[k]?.[n] === undefined ? 'n/a' : `${fmtK(ins[k][n])} (×${(ins[k][n] / ins[k][BASE]).toFixed(3)})`),
      (n) => keys.some((k) => ins[k]?.[n] !== undefined));
    lines.push('');
  }
  if (r.time) {
    const t = r.time;
    table('Time per call, µs (median of per-round means; × raw node:http, median of per-round ratios)',
      (k, n) => `${t[k][n].us.median.toFixed(1)} (×${t[k][n].ratio.toFixed(2)})`);
    table('Client CPU per call, µs (× raw node:http)', (k, n) => `${t[k][n].cpuUs.median.toFixed(1)} (×${t[k][n].cpuRatio.toFixed(2)})`);
  }
  if (r.memory) {
    lines.push('### Memory per idle client (one call made, then idle; full GC)', '', '| variant | RSS KiB/client | JS heap + external KiB/client |', '|---|---|---|');
    for (const [n, m] of Object.entries(r.memory)) lines.push(`| ${n} | ${m.rssKiB.toFixed(1)} | ${m.jsKiB.toFixed(1)} |`);
    lines.push('');
  }
  if (r.startup) {
    lines.push('### Start-up (fresh processes, interleaved, median)', '', '| command | ms | over bare node, ms |', '|---|---|---|');
    for (const [n, s] of Object.entries(r.startup)) lines.push(`| ${n} | ${s.ms.toFixed(1)} | ${s.overMs.toFixed(1)} |`);
    lines.push('');
  }
  if (r.sizes) {
    lines.push('### Sizes', '', '| artifact | KiB |', '|---|---|');
    for (const [n, b] of Object.entries(r.sizes)) lines.push(`| ${n} | ${(b / 1024).toFixed(1)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

async function main([pkgDir, ...parts]) {
  const want = new Set(parts.length > 0 ? parts : ['instructions', 'time', 'memory', 'startup']);
  pkgDir = path.resolve(pkgDir);
  const r = { node: process.version, cpus: os.cpus().length, load: [os.loadavg()[0]] };
  const addon = path.join(pkgDir, 'conversations.linux-x64-gnu.node');
  const gzip = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  r.sizes = {
    'package addon (engine + Rust I/O, napi-rs; release, stripped)': fs.statSync(addon).size,
    '… gzip -9 (its share of the npm tarball)': gzip(addon),
    'undici 7 (node_modules/undici, unpacked)': dirBytes(path.join(__dirname, 'node_modules', 'undici')),
  };
  const server = await startServer();
  try {
    if (want.has('time')) {
      process.stderr.write('[bench-io] time per call, interleaved\n');
      r.time = childJson(['--time', server.url, pkgDir, String(QUICK ? 5 : 30)]);
    }
    if (want.has('memory')) {
      process.stderr.write('[bench-io] memory per idle client\n');
      r.memory = idleMemory(NAMES.filter((v) => v !== 'sdk compat'), QUICK ? 50 : 200, server.url, pkgDir);
    }
    if (want.has('startup')) {
      process.stderr.write('[bench-io] start-up\n');
      r.startup = startup(pkgDir);
    }
    if (want.has('instructions')) r.instructions = await instructions(pkgDir);
  } finally {
    server.child.stdin.end();
    server.child.kill();
  }
  r.load.push(os.loadavg()[0]);
  const md = `${render(r)}\nNode ${r.node}, ${r.cpus} cores, 1-minute load ${r.load.map((l) => l.toFixed(1)).join(' → ')}.\n`;
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'results.md'), md);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(r, null, 1));
  process.stdout.write(md);
}

/**
 * Memory per idle client of each of `variants` (bench/run.js's figures too), each in a fresh
 * process: `clients` clients that made one call each, against the server at `url`.
 */
function idleMemory(variants, clients, url, pkgDir) {
  const out = {};
  for (const [name, n, env] of idleRuns(variants)) {
    out[name] = childJson(['--idle', n, String(clients), url, pkgDir], ['--expose-gc'], env);
  }
  return out;
}

module.exports = { idleMemory };

if (require.main === module) {
  const [flag, ...rest] = process.argv.slice(2);
  const child = { '--count': childCount, '--time': childTime, '--idle': childIdle }[flag];
  (child ? child(rest) : main(process.argv.slice(2))).then((out) => {
    if (child) {
      if (out !== undefined) process.stdout.write(`${JSON.stringify(out)}\n`);
      process.exit(0);
    }
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
