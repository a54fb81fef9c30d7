'use strict';

// One engine's reliability run, in its own process (CONVERSATIONS_ENGINE picks the engine), so
// an unhandled rejection or a crash is seen as exactly that. Modes:
//   matrix  every case of faults.json, GET and POST, modern client and compat callback-only
//   cancel  1,000 calls aborted mid-request: prompt `aborted` rejections, no connection left open
//   stall   200 stalled bodies under GC pressure: each times out (regression: wasm engine hang)
//   canary  a unique password through a full flow with a debug logger: it must appear nowhere
//   soak    10,000 mixed calls, 64 in flight, faults injected; history reconciled; RSS figures
// The last stdout line is `RESULT <json>`; the test file (matrix.test.js) asserts on it.

const util = require('node:util');
const support = require('./support');

const { BEN, TABLE, control, startSandbox, refusedUrl, rawServer, stallMidBodyServer, fillPlaceholders, expectation } = support;
const engine = process.env.CONVERSATIONS_ENGINE || 'native';
const sdk = require(support.SDK);

const unhandled = [];
process.on('unhandledRejection', (reason) => { unhandled.push(`unhandledRejection: ${reason && reason.stack || reason}`); });
process.on('uncaughtException', (err) => { unhandled.push(`uncaughtException: ${err && err.stack || err}`); });

const KEY = 'sandbox-key';
const SECRET = 'sandbox-secret';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function describe(err) {
  return { code: err?.code ?? null, status: err?.status ?? null, message: String(err?.message), cls: err?.constructor?.name };
}

