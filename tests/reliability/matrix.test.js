'use strict';

// The fault matrix, cancellation and the credential canary, once per engine present (native
// always, wasm whenever npm/wasm/ is built), each engine in its own child process (runner.js) so
// a crash or an unhandled rejection is observed, not hidden. Figures go to
// test-output/reliability/ for the report.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, TABLE, engines, expectedTransport, expectation } = require('./support');

const OUT = path.join(ROOT, 'test-output', 'reliability');
fs.mkdirSync(OUT, { recursive: true });

/** Runs runner.js in `mode` for `engine`; resolves { code, stdout, stderr, result }. */
function runChild(engine, mode, { env = {}, cwd = ROOT, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'runner.js'), mode], {
      cwd, env: { ...process.env, CONVERSATIONS_ENGINE: engine, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, signal, stdout, stderr, result: line ? JSON.parse(line.slice(7)) : null });
    });
  });
}

function assertAlive(run, what) {
  assert.ok(run.result, `${what}: no result (exit ${run.code} ${run.signal ?? ''})\n${run.stderr.slice(-2000)}`);
  assert.equal(run.result.fatal, undefined, `${what}: ${run.result.fatal}`);
  assert.deepEqual(run.result.unhandled, [], `${what}: unhandled rejections or exceptions`);
  assert.equal(run.code, 0, `${what}: exit code ${run.code}\n${run.stderr.slice(-2000)}`);
}

/** Problems of one modern-client run against its expectation. */
function checkModern(want, got) {
  const problems = [];
  if (want.ok) {
    if (!got.ok) problems.push(`expected success, got ${got.code} ${got.status}: ${got.message}`);
  } else if (got.ok) {
    problems.push(`succeeded, expected ${want.code}`);
  } else {
    if (got.code !== want.code) problems.push(`code ${got.code}, expected ${want.code} (${got.message})`);
    if ('status' in want && got.status !== want.status) problems.push(`status ${got.status}, expected ${want.status}`);
    if (!got.isConversationsError) problems.push(`not a ConversationsError: ${got.cls}`);
    if (want.message && !got.message.includes(want.message)) problems.push(`message lacks "${want.message}": ${got.message}`);
    if (want.not_message && got.message.includes(want.not_message)) problems.push(`message contains "${want.not_message}": ${got.message}`);
  }
  if (got.requests !== want.requests) problems.push(`server saw ${got.requests} requests, expected ${want.requests}`);
  if ('stored' in want && got.stored !== want.stored) problems.push(`stored=${got.stored}, expected ${want.stored}`);
  if (want.min_ms && got.elapsedMs < want.min_ms) problems.push(`took ${got.elapsedMs} ms: Retry-After not honoured`);
  if (got.elapsedMs > TABLE.within_ms) problems.push(`took ${got.elapsedMs} ms, over ${TABLE.within_ms}`);
  return problems;
}

/** Problems of the compat callback-only run: exactly one callback, the same outcome. */
function checkCompat(want, got) {
  const problems = [];
  if (got.calls.length !== 1) return [`callback called ${got.calls.length} times`];
  const [call] = got.calls;
  if (want.ok) {
    if (call.error) problems.push(`callback got error ${call.error.code}`);
  } else if (!call.error) {
    problems.push('callback got no error');
  } else {
    if (call.error.code !== want.code) problems.push(`callback error code ${call.error.code}, expected ${want.code}`);
    if ((want.status ?? null) !== call.error.errorCode) problems.push(`errorCode ${call.error.errorCode}, expected ${want.status ?? null}`);
  }
  if (got.requests !== want.requests) problems.push(`compat: server saw ${got.requests} requests, expected ${want.requests}`);
  return problems;
}

const outcomeText = (m) => (m.ok ? 'ok' : `${m.code}${m.status === null ? '' : ` ${m.status}`}`);

