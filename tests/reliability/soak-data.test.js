'use strict';

// The sandbox's persistence under load (issue 12, "Done when"): 10,000 mixed calls with 64 in
// flight against a sandbox with --data holding 100,000 messages, killed with SIGKILL three
// times mid-run and restarted on the same file. Every acknowledged write is stored exactly
// once; a write that failed in transit (in doubt) is stored at most once; a rejected one never;
// the 100,000 earlier messages are intact; no stray files are left. The p99 latency of
// GET /users at 100k stored messages is measured (alone, and during the write load) and
// written to test-output/reliability/soak-data.json.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { ROOT, startSandbox, control } = require('./support');

const OUT = path.join(ROOT, 'test-output', 'reliability');
const AUTH = `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`;
const PAGE = '1573307926039629';
const USERS = 1000;
const PER_USER = 100;
const CALLS = 10_000;
const IN_FLIGHT = 64;
const KILL_AT = [2500, 5000, 7500];

/** A data file in the earlier JSON format with USERS × PER_USER messages (migrated at start). */
function writeWorld(file) {
  const users = [];
  let t = Date.parse('2020-01-01T00:00:00.000Z');
  for (let u = 0; u < USERS; u++) {
    const messages = [];
    for (let m = 0; m < PER_USER; m++) {
      t += 1000;
      messages.push({ direction: m % 2 ? 'SENT' : 'RECEIVED', text: `seed ${u}/${m}`, channel: 'FACEBOOK', timestamp: new Date(t).toISOString() });
    }
    users.push({ id: crypto.randomUUID(), given_name: `Seed${u}`, surname: 'User', page_id: PAGE, messages });
  }
  const state = {
    account: { name: 'Soak', callback_url: null, account_id: 'soak-account' },
    facebook_authenticated: true,
    integrated_pages: [PAGE],
    users,
  };
  fs.writeFileSync(file, JSON.stringify({ format: 'conversations-sandbox/state/v1', version: 1, state }));
  return users.map((u) => u.id);
}

/** One call on a keep-alive agent; resolves { status, body } or { error }. */
function call(agent, base, method, route, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { authorization: AUTH };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const req = http.request(`${base}${route}`, { method, agent, headers, timeout: 15_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error }));
    req.end(payload);
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencies(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return { n: sorted.length, p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), max: +sorted[sorted.length - 1].toFixed(2) };
}

