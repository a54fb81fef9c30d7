'use strict';

// `make bench`: every figure of issue #8 in one run, written to bench/RESULTS.md.
// The package is measured as users get it: npm/ is staged with the release addon, `npm pack`ed
// and unpacked into a scratch node_modules; the working tree's addon is never touched.
// Environment: BENCH_QUICK=1 (fewer rounds), BENCH_SKIP_RUST=1 (no cargo benches),
// BENCH_OUT=file (write the report there instead of bench/RESULTS.md), BENCH_JSON_OUT=file (the
// run's figures as JSON, for `node bench/run.js --render file` after FINDINGS.md changes).

const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { summary, median } = require('./stats');
const { NODE_TRANSPORT_ENV } = require('./raw');
const { idleMemory } = require('./io/run');
const report = require('./report');

const { NATIVE_NODE } = report;

const ROOT = path.resolve(__dirname, '..');
// BENCH_NPM_DIR / BENCH_ADDON measure another checkout's package (the "before" column).
const NPM = path.resolve(process.env.BENCH_NPM_DIR || path.join(ROOT, 'npm'));
const QUICK = process.env.BENCH_QUICK === '1';
const SKIP_RUST = process.env.BENCH_SKIP_RUST === '1';
const PKG = 'messagemedia-conversations-sdk';
const started = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);

function targetDir() {
  if (process.env.CARGO_TARGET_DIR) return path.resolve(ROOT, process.env.CARGO_TARGET_DIR);
  return path.join(ROOT, 'target');
}

// ---------------------------------------------------------------------------------------------
// The package as users get it.
function stagePackage(tmp) {
  const addon = path.resolve(process.env.BENCH_ADDON || path.join(targetDir(), 'release', 'libconversations_node.so'));
  if (!fs.existsSync(addon)) throw new Error(`no release addon at ${addon}: run cargo build -p conversations-node --release`);
  const stage = path.join(tmp, 'stage');
  const skip = new Set(['node_modules', 'test', 'test-support']);
  fs.cpSync(NPM, stage, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(NPM, src);
      return !(skip.has(rel.split(path.sep)[0]) || (!rel.includes(path.sep) && rel.endsWith('.node')));
    },
  });
  fs.copyFileSync(addon, path.join(stage, 'conversations.linux-x64-gnu.node'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  }))[0];
  const tarball = path.join(tmp, packed.filename);
  const app = path.join(tmp, 'app');
  const modules = path.join(app, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), '{"name":"bench-app","private":true}\n');
  execFileSync('tar', ['xzf', tarball, '-C', modules]);
  fs.renameSync(path.join(modules, 'package'), path.join(modules, PKG));
  const pkgDir = path.join(modules, PKG);
  const wasmDir = path.join(pkgDir, 'wasm');
  const wasmFiles = fs.existsSync(wasmDir) ? fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')) : [];
  return {
    app,
    pkgDir,
    tarballBytes: fs.statSync(tarball).size,
    unpackedBytes: packed.unpackedSize,
    files: packed.entryCount,
    addonBytes: fs.statSync(path.join(pkgDir, 'conversations.linux-x64-gnu.node')).size,
    addonGzipBytes: zlib.gzipSync(fs.readFileSync(path.join(pkgDir, 'conversations.linux-x64-gnu.node')), { level: 9 }).length,
    wasm: wasmFiles.length > 0 ? path.join(wasmDir, wasmFiles[0]) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The server, in its own process.
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ child, url: `http://127.0.0.1:${JSON.parse(buf.slice(0, nl)).port}` });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

function runJson(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  const line = res.stdout.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('BENCH_JSON ')).pop();
  return JSON.parse(line.replace(/^BENCH_JSON /, ''));
}

// The hand-written calls other than node:http, and the ratio field each one's column is in.
const OTHER_RAW = { 'raw fetch': 'vsFetch', 'raw undici': 'vsUndici' };

/**
 * Adds the rows of the hand-written calls a run did not make (fetch, undici: measured against raw
 * node:http in a process of their own, `handRun`) and the run's ratios to them, via raw node:http:
 * sdk / raw X = (sdk / raw node:http) × (raw node:http / raw X). The field names of bridged ratios
 * are listed in `row.bridged` (the report marks them ≈).
 */
