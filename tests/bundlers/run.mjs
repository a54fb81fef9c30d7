// `make bundlers`: the packed tarball (dist/*.tgz, `make package`) in every bundler and runtime we
// support, at zero configuration, each app calling a real sandbox (target/debug/conversations-sandbox).
// Bundled apps run in headless Chromium (/usr/bin/chromium via playwright-core); Node, Bun, Deno
// and workerd run the app themselves. The tools are this folder's devDependencies (pinned, with a
// lockfile, installed by the Makefile). Prints a table and the closing line "N passed, N failed";
// exits 1 when a case fails. The table's "first call ms" is what the app measured (new client →
// first response) while other cases build beside it: a sign of life, not a benchmark (that is
// bench/browser.mjs).
//
//   node tests/bundlers/run.mjs [case ...]     (default: every case)
//   BUNDLERS_JOBS=n                            builds at once (default 2: CI has 2 cores)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const BIN = path.join(HERE, 'node_modules', '.bin');
const MODULES = path.join(HERE, 'node_modules');
const WORK = path.join(HERE, '.work');
const PKG = 'messagemedia-conversations-sdk';
const require = createRequire(import.meta.url);
const { startSandbox } = require(path.join(ROOT, 'npm', 'test-support', 'sandbox.js'));
const { chromium } = createRequire(path.join(ROOT, 'npm', 'package.json'))('playwright-core');
const JOBS = Number(process.env.BUNDLERS_JOBS || 2);
const STEP_TIMEOUT_MS = 180_000;
const CHROMIUM = '/usr/bin/chromium';
// Each tool writes its caches and settings under .work/, never under HOME.
const TOOL_ENV = {
  ...process.env,
  HOME: path.join(WORK, 'home'),
  XDG_CONFIG_HOME: path.join(WORK, 'home', '.config'),
  XDG_CACHE_HOME: path.join(WORK, 'home', '.cache'),
  DENO_DIR: path.join(WORK, 'home', 'deno'),
  BUN_INSTALL_CACHE_DIR: path.join(WORK, 'home', 'bun'),
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_LOG_PATH: path.join(WORK, 'home', 'wrangler-logs'),
  NO_UPDATE_NOTIFIER: '1',
  DO_NOT_TRACK: '1',
};

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** Runs a command; resolves with its output, rejects with it (and the exit status) on failure. */
function run(cmd, args, { cwd, env = TOOL_ENV, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code ?? signal}\n${out.slice(-3000)}`));
    });
  });
}

/** Starts a long-running command and resolves when `ready` matches its output. */
function serve(cmd, args, { cwd, ready, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: TOOL_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const stop = () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      // The server's whole process group (vite may start helpers).
      try { process.kill(-child.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
    });
    const timer = setTimeout(() => { stop(); reject(new Error(`not ready after ${timeoutMs} ms:\n${out.slice(-3000)}`)); }, timeoutMs);
    const onData = (c) => {
      out += c;
      // eslint-disable-next-line no-control-regex -- strip colours before matching
      const m = ready.exec(out.replace(/\u001b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        resolve({ match: m, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code} before ready:\n${out.slice(-3000)}`)); });
  });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.map': 'application/json' };

/** A static server for a built app on 127.0.0.1. */
async function staticServer(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) return res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); } };
}