for (const engine of engines()) {
  test(`fault matrix: ${engine} engine`, async (t) => {
    const run = await runChild(engine, 'matrix');
    assertAlive(run, `${engine} matrix`);
    const rows = [];
    const byCase = new Map(run.result.results.map((r) => [`${r.name} ${r.op}`, r]));
    for (const testCase of TABLE.cases) {
      for (const op of ['get', 'post']) {
        const want = expectation(testCase, engine, op);
        const got = byCase.get(`${testCase.name} ${op}`);
        await t.test(`${testCase.name} ${op.toUpperCase()}`, () => {
          assert.ok(got, 'not run');
          if (want.skip) {
            rows.push(`| ${testCase.name} | ${op.toUpperCase()} | skipped: ${want.skip} | | |`);
            return;
          }
          rows.push(`| ${testCase.name} | ${op.toUpperCase()} | ${outcomeText(got.modern)} | ${got.modern.requests} | ${got.modern.elapsedMs} ms${got.compat ? ' · compat ok' : ''} |`);
          const problems = checkModern(want, got.modern);
          if (got.modern.transport !== expectedTransport(engine)) problems.push(`ran on ${got.modern.transport}, expected ${expectedTransport(engine)}`);
          // A case may expect otherwise of the drop-in surface (its `compat` entry says why).
          if (got.compat) problems.push(...checkCompat(testCase.compat?.[op] ?? want, got.compat));
          assert.deepEqual(problems, []);
        });
      }
    }
    fs.writeFileSync(path.join(OUT, `matrix-${engine}-${expectedTransport(engine)}.md`),
      `| case | op | outcome | server requests | time |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
  });

  test(`cancellation: 1,000 aborted calls, ${engine} engine`, async () => {
    const run = await runChild(engine, 'cancel');
    assertAlive(run, `${engine} cancel`);
    const r = run.result;
    fs.writeFileSync(path.join(OUT, `cancel-${engine}.json`), JSON.stringify(r, null, 2));
    assert.equal(r.total, 1000);
    assert.deepEqual(r.wrong.slice(0, 5), [], 'every aborted call rejects with an AbortError (code aborted)');
    // "Promptly": generous, this is a loaded 2-core machine; a leak or a hang is seconds.
    assert.ok(r.maxRejectMs < 1000, `slowest rejection after abort: ${r.maxRejectMs} ms`);
    assert.equal(r.open, 0, `connections still open after 1,000 aborts (accepted ${r.accepted})`);
    assert.ok(r.resourcesAfter <= r.resourcesBefore + 2, `active handles ${r.resourcesBefore} → ${r.resourcesAfter}`);
  });

  test(`stalled bodies time out under GC pressure (200 calls), ${engine} engine`, async () => {
    const run = await runChild(engine, 'stall');
    assertAlive(run, `${engine} stall`);
    assert.deepEqual(run.result.codes, { timeout: 200 });
  });

  test(`credential canary: ${engine} engine`, async () => {
    const secret = `canary-${crypto.randomBytes(12).toString('hex')}`;
    const basic = Buffer.from(`sandbox-key:${secret}`).toString('base64');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conversations-canary-'));
    const home = path.join(dir, 'home');
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(home);
    fs.mkdirSync(tmp);
    try {
      const run = await runChild(engine, 'canary', {
        cwd: dir,
        env: { CANARY_SECRET: secret, HOME: home, TMPDIR: tmp, NODE_DEBUG: 'http,net' },
      });
      assertAlive(run, `${engine} canary`);
      const r = run.result;
      assert.deepEqual(r.leaks, [], 'secret in a log line, error, inspect or JSON form');
      assert.ok(r.checked > 100 && r.logLines > 10, `too little was checked (${r.checked} forms, ${r.logLines} log lines)`);
      for (const code of ['api', 'timeout', 'decode', 'transport', 'aborted', 'invalid_input']) {
        assert.ok(r.errorCodes.includes(code), `the flow produced no ${code} error`);
      }
      // Everything the process printed (console.log of client, Configuration, errors, logger lines).
      for (const [name, text] of [['stdout', run.stdout], ['stderr', run.stderr]]) {
        assert.ok(!text.includes(secret) && !text.includes(basic), `secret on ${name}`);
      }
      // Any file written during the run (cwd, HOME, TMPDIR all point into `dir`).
      const files = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else files.push(p);
        }
      };
      walk(dir);
      for (const f of files) {
        const text = fs.readFileSync(f, 'latin1');
        assert.ok(!text.includes(secret) && !text.includes(basic), `secret in ${path.relative(dir, f)}`);
      }
      fs.writeFileSync(path.join(OUT, `canary-${engine}.json`), JSON.stringify({ ...r, filesWritten: files.length }, null, 2));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