function bridge(run, handRun) {
  for (const mode of ['seq', 'par']) {
    for (const [op, rows] of Object.entries(run[mode])) {
      for (const [name, field] of Object.entries(OTHER_RAW)) {
        if (rows[name] !== undefined) continue;
        const httpOverOther = handRun[mode][op]['raw node:http'][field];
        for (const row of Object.values(rows)) {
          row[field] = row.vsHttp * httpOverOther;
          row.bridged = [...(row.bridged ?? []), field];
        }
        rows[name] = { ...handRun[mode][op][name], note: 'own process' };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Import cost: fresh processes, interleaved, wall time and peak RSS.
function importCost(pkg, engines) {
  const starts = QUICK ? 10 : 25;
  const haveTime = fs.existsSync('/usr/bin/time');
  const rssProbe = "process.on('exit',()=>process.stderr.write('MAXRSS '+process.resourceUsage().maxRSS+'\\n'))";
  const variants = [['bare node', ['-e', ''], null], ['bare node, ESM', ['--input-type=module', '-e', ''], null]];
  const firstClient = ['-e', `new (require('${PKG}').ConversationsClient)({username:'k',password:'s'})`];
  for (const engine of engines) {
    variants.push(
      [`require (${engine})`, ['-e', `require('${PKG}')`], engine],
      [`import (${engine})`, ['--input-type=module', '-e', `import '${PKG}'`], engine],
      [`require + first client (${engine})`, firstClient, engine],
    );
  }
  // The native engine's client on node:http selected explicitly (its default is Rust I/O).
  if (engines.includes('native')) variants.push(['require + first client (native, node:http transport)', firstClient, 'native', NODE_TRANSPORT_ENV]);
  const samples = Object.fromEntries(variants.map(([name]) => [name, { ms: [], rssKiB: [] }]));
  for (let i = 0; i < starts + 2; i++) {
    for (let v = 0; v < variants.length; v++) {
      const [name, args, engine, extraEnv] = variants[(v + i) % variants.length];
      const env = { ...process.env, ...extraEnv };
      if (engine !== null) env.CONVERSATIONS_ENGINE = engine;
      const cmd = haveTime ? '/usr/bin/time' : process.execPath;
      const argv = haveTime ? ['-f', 'MAXRSS %M', process.execPath, ...args] : ['-r', `data:text/javascript,${rssProbe}`, ...args];
      const t0 = process.hrtime.bigint();
      const res = spawnSync(cmd, argv, { cwd: pkg.app, env, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 0) throw new Error(`${name} failed: ${res.stderr}`);
      if (i < 2) continue; // warm the page cache first
      samples[name].ms.push(ms);
      samples[name].rssKiB.push(Number(/MAXRSS (\d+)/.exec(res.stderr)?.[1]));
    }
  }
  const bare = median(samples['bare node'].ms);
  const bareRss = median(samples['bare node'].rssKiB);
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, {
    ms: summary(s.ms), overMs: median(s.ms) - bare, rssMiB: median(s.rssKiB) / 1024, overRssMiB: (median(s.rssKiB) - bareRss) / 1024,
  }]));
}

// ---------------------------------------------------------------------------------------------
// Rust: criterion decode throughput and the client-vs-raw-reqwest comparison.
function rustBenches(url) {
  const env = { ...process.env, CONVERSATIONS_BENCH_URL: url };
  const client = runJson('cargo', ['bench', '-q', '-p', 'conversations-core', '--features', 'client', '--bench', 'client'], { cwd: ROOT, env });
  const res = spawnSync('cargo', ['bench', '-q', '-p', 'conversations-core', '--features', 'client', '--bench', 'decode', '--', '--noplot'], { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`criterion decode bench failed: ${res.stderr}`);
  const decode = {};
  const crit = path.join(targetDir(), 'criterion');
  for (const group of ['history_10k', 'app_users_small']) {
    for (const fn of ['serde_json_value', 'typed_decode', 'engine_envelope']) {
      const dir = path.join(crit, group, fn, 'new');
      const est = JSON.parse(fs.readFileSync(path.join(dir, 'estimates.json'), 'utf8'));
      const bench = JSON.parse(fs.readFileSync(path.join(dir, 'benchmark.json'), 'utf8'));
      const bytes = bench.throughput?.Bytes ?? 0;
      const ns = est.median.point_estimate;
      decode[`${group}/${fn}`] = {
        ns, lo: est.median.confidence_interval.lower_bound, hi: est.median.confidence_interval.upper_bound,
        mibps: bytes / (ns / 1e9) / (1 << 20),
      };
    }
  }
  return { client, decode };
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conversations-bench-'));
  const load = [os.loadavg()[0]];
  let server = null;
  try {
    log('staging and packing the package');
    const pkg = stagePackage(tmp);
    const engines = ['native'];
    if (pkg.wasm !== null) engines.push('wasm');
    else log('wasm engine not built (npm/wasm/ absent): wasm rows are n/a');
    server = await startServer();
    log(`server at ${server.url}`);
    const rounds = String(QUICK ? 5 : 40);
    const r = { pkg, engines, percall: {}, decode: {}, memory: null, rust: null };

    // The native engine is measured without fetch or undici in its process: their allocations
    // and GC otherwise land in whichever variant runs next and inflated the package's rounds.
    // The hand-written fetch and undici calls are measured against raw node:http in a process of
    // their own; the native rows' "/ raw fetch" and "/ raw undici" go through that bridge. Each
    // of the native engine's Node transports has its process (the default, Rust I/O in the addon;
    // node:http selected by NODE_TRANSPORT_ENV). The wasm engine's default I/O is fetch, so its
    // process has all.
    const percall = (engine, variants, env = {}) => runJson(process.execPath, [path.join(__dirname, 'percall.js'), pkg.pkgDir, server.url, rounds], {
      env: { ...process.env, CONVERSATIONS_ENGINE: engine, ...(variants ? { BENCH_VARIANTS: variants } : {}), ...env },
    });
    log('per-call (raw fetch and raw undici vs raw node:http)');
    const handRun = percall('native', `raw node:http,${Object.keys(OTHER_RAW).join(',')}`);
    // [r.percall key, engine, environment, the transport the client must report]
    const runs = engines.map((engine) => [engine, engine, {}, engine === 'native' ? 'rust' : 'node']);
    if (engines.includes('native')) runs.splice(1, 0, [NATIVE_NODE, 'native', NODE_TRANSPORT_ENV, 'node']);
    for (const [key, engine, env, transport] of runs) {
      log(`per-call (${key})`);
      const run = engine === 'native' ? percall(engine, 'raw node:http,sdk modern,sdk compat', env) : percall(engine, null, env);
      // A silent fall-back (say, to node:http under an environment proxy) would mislabel every row.
      if (run.transport !== transport) throw new Error(`per-call (${key}): the client reported transport ${run.transport}, not ${transport}`);
      bridge(run, handRun);
      r.percall[key] = run;
    }
    for (const engine of engines) {
      log(`decode (${engine})`);
      r.decode[engine] = runJson(process.execPath, [path.join(__dirname, 'decode.js'), pkg.pkgDir], {
        env: { ...process.env, CONVERSATIONS_ENGINE: engine },
      });
    }
    log('memory (100,000 calls: the package, then node:http by hand)');
    const memory = (mode) => runJson(process.execPath, ['--expose-gc', path.join(__dirname, 'memory.js'), pkg.pkgDir, server.url, QUICK ? '20000' : '100000', mode], {
      env: { ...process.env, CONVERSATIONS_ENGINE: 'native' },
    });
    r.memory = memory('sdk');
    r.memoryRaw = memory('raw');
    log('memory per idle client (each transport; hand-written node:http and undici)');
    r.idle = idleMemory(['raw node:http', 'raw undici', 'sdk modern'], QUICK ? 50 : 200, server.url, pkg.pkgDir);
    log('import cost');
    r.imports = importCost(pkg, engines);
    if (!SKIP_RUST) {
      log('rust: client vs raw reqwest, criterion decode');
      r.rust = rustBenches(server.url);
    }
    // The wasm engine in Chromium (issue #14): the browser entry's options and per-call cost.
    if (pkg.wasm !== null && fs.existsSync('/usr/bin/chromium')) {
      log('browser: entry options and per-call in headless Chromium');
      r.browser = runJson(process.execPath, [path.join(__dirname, 'browser.mjs'), pkg.pkgDir, ...(QUICK ? ['--rounds', '10', '--loads', '5'] : [])]);
    } else {
      log('browser rows are n/a (no wasm build or no /usr/bin/chromium)');
    }
    if (pkg.wasm !== null) {
      const raw = fs.readFileSync(pkg.wasm);
      r.wasmBytes = raw.length;
      r.wasmGzipBytes = zlib.gzipSync(raw, { level: 9 }).length;
    }
    load.push(os.loadavg()[0]);
    r.load = load;
    r.seconds = (Date.now() - started) / 1000;
    r.node = process.version;
    r.cpus = os.cpus().length;
    const md = write(r);
    fs.writeFileSync(path.join(tmp, 'results.json'), JSON.stringify(r, null, 1));
    if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(r, null, 1));
    process.stdout.write(md);
    log(`done in ${r.seconds.toFixed(0)} s; wrote bench/RESULTS.md`);
  } finally {
    if (server !== null) {
      server.child.stdin.end();
      server.child.kill();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the report of run `r`: its tables, then the analysis (FINDINGS.md, prose kept beside the code). */
function write(r) {
  let md = report.render(r, report.loadBaseline(path.join(__dirname, 'baseline.json')));
  const findings = path.join(__dirname, 'FINDINGS.md');
  if (fs.existsSync(findings)) md += `\n${fs.readFileSync(findings, 'utf8')}`;
  fs.writeFileSync(process.env.BENCH_OUT || path.join(__dirname, 'RESULTS.md'), md);
  return md;
}

// `--render results.json` (a BENCH_JSON_OUT file): the same report again from that run's figures,
// after FINDINGS.md changed, so RESULTS.md and FINDINGS.md stay one text without another run.
module.exports = { bridge };

if (require.main === module) {
  if (process.argv[2] === '--render') write(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
  else {
    main().catch((err) => {
      console.error(err);
      process.exit(1);
    });
  }
}