/** The app's sources in a case's folder (the tarball is in ../node_modules, shared). */
function makeApp(name, files) {
  const dir = path.join(WORK, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `check-${name}`, private: true, type: 'module' }, null, 2)}\n`);
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(path.join(HERE, 'app', from), path.join(dir, to));
  }
  return dir;
}

const PAGE_FILES = { 'index.html': 'index.html', 'src/index.js': 'index.js', 'src/check.js': 'check.js' };
const pageHtml = (script) => `<!doctype html><html><head><meta charset="utf-8"><title>check</title></head><body>loading<script type="module" src="./${script}"></script></body></html>\n`;

// ---------------------------------------------------------------------------------------------
// The cases. `build(dir)` makes the app; a page case then has `serveDir` (static) or `dev` (a dev
// server's URL); a process case has `exec(dir, params)` printing the result as JSON.

const node = process.execPath;
const vite = { vite5: 'vite5', vite6: 'vite6', vite: 'vite' };
const viteBin = (pkg) => path.join(MODULES, pkg, 'bin', 'vite.js');

/** A bundler's one command: src/index.js → dist/main.js, and a page loading it. */
const bundled = (argsOf, bin) => ({
  files: PAGE_FILES,
  async build(dir) {
    await run(bin, argsOf(dir), { cwd: dir });
    fs.writeFileSync(path.join(dir, 'dist', 'index.html'), pageHtml('main.js'));
  },
  serveDir: 'dist',
});

const CASES = {
  esbuild: bundled(() => ['src/index.js', '--bundle', '--outfile=dist/main.js'], path.join(BIN, 'esbuild')),
  rollup: bundled(() => ['src/index.js', '-p', 'node-resolve', '-f', 'es', '-o', 'dist/main.js'], path.join(BIN, 'rollup')),
  'webpack 5': bundled(() => [], path.join(BIN, 'webpack')),
  'bun build': bundled(() => ['build', 'src/index.js', '--target=browser', '--outfile=dist/main.js'], path.join(BIN, 'bun')),
  parcel: {
    files: PAGE_FILES,
    build: (dir) => run(path.join(BIN, 'parcel'), ['build', 'index.html', '--no-autoinstall', '--cache-dir', '.parcel-cache'], { cwd: dir }),
    serveDir: 'dist',
  },
  ...Object.fromEntries(Object.entries(vite).flatMap(([pkg]) => {
    const label = pkg === 'vite' ? `vite ${require(path.join(MODULES, 'vite', 'package.json')).version.split('.')[0]}` : `vite ${pkg.slice(4)}`;
    return [
      [`${label} build`, { files: PAGE_FILES, build: (dir) => run(node, [viteBin(pkg), 'build'], { cwd: dir }), serveDir: 'dist' }],
      [`${label} dev`, {
        files: PAGE_FILES,
        build: async () => {},
        async dev(dir) {
          const { match, stop } = await serve(node, [viteBin(pkg), '--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'], {
            cwd: dir, ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/,
          });
          return { url: match[1].replace(/\/$/, ''), stop };
        },
      }],
    ];
  })),
  // The ./streamed entry (the .wasm file fetched while it compiles) where bundlers emit it.
  'vite 8 build, ./streamed': {
    files: { ...PAGE_FILES, 'src/index.js': 'index-streamed.js' },
    build: (dir) => run(node, [viteBin('vite'), 'build'], { cwd: dir }),
    serveDir: 'dist',
  },
  'webpack 5, ./streamed': { ...bundled(() => [], path.join(BIN, 'webpack')), files: { ...PAGE_FILES, 'src/index.js': 'index-streamed.js' } },
  'web worker (esbuild)': {
    files: { 'src/worker.js': 'worker.js', 'src/check.js': 'check.js', 'dist/main.js': 'worker-page.js' },
    async build(dir) {
      await run(path.join(BIN, 'esbuild'), ['src/worker.js', '--bundle', '--outfile=dist/worker.js'], { cwd: dir });
      fs.writeFileSync(path.join(dir, 'dist', 'index.html'), pageHtml('main.js'));
    },
    serveDir: 'dist',
  },
  'node cjs': { files: { 'app.cjs': 'app.cjs', 'check.js': 'check.js' }, exec: (dir, p) => run(node, ['app.cjs', ...p], { cwd: dir }) },
  'node esm': { files: { 'app.mjs': 'app.mjs', 'check.js': 'check.js' }, exec: (dir, p) => run(node, ['app.mjs', ...p], { cwd: dir }) },
  bun: { files: { 'app.mjs': 'app.mjs', 'check.js': 'check.js' }, exec: (dir, p) => run(path.join(BIN, 'bun'), ['app.mjs', ...p], { cwd: dir }) },
  'deno --allow-net': {
    files: { 'app.mjs': 'app.mjs', 'check.js': 'check.js' },
    exec: (dir, p) => run(path.join(BIN, 'deno'), ['run', '--allow-net', '--no-prompt', 'app.mjs', ...p], { cwd: dir }),
  },
  'workerd (wrangler)': {
    files: { 'src/index.js': 'workerd.js', 'src/check.js': 'check.js' },
    // wrangler bundles as for a deploy (conditions workerd, worker, browser; .wasm imports as
    // modules); Miniflare, its local runtime, runs the bundle in workerd.
    build: (dir) => run(path.join(BIN, 'wrangler'), ['deploy', '--dry-run', '--outdir', 'dist', '--name', 'conversations-check',
      '--compatibility-date', '2025-09-01', 'src/index.js'], { cwd: dir }),
    async exec(dir, [api, key, secret]) {
      const { Miniflare } = require(path.join(MODULES, 'miniflare'));
      const mf = new Miniflare({
        scriptPath: path.join(dir, 'dist', 'index.js'),
        modules: true,
        modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
        compatibilityDate: '2025-09-01',
      });
      try {
        const q = new URLSearchParams({ api, key, secret });
        const res = await mf.dispatchFetch(`http://worker.local/?${q}`);
        return await res.text();
      } finally {
        await mf.dispose();
      }
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Checking a result.

