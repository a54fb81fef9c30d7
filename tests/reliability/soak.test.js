'use strict';

// Concurrency soak: 10,000 mixed calls with 64 in flight against a child sandbox with faults
// injected, per engine present. Nothing lost or duplicated: what the SDK reported sent is in the
// sandbox's history; what is in the history but was not reported sent ended in doubt (transport
// error or timeout after the request may have been processed); a POST rejected with an API
// status is not in the history; no message twice. Memory figures (after a full GC) are reported
// in test-output/reliability/soak-<engine>.json and bounded generously.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, engines } = require('./support');

const OUT = path.join(ROOT, 'test-output', 'reliability');
fs.mkdirSync(OUT, { recursive: true });

function soak(engine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'runner.js'), 'soak'], {
      cwd: ROOT, env: { ...process.env, CONVERSATIONS_ENGINE: engine }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, stderr, result: line ? JSON.parse(line.slice(7)) : null });
    });
  });
}

for (const engine of engines()) {
  test(`soak: 10,000 calls, 64 in flight, faults injected (${engine} engine)`, async () => {
    const run = await soak(engine);
    assert.ok(run.result, `no result (exit ${run.code})\n${run.stderr.slice(-2000)}`);
    const r = run.result;
    fs.writeFileSync(path.join(OUT, `soak-${engine}.json`), JSON.stringify(r, null, 2));
    assert.equal(r.fatal, undefined, r.fatal);
    assert.deepEqual(r.unhandled, []);
    assert.equal(run.code, 0);
    assert.equal(r.calls, 10_000);
    assert.ok(r.faultsArmed > 0);
    assert.equal(r.lost, 0, `reported sent but not in the history: ${r.examples.lost}`);
    assert.equal(r.duplicated, 0, `in the history twice: ${r.examples.duplicated}`);
    assert.equal(r.unexplained, 0, `in the history without a success or an in-doubt failure: ${r.examples.unexplained}`);
    assert.equal(r.rejectedButStored, 0, 'a POST rejected with an API status was processed');
    assert.equal(r.history, r.reportedSent + r.inDoubtStored);
    // Stable memory: the JS heap stays flat; RSS may settle upwards (allocator arenas, socket
    // buffers) but not by much in the second half. Generous bounds, figures in the report.
    const { mid, end } = r.memoryMb;
    assert.ok(end.heapUsed < mid.heapUsed + 16, `heap ${mid.heapUsed} → ${end.heapUsed} MB`);
    assert.ok(end.rss < mid.rss + 64, `RSS ${mid.rss} → ${end.rss} MB`);
  });
}
