'use strict';

// Issue 12 (SDK items 2, 3, 5, 6, 7): close() and compat account eviction with calls in flight,
// one AbortSignal shared by many calls, lone surrogates, the one URL rule at construction, a
// corrupt gzip body. Each engine present runs lifecycle-child.js in its own process, which must
// then exit by itself (nothing left holding the event loop).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT, engines } = require('./support');

function run(engine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'lifecycle-child.js')], {
      cwd: ROOT, env: { ...process.env, CONVERSATIONS_ENGINE: engine }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    // Generous: the checks take ~2 s; a child that does not exit has leaked a handle.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, signal, stderr, result: line ? JSON.parse(line.slice(7)) : null });
    });
  });
}

for (const engine of engines()) {
  test(`lifecycle and input checks: ${engine} engine`, async (t) => {
    const out = await run(engine);
    assert.ok(out.result, `no result (exit ${out.code} ${out.signal ?? ''})\n${out.stderr.slice(-3000)}`);
    for (const [name, problems] of Object.entries(out.result.checks)) {
      await t.test(name, () => assert.deepEqual(problems, []));
    }
    assert.deepEqual(out.result.unhandled, [], 'unhandled rejections');
    assert.deepEqual(out.result.warnings, [], 'process warnings');
    assert.equal(out.signal, null, 'the process did not exit by itself: a socket or timer leaked');
    assert.equal(out.code, 0, out.stderr.slice(-3000));
    assert.doesNotMatch(out.stderr, /Warning/, 'nothing printed to stderr');
  });
}