function verdict(result) {
  const problems = [];
  if (result === null || typeof result !== 'object') return [`no result: ${JSON.stringify(result)}`];
  if (result.error) return [result.error];
  if (result.users !== true) problems.push('listAppUsers returned no user');
  if (typeof result.user !== 'string' || result.user === '') problems.push(`first user's givenName: ${JSON.stringify(result.user)}`);
  if (result.messages !== true) problems.push('listMessages returned no message');
  if (result.notFound !== 'NotFoundError 404') problems.push(`getAppUser(unknown): ${result.notFound}`);
  if (!/^InvalidInputError /.test(result.invalid ?? '')) problems.push(`sendMessage(bad body): ${result.invalid}`);
  if (result.compat !== true) problems.push('the compat surface is missing');
  return problems;
}

async function inPage(browser, url, params) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  // Chromium logs every 4xx as "Failed to load resource": the API's (getAppUser('no-such-user')
  // answers 404) are the SDK's to handle; any other is caught by the response listener below.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource:')) problems.push(msg.text());
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => { if (res.status() >= 400 && !res.url().startsWith(params.api)) problems.push(`${res.status()} ${res.url()}`); });
  try {
    const q = new URLSearchParams({ api: params.api, key: params.key, secret: params.secret });
    await page.goto(`${url}/?${q}`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 }).catch(() => {});
    const result = await page.evaluate(() => window.__result ?? null);
    // The API's own 404 (getAppUser of an unknown id) is expected; every other failure is not.
    return { result, problems };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const only = process.argv.slice(2);
  const names = only.length > 0 ? only : Object.keys(CASES);
  for (const n of names) if (!CASES[n]) throw new Error(`unknown case "${n}" (cases: ${Object.keys(CASES).join(', ')})`);

  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'npm', 'package.json'), 'utf8'));
  const tarball = path.join(ROOT, 'dist', `${PKG}-${version}.tgz`);
  if (!fs.existsSync(tarball)) throw new Error(`${path.relative(ROOT, tarball)} is missing: run \`make package\``);

  fs.rmSync(WORK, { recursive: true, force: true });
  const pkgDir = path.join(WORK, 'node_modules', PKG);
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.mkdirSync(TOOL_ENV.XDG_CONFIG_HOME, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', pkgDir, '--strip-components=1']);

  const sandbox = await startSandbox({ seedDemo: true });
  const params = { api: sandbox.url, key: sandbox.key, secret: sandbox.secret };
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    env: { ...process.env, HOME: TOOL_ENV.HOME },
  });
  console.log(`bundlers matrix: ${path.relative(ROOT, tarball)}, sandbox ${sandbox.url}, ${names.length} cases, ${JOBS} at a time`);

  const rows = [];
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const c = CASES[name];
      const row = { name, ok: false, buildS: 0, runS: 0, firstCallMs: null, detail: '' };
      rows.push(row);
      const dir = makeApp(name.replace(/[^a-z0-9]+/gi, '-'), c.files);
      let t = performance.now();
      try {
        await c.build?.(dir);
        row.buildS = (performance.now() - t) / 1000;
        t = performance.now();
        let result;
        let problems = [];
        if (c.exec) {
          const out = await c.exec(dir, [params.api, params.key, params.secret]);
          const line = out.trim().split('\n').pop();
          try { result = JSON.parse(line); } catch { result = { error: `output is not JSON: ${out.slice(-2000)}` }; }
        } else if (c.dev) {
          const server = await c.dev(dir);
          try { ({ result, problems } = await inPage(browser, server.url, params)); } finally { await server.stop(); }
        } else {
          const server = await staticServer(path.join(dir, c.serveDir));
          try { ({ result, problems } = await inPage(browser, server.url, params)); } finally { await server.close(); }
        }
        row.runS = (performance.now() - t) / 1000;
        row.firstCallMs = result?.firstCallMs ?? null;
        const bad = [...verdict(result), ...problems];
        row.ok = bad.length === 0;
        row.detail = bad.join('; ');
      } catch (err) {
        row.detail = String(err.message ?? err);
      }
      console.log(`${row.ok ? 'ok  ' : 'FAIL'} ${name}${row.ok ? '' : `: ${row.detail}`}`);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(JOBS, names.length) }, worker));
  } finally {
    await browser.close();
    await sandbox.stop();
  }

  rows.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  const w = Math.max(...rows.map((r) => r.name.length), 4);
  console.log(`\n| ${'case'.padEnd(w)} | result | build s | run s | first call ms |`);
  console.log(`|${'-'.repeat(w + 2)}|--------|---------|-------|---------------|`);
  for (const r of rows) {
    console.log(`| ${r.name.padEnd(w)} | ${r.ok ? 'pass  ' : 'FAIL  '} | ${r.buildS.toFixed(1).padStart(7)} | ${r.runS.toFixed(1).padStart(5)} | ${String(r.firstCallMs ?? '-').padStart(13)} |`);
  }
  const failed = rows.filter((r) => !r.ok);
  for (const r of failed) console.log(`\n${r.name}: ${r.detail}`);
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s on ${os.cpus().length} cores`);
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