async function waitFor(pred, ms, what) {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// ---------------------------------------------------------------------------------------------
// matrix

async function prepare(sandbox, testCase, op) {
  await control(sandbox.url, 'POST', '/sandbox/reset', { seed_demo: true });
  let base = sandbox.url;
  let scripted = null;
  if (testCase.scripted === 'refused') base = await refusedUrl();
  else if (testCase.scripted === 'stall_mid_body') {
    scripted = await stallMidBodyServer();
    base = scripted.url;
  } else if (testCase.scripted) throw new Error(`unknown scripted behaviour ${testCase.scripted}`);
  if (testCase.fault) {
    const spec = {
      match: { method: op === 'get' ? 'GET' : 'POST', path_prefix: '/beta/conversations/users' },
      action: fillPlaceholders(testCase.fault.action),
    };
    if (testCase.fault.count !== undefined) spec.count = testCase.fault.count;
    await control(sandbox.url, 'POST', '/sandbox/faults', spec);
  }
  return { base, scripted };
}

async function observe(sandbox, prepared, text) {
  const requests = prepared.scripted ? prepared.scripted.state.requests
    : (await control(sandbox.url, 'GET', '/sandbox/requests')).total;
  const state = await control(sandbox.url, 'GET', '/sandbox/state');
  if (prepared.scripted) await prepared.scripted.close();
  return { requests, stored: JSON.stringify(state).includes(text) };
}

let serial = 0;
async function runModern(sandbox, testCase, op) {
  const prepared = await prepare(sandbox, testCase, op);
  const options = { username: KEY, password: SECRET, baseUrl: prepared.base, ...TABLE.config, ...testCase.config };
  const client = new sdk.ConversationsClient(options);
  const text = `reliability-${testCase.name}-${op}-${engine}-${process.pid}-${++serial}`;
  const started = performance.now();
  let outcome;
  try {
    if (op === 'get') await client.listAppUsers();
    else await client.sendMessage(BEN, { text, channel: 'facebook' });
    outcome = { ok: true };
  } catch (err) {
    outcome = { ok: false, ...describe(err), isConversationsError: err instanceof sdk.ConversationsError };
  }
  const elapsedMs = Math.round(performance.now() - started);
  client.close();
  return { ...outcome, elapsedMs, transport: client.transport, ...(await observe(sandbox, prepared, text)) };
}

/** The original SDK's documented callback-only usage: the returned promise is ignored. */
async function runCompat(sandbox, testCase, op) {
  const prepared = await prepare(sandbox, testCase, op);
  sdk.Configuration.BASEURI = prepared.base;
  sdk.Configuration.basicAuthUserName = KEY;
  sdk.Configuration.basicAuthPassword = SECRET;
  const text = `compat-${testCase.name}-${op}-${engine}-${process.pid}-${++serial}`;
  const calls = [];
  await new Promise((resolve) => {
    const callback = (error, response, context) => {
      calls.push({ error: error && { ...describe(error), errorCode: error.errorCode }, response: response !== null && response !== undefined, status: context?.response?.statusCode ?? null });
      resolve();
    };
    if (op === 'get') sdk.AppUsersController.getAppUsers(callback);
    else sdk.AppUsersController.createSendMessage(BEN, new sdk.BaseMessageDto({ text, channel: 'facebook' }), callback);
    setTimeout(resolve, 15_000).unref();
  });
  await sleep(20); // a late second callback or rejection would show up here
  return { calls, ...(await observe(sandbox, prepared, text)) };
}

async function matrix() {
  const sandbox = await startSandbox(['--seed-demo']);
  const results = [];
  try {
    for (const testCase of TABLE.cases) {
      for (const op of ['get', 'post']) {
        const want = expectation(testCase, engine, op);
        if (want.skip) {
          results.push({ name: testCase.name, op, skipped: want.skip });
          continue;
        }
        // Progress on stderr: if a case hangs, the test's failure names it.
        process.stderr.write(`case ${testCase.name} ${op}\n`);
        const modern = await runModern(sandbox, testCase, op);
        process.stderr.write(`  modern: ${modern.ok ? 'ok' : modern.code} (${modern.requests} requests)\n`);
        // Compat has no per-call timeout or size option: only cases that fit its defaults.
        const compatOk = testCase.config === undefined && want.code !== 'timeout';
        const compat = compatOk ? await runCompat(sandbox, testCase, op) : null;
        if (compat) process.stderr.write(`  compat: ${compat.calls.length} callback(s)\n`);
        results.push({ name: testCase.name, op, modern, compat });
      }
    }
  } finally {
    await sandbox.stop();
  }
  return { results };
}

// ---------------------------------------------------------------------------------------------
// cancel

async function cancel() {
  const silent = await rawServer(() => {});
  const midBody = await stallMidBodyServer();
  const resourcesBefore = process.getActiveResourcesInfo().length;
  const latencies = [];
  const wrong = [];
  let total = 0;
  for (let batch = 0; batch < 20; batch++) {
    const server = batch % 2 === 0 ? silent : midBody;
    const client = new sdk.ConversationsClient({ username: KEY, password: SECRET, baseUrl: server.url, timeoutMs: 30_000 });
    const before = server.state.requests;
    const calls = [];
    for (let i = 0; i < 50; i++) {
      const controller = new AbortController();
      const p = i % 5 === 0
        ? client.sendMessage(BEN, { text: 'never', channel: 'facebook' }, { signal: controller.signal })
        : client.listAppUsers({ signal: controller.signal });
      calls.push({ controller, settled: p.then(() => ({ ok: true }), (err) => ({ err, at: performance.now() })) });
    }
    // Mid-request: every request has reached the server (and, for midBody, its headers are back).
    await waitFor(() => server.state.requests >= before + 50, 10_000, 'the requests to arrive');
    await sleep(20);
    const firedAt = performance.now();
    for (const c of calls) c.controller.abort();
    for (const c of calls) {
      const r = await c.settled;
      total++;
      if (r.ok || r.err?.code !== 'aborted' || !(r.err instanceof sdk.AbortError)) wrong.push(r.ok ? 'resolved' : describe(r.err));
      else latencies.push(r.at - firedAt);
    }
    client.close();
  }
  await waitFor(() => silent.state.open === 0 && midBody.state.open === 0, 5_000, 'connections to close').catch(() => {});
  const open = silent.state.open + midBody.state.open;
  const accepted = silent.state.accepted + midBody.state.accepted;
  await silent.close();
  await midBody.close();
  await sleep(50);
  const resourcesAfter = process.getActiveResourcesInfo().length;
  latencies.sort((a, b) => a - b);
  return {
    total, wrong, open, accepted, resourcesBefore, resourcesAfter,
    maxRejectMs: Math.round(latencies.at(-1) ?? -1), medianRejectMs: Math.round(latencies[latencies.length >> 1] ?? -1),
  };
}

// ---------------------------------------------------------------------------------------------
// stall: regression for a wasm-engine hang (a stalled body outliving its timeout when Node's
// fetch lost the link between our AbortController and its Request after a GC). 200 single-attempt
// calls against headers-then-silence, with full GCs while the bodies are pending.

async function stall() {
  const server = await stallMidBodyServer();
  const client = new sdk.ConversationsClient({ username: KEY, password: SECRET, baseUrl: server.url, timeoutMs: 150, maxRetries: 0 });
  const codes = {};
  for (let round = 0; round < 20; round++) {
    const guard = sleep(5_000).then(() => 'hung');
    const calls = Array.from({ length: 10 }, () => Promise.race([client.listAppUsers().then(() => 'ok', (err) => err.code), guard]));
    await sleep(20);
    if (global.gc) global.gc();
    for (const code of await Promise.all(calls)) codes[code] = (codes[code] ?? 0) + 1;
    if (codes.hung) break;
  }
  client.close();
  await server.close();
  return { codes };
}

// ---------------------------------------------------------------------------------------------
// canary

async function canary() {
  const secret = process.env.CANARY_SECRET;
  const sandbox = await startSandbox(['--seed-demo', '--secret', secret]);
  const shown = [];
  const show = (label, value) => {
    // Everything that could leak, in every form a program might print it.
    const forms = [util.inspect(value, { showHidden: true, depth: 8, getters: true }), util.format('%o', value)];
    try { forms.push(JSON.stringify(value)); } catch { /* circular */ }
    if (value instanceof Error) forms.push(String(value), String(value.stack));
    for (const f of forms) shown.push(`${label}: ${f}`);
    console.log(label, value);
  };
  const lines = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) {
    logger[level] = (...args) => {
      lines.push(util.format(...args));
      lines.push(JSON.stringify(args));
      console.log(`[${level}]`, ...args);
    };
  }
  const options = { username: KEY, password: secret, baseUrl: sandbox.url, logger, timeoutMs: 300, deadlineMs: 3000 };
  const client = new sdk.ConversationsClient(options);
  show('client', client);
  const errors = [];
  const expectError = async (p) => { try { await p; errors.push(new Error('expected a failure')); } catch (err) { errors.push(err); } };
  const url = sandbox.url;
  // The full flow, successes first.
  await client.listAppUsers();
  await client.getAppUser(BEN);
  await client.listMessages(BEN);
  await client.sendMessage(BEN, { text: 'canary', channel: 'facebook' });
  await client.listFacebookPages();
  await client.getFacebookAuthorisationUrl();
  await client.integrateFacebookPage('1573307926039629');
  await expectError(client.provisionAccount({ name: 'again' })); // 409
  await expectError(client.getAppUser('nobody')); // 404
  await expectError(new sdk.ConversationsClient({ ...options, password: `${secret}x` }).listAppUsers()); // 401
  await control(url, 'POST', '/sandbox/faults', { count: 3, action: { kind: 'delay', ms: 60_000 } });
  await expectError(client.listAppUsers()); // timeout
  await control(url, 'POST', '/sandbox/faults', { count: 1, action: { kind: 'malformed' } });
  await expectError(client.listAppUsers()); // decode
  await control(url, 'POST', '/sandbox/faults', { count: 1, action: { kind: 'reset' } });
  await expectError(client.sendMessage(BEN, { text: 'x', channel: 'facebook' })); // transport
  await expectError(client.listAppUsers({ signal: AbortSignal.abort() })); // aborted
  await expectError(client.sendMessage('', { text: 'x', channel: 'facebook' })); // invalid_input
  await expectError(new sdk.ConversationsClient({ ...options, baseUrl: await refusedUrl() }).listAppUsers()); // refused
  try { new sdk.ConversationsClient({ ...options, baseUrl: 'ftp://nope' }); } catch (err) { errors.push(err); }
  try { new sdk.ConversationsClient({ ...options, bogus: 1 }); } catch (err) { errors.push(err); }

  // The original surface, configured globally, with its Logger at every level.
  for (const level of ['debug', 'info', 'warn', 'error']) sdk.Logger[level] = logger[level];
  sdk.Configuration.BASEURI = url;
  sdk.Configuration.basicAuthUserName = KEY;
  sdk.Configuration.basicAuthPassword = secret;
  show('Configuration', sdk.Configuration);
  const contexts = [];
  await new Promise((resolve) => sdk.AppUsersController.getAppUsers((e, r, ctx) => { contexts.push(ctx, r); resolve(); }));
  await new Promise((resolve) => sdk.AppUsersController.getAppUserById('nobody', (e, r, ctx) => { errors.push(e); contexts.push(ctx); resolve(); }));
  await new Promise((resolve) => sdk.AppUsersController.createSendMessage(BEN, { text: 'c', channel: 'facebook' }, (e, r, ctx) => { contexts.push(ctx, r); resolve(); }));
  contexts.forEach((c, i) => show(`context ${i}`, c));
  errors.forEach((e, i) => { show(`error ${i} (${e.code})`, e); if (e.cause) show(`error ${i} cause`, e.cause); });
  show('client after', client);
  show('toJSON', client.toJSON());
  client.close();
  await sandbox.stop();
  const basic = Buffer.from(`${KEY}:${secret}`).toString('base64');
  const leaks = [...shown, ...lines].filter((t) => t.includes(secret) || t.includes(basic));
  return { checked: shown.length + lines.length, logLines: lines.length / 2, errorCodes: errors.map((e) => e.code), leaks };
}