test('sandbox --data soak: 10,000 calls, 64 in flight, 3 × kill -9, 100k messages: acknowledged = stored, no duplicates', { timeout: 300_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-soak-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'state.db');
  const ids = writeWorld(file);
  let startedAt = Date.now();
  let sandbox = await startSandbox(['--data', file]);
  const migrateMs = Date.now() - startedAt;
  t.after(() => sandbox.proc.kill('SIGKILL'));
  let agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

  const acked = new Set();     // 201: must be stored exactly once
  const inDoubt = new Set();   // no answer: stored at most once
  const rejected = new Set();  // 4xx/5xx answer: never stored
  const usersUnderLoad = [];
  const kills = [];
  let restarting = null;
  let next = 0;

  async function restart(at) {
    const killedAt = Date.now();
    sandbox.proc.kill('SIGKILL');
    await new Promise((r) => (sandbox.proc.exitCode !== null || sandbox.proc.signalCode ? r() : sandbox.proc.once('exit', r)));
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const stray = fs.readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.migrate-'));
    sandbox = await startSandbox(['--data', file]);
    kills.push({ atCall: at, restartMs: Date.now() - killedAt, strayBeforeRestart: stray });
  }

  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= CALLS) return;
      if (KILL_AT.includes(i)) {
        restarting = restart(i);
        await restarting;
        restarting = null;
      } else if (restarting) {
        await restarting;
      }
      const base = sandbox.url;
      const kind = i % 10;
      if (kind < 4) {
        const text = `soak-send-${i}`;
        const user = ids[i % ids.length];
        const r = await call(agent, base, 'POST', `/beta/conversations/users/${user}/messages`, { text, channel: 'facebook' });
        (r.error ? inDoubt : r.status === 201 ? acked : rejected).add(text);
      } else if (kind < 5) {
        const text = `soak-inbound-${i}`;
        const r = await call(agent, base, 'POST', '/sandbox/inbound', { page_id: PAGE, given_name: `Soak${i % 40}`, surname: 'Inbound', text });
        (r.error ? inDoubt : r.status === 201 ? acked : rejected).add(text);
      } else if (kind < 8) {
        const t0 = performance.now();
        const r = await call(agent, base, 'GET', '/beta/conversations/users');
        if (r.status === 200) usersUnderLoad.push(performance.now() - t0);
        else assert.ok(r.error, `GET /users answered ${r.status}`);
      } else {
        const r = await call(agent, base, 'GET', `/beta/conversations/users/${ids[(i * 7) % ids.length]}/messages`);
        if (!r.error) assert.equal(r.status, 200, r.body);
      }
    }
  }
  startedAt = Date.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const soakMs = Date.now() - startedAt;

  // Reads alone at 100k+ stored messages: sequential GET /users on a fresh connection pool.
  const alone = [];
  const quiet = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    const r = await call(quiet, sandbox.url, 'GET', '/beta/conversations/users');
    assert.equal(r.status, 200);
    if (i === 0) assert.ok(JSON.parse(r.body).data.length >= USERS);
    alone.push(performance.now() - t0);
  }
  quiet.destroy();
  agent.destroy();

  // Everything acknowledged is stored once; in doubt at most once; rejected never.
  const state = await control(sandbox.url, 'GET', '/sandbox/state');
  const counts = new Map();
  let seeded = 0;
  for (const u of state.state.users) {
    for (const m of u.messages) {
      if (m.text && m.text.startsWith('soak-')) counts.set(m.text, (counts.get(m.text) || 0) + 1);
      else if (m.text && m.text.startsWith('seed ')) seeded++;
    }
  }
  const lost = [...acked].filter((x) => counts.get(x) !== 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([x]) => x);
  const rejectedButStored = [...rejected].filter((x) => counts.has(x));
  const unexplained = [...counts.keys()].filter((x) => !acked.has(x) && !inDoubt.has(x));
  const inDoubtStored = [...inDoubt].filter((x) => counts.has(x)).length;

  // A clean stop leaves exactly the data file (WAL checkpointed, no temp files).
  await sandbox.stop();
  const files = fs.readdirSync(dir);

  const report = {
    calls: CALLS,
    inFlight: IN_FLIGHT,
    storedBefore: USERS * PER_USER,
    migrateMs,
    soakMs,
    kills,
    acknowledged: acked.size,
    inDoubt: inDoubt.size,
    inDoubtStored,
    rejected: rejected.size,
    lost: lost.length,
    duplicated: duplicated.length,
    rejectedButStored: rejectedButStored.length,
    unexplained: unexplained.length,
    seededIntact: seeded,
    getUsersMs: { alone: latencies(alone), underWriteLoad: latencies(usersUnderLoad) },
    filesAfterStop: files,
  };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'soak-data.json'), JSON.stringify(report, null, 2));
  console.log(`sandbox --data soak: ${acked.size} acknowledged writes stored once, ${inDoubtStored}/${inDoubt.size} in-doubt stored, ${rejected.size} rejected; `
    + `${kills.length} kill -9 restarts (${kills.map((k) => `${k.restartMs} ms`).join(', ')}); soak ${soakMs} ms; `
    + `GET /users at ${USERS * PER_USER + counts.size} messages: p50 ${report.getUsersMs.alone.p50} ms, p99 ${report.getUsersMs.alone.p99} ms alone, `
    + `p99 ${report.getUsersMs.underWriteLoad.p99} ms under the write load`);

  assert.equal(lost.length, 0, `acknowledged but not stored once: ${lost.slice(0, 5)}`);
  assert.equal(duplicated.length, 0, `stored twice: ${duplicated.slice(0, 5)}`);
  assert.equal(rejectedButStored.length, 0, `rejected but stored: ${rejectedButStored.slice(0, 5)}`);
  assert.equal(unexplained.length, 0, `stored without being sent: ${unexplained.slice(0, 5)}`);
  assert.equal(seeded, USERS * PER_USER, 'the 100k earlier messages are intact');
  assert.equal(kills.length, KILL_AT.length);
  assert.ok(acked.size > CALLS * 0.4, `most writes acknowledged (${acked.size})`);
  for (const k of kills) assert.deepEqual(k.strayBeforeRestart, [], 'no temp files after kill -9');
  assert.deepEqual(files, ['state.db']);
  // The figure to watch is p99 (printed above and in soak-data.json; issue 12 asks < 50 ms on
  // a quiet machine). Asserted only against a 10× bound: CI runs this on 2 shared cores beside
  // other suites, and a timing assertion must not flake; a regression to whole-state
  // serialisation per write (10 s at this size) still fails it.
  assert.ok(report.getUsersMs.alone.p99 < 500, `GET /users p99 ${report.getUsersMs.alone.p99} ms`);
});