// ---------------------------------------------------------------------------------------------
// soak

/** RSS and live heap in MB, after a full GC when --expose-gc is on (the test runs with it). */
function memory() {
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  const mb = (n) => Math.round(n / 1024 / 1024 * 10) / 10;
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), external: mb(m.external) };
}

async function soak() {
  const CALLS = Number(process.env.SOAK_CALLS || 10_000);
  const IN_FLIGHT = 64;
  const sandbox = await startSandbox(['--seed-demo']);
  const url = sandbox.url;
  // More users, so no conversation grows past a few hundred messages.
  const users = [BEN];
  for (let i = 0; i < 14; i++) {
    const r = await control(url, 'POST', '/sandbox/inbound', { page_id: '1573307926039629', given_name: `Soak${i}`, surname: 'User', text: 'hi' });
    users.push(r.app_user_id);
  }
  await control(url, 'DELETE', '/sandbox/requests');
  const client = new sdk.ConversationsClient({ username: KEY, password: SECRET, baseUrl: url, timeoutMs: 5_000, deadlineMs: 20_000 });
  // Faults, re-armed every 500 calls (each with a few uses): GETs see 503s, resets before and
  // after handling; POSTs see 503 (provably not processed), resets before handling (not
  // processed) and resets after handling (processed, answer lost).
  const FAULTS = [
    { match: { method: 'GET' }, count: 8, action: { kind: 'status', status: 503, body: '<html>busy</html>', headers: { 'content-type': 'text/html' } } },
    { match: { method: 'GET' }, count: 4, action: { kind: 'reset' } },
    { match: { method: 'GET' }, count: 2, action: { kind: 'reset_mid_body' } },
    { match: { method: 'POST' }, count: 4, action: { kind: 'status', status: 503 } },
    { match: { method: 'POST' }, count: 2, action: { kind: 'reset' } },
    { match: { method: 'POST' }, count: 2, action: { kind: 'reset', after_handling: true } },
  ];
  let faultsArmed = 0;
  const sent = new Map(); // text → 'ok' | 'api' | 'transport' | 'timeout' | other code
  const outcomes = {};
  const mem = { start: null, mid: null, end: null, maxRss: 0 };
  let next = 0;
  let done = 0;
  const oneCall = async (n) => {
    if (n % 500 === 0) {
      for (const f of FAULTS) await control(url, 'POST', '/sandbox/faults', f);
      faultsArmed += FAULTS.reduce((s, f) => s + f.count, 0);
    }
    const user = users[n % users.length];
    const kind = n % 10 < 5 ? 'send' : n % 10 < 8 ? 'users' : n % 10 < 9 ? 'user' : 'messages';
    const text = `soak-${n}`;
    let code = 'ok';
    try {
      if (kind === 'send') await client.sendMessage(user, { text, channel: 'facebook' });
      else if (kind === 'users') await client.listAppUsers();
      else if (kind === 'user') await client.getAppUser(user);
      else await client.listMessages(user);
    } catch (err) {
      code = err.code ?? 'unknown';
    }
    if (kind === 'send') sent.set(text, code);
    const key = `${kind} ${code}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    done++;
    // "start" after a warm-up of 500 calls: connections, JIT and the engine are in place.
    if (done === 500) mem.start = memory();
    if (done === CALLS / 2) mem.mid = memory();
    if (done % 500 === 0) mem.maxRss = Math.max(mem.maxRss, process.memoryUsage().rss / 1024 / 1024);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < CALLS) await oneCall(next++);
  }));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  mem.end = memory();
  mem.maxRss = Math.round(mem.maxRss * 10) / 10;
  client.close();
  const state = await control(url, 'GET', '/sandbox/state');
  const counters = await control(url, 'GET', '/sandbox/requests');
  await sandbox.stop();

  const history = [];
  for (const u of state.state.users) {
    for (const m of u.messages) if (m.direction === 'SENT' && m.text.startsWith('soak-')) history.push(m.text);
  }
  const inHistory = new Map();
  for (const t of history) inHistory.set(t, (inHistory.get(t) ?? 0) + 1);
  const duplicated = [...inHistory].filter(([, n]) => n > 1).map(([t]) => t);
  const reportedSent = [...sent].filter(([, c]) => c === 'ok').map(([t]) => t);
  const lost = reportedSent.filter((t) => !inHistory.has(t));
  // In the history but not reported sent: allowed only for calls that ended in doubt.
  const unexplained = [...inHistory.keys()].filter((t) => sent.get(t) !== 'ok' && sent.get(t) !== 'transport' && sent.get(t) !== 'timeout');
  const inDoubtStored = [...inHistory.keys()].filter((t) => sent.get(t) === 'transport' || sent.get(t) === 'timeout').length;
  const rejectedButStored = [...inHistory.keys()].filter((t) => sent.get(t) === 'api');
  return {
    calls: done, inFlight: IN_FLIGHT, seconds, faultsArmed, outcomes, serverRequests: counters.total,
    posts: sent.size, reportedSent: reportedSent.length, history: history.length, inDoubtStored,
    lost: lost.length, duplicated: duplicated.length, unexplained: unexplained.length, rejectedButStored: rejectedButStored.length,
    examples: { lost: lost.slice(0, 5), duplicated: duplicated.slice(0, 5), unexplained: unexplained.slice(0, 5) },
    memoryMb: mem,
  };
}

// ---------------------------------------------------------------------------------------------

const MODES = { matrix, cancel, stall, canary, soak };
const mode = process.argv[2];
MODES[mode]().then(
  async (result) => {
    await sleep(50); // let any stray rejection surface before reporting
    process.stdout.write(`\nRESULT ${JSON.stringify({ engine, mode, unhandled, ...result })}\n`);
  },
  (err) => {
    process.stdout.write(`\nRESULT ${JSON.stringify({ engine, mode, unhandled, fatal: String(err && err.stack || err) })}\n`);
    process.exitCode = 1;
  },
);
