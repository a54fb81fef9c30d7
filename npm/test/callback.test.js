'use strict';

// Inbound callbacks end to end: the real sandbox delivers events to receivers built with
// createCallbackHandler on node:http, Express (with and without express.json()) and Fastify, and
// to handleCallbackRequest; the answers (200 only after onEvent, 400, 401, 405, 413, 500 so the
// sandbox retries), de-duplication, and client.watchInbound.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const express = require('express');
const fastify = require('fastify');
const {
  parseCallback, createCallbackHandler, handleCallbackRequest, CallbackError, CallbackDeduper,
} = require('..');
const { startSandbox } = require('../testing');

/** A sandbox whose account calls back to `callbackUrl`, with a page integrated. */
async function sandboxCallingBack(callbackUrl) {
  const sandbox = await startSandbox();
  const client = sandbox.client();
  await client.provisionAccount({ name: 'Callback test', callbackUrl });
  await fetch((await client.getFacebookAuthorisationUrl()).authorisationUrl);
  const pages = await client.listFacebookPages();
  await client.integrateFacebookPage(pages.data[0].id);
  return { sandbox, client };
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** Polls the sandbox until its latest delivery is done. */
async function settled(sandbox, count = 1) {
  for (let i = 0; i < 200; i++) {
    const all = await sandbox.deliveries();
    if (all.length >= count && all.every((d) => d.done)) return all;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('deliveries did not settle');
}

function checkEvent(event, sent) {
  assert.equal(event.type, 'message.received');
  assert.equal(event.message.text, sent.message.text);
  assert.equal(event.message.direction, 'RECEIVED');
  assert.equal(event.appUser.id, sent.appUserId);
  assert.equal(event.appUser.givenName, 'Ada');
  assert.equal(typeof event.dedupKey, 'string');
  assert.equal(event.raw.app_user.given_name, 'Ada', 'raw keeps the body as sent');
}

test('parseCallback: typed event, refusals are CallbackErrors with a status', () => {
  const event = parseCallback('{"type":"message.received","app_user":{"id":"u1","given_name":"Ben"},"message":{"text":"Hi","media":"m"}}');
  assert.equal(event.appUser.givenName, 'Ben');
  assert.equal(event.message.media, 'm', 'unknown fields kept');
  assert.deepEqual(parseCallback({ type: 'x.y', extra_field: 1 }).extraField, 1, 'an already parsed object works too');
  assert.throws(() => parseCallback('<html>'), (e) => e instanceof CallbackError && e.code === 'not_json' && e.status === 400);
  assert.throws(() => parseCallback('{"text":"no type"}'), (e) => e.code === 'not_an_event' && /type/.test(e.message));
  assert.throws(() => parseCallback('{"type":"x"}', { date: 'Sun, 06 Nov 1994 08:49:37 GMT' }, { maxAgeMs: 60_000 }),
    (e) => e.code === 'stale' && e.status === 401);
  assert.throws(() => parseCallback('{}', {}, { maxAgeMs: -1 }), TypeError);
});

test('node:http receiver gets a typed event for a simulated inbound message; 200 only after onEvent resolved', { timeout: 30_000 }, async (t) => {
  const events = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  const server = http.createServer(createCallbackHandler(async (event) => {
    await gate; // the sandbox's delivery must still be pending here
    events.push(event);
  }));
  const base = await listen(server);
  const { sandbox } = await sandboxCallingBack(`${base}/hooks/conversations`);
  t.after(() => { server.close(); return sandbox.close(); });

  const sent = await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'Is shipping free?' });
  await new Promise((r) => setTimeout(r, 200));
  const pending = await sandbox.deliveries();
  assert.equal(pending[0].delivered, false, 'answered before onEvent resolved');
  release();
  const [delivery] = await settled(sandbox);
  assert.equal(delivery.delivered, true);
  assert.equal(delivery.status, 200);
  assert.equal(events.length, 1);
  checkEvent(events[0], sent);
});

test('onEvent throwing answers 500, the sandbox redelivers, and the retry succeeds; the process survives', { timeout: 30_000 }, async (t) => {
  let calls = 0;
  const errors = [];
  const server = http.createServer(createCallbackHandler((event) => {
    calls++;
    if (calls === 1) throw new Error('database down');
    return event;
  }, { onError: (err) => errors.push(err.message) }));
  const base = await listen(server);
  const { sandbox } = await sandboxCallingBack(`${base}/cb`);
  t.after(() => { server.close(); return sandbox.close(); });
  await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'retry me' });
  const [delivery] = await settled(sandbox);
  assert.equal(delivery.delivered, true);
  assert.equal(delivery.attempts, 2);
  assert.equal(calls, 2);
  assert.deepEqual(errors, ['database down']);
});

test('dedupe: a redelivered event is acknowledged without calling onEvent again', async (t) => {
  const seen = [];
  const server = http.createServer(createCallbackHandler((e) => { seen.push(e.message.text); }, { dedupe: true }));
  const base = await listen(server);
  t.after(() => server.close());
  const body = JSON.stringify({ type: 'message.received', app_user: { id: 'u1' }, message: { text: 'once', timestamp: '2026-01-01T00:00:00.000Z' } });
  const post = (b) => fetch(base, { method: 'POST', body: b, headers: { 'content-type': 'application/json' } });
  const answers = await Promise.all([post(body), post(body), post(body)]);
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200]);
  const again = await (await post(body)).json();
  assert.deepEqual(again, { received: true, duplicate: true });
  assert.deepEqual(seen, ['once'], 'concurrent and later redeliveries are not handled twice');
  const other = body.replace('once', 'twice');
  assert.equal((await post(other)).status, 200);
  assert.deepEqual(seen, ['once', 'twice']);
  // Without dedupe every delivery reaches onEvent.
  const plain = [];
  const s2 = http.createServer(createCallbackHandler((e) => { plain.push(e); }));
  const b2 = await listen(s2);
  t.after(() => s2.close());
  await fetch(b2, { method: 'POST', body }); await fetch(b2, { method: 'POST', body });
  assert.equal(plain.length, 2);
  // A bounded memory: the oldest key goes first.
  const d = new CallbackDeduper({ max: 2 });
  d.add('a'); d.add('b'); d.add('c');
  assert.deepEqual([d.has('a'), d.has('b'), d.has('c')], [false, true, true]);
});

test('answers: 400 not an event, 405 not POST, 413 too large, 401 refused by verify or stale; never crashes', async (t) => {
  const calls = [];
  const verified = [];
  const handler = createCallbackHandler((e) => { calls.push(e); }, {
    maxBodyBytes: 1000,
    verify: (req) => { verified.push(req); return req.signature === 'good'; },
    onError: () => {},
  });
  const server = http.createServer(handler);
  const base = await listen(server);
  t.after(() => server.close());
  const ev = '{"type":"x.y"}';
  const post = (body, headers = {}) => fetch(`${base}/cb?q=1`, { method: 'POST', body, headers: { 'x-messagemedia-signature': 'good', ...headers } });

  let r = await post('not json');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'not_json');
  r = await post('{"type": 5}');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'not_an_event');
  r = await fetch(base);
  assert.equal(r.status, 405);
  r = await post('x'.repeat(5000));
  assert.equal(r.status, 413);
  r = await post(ev, { 'x-messagemedia-signature': 'forged' });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.code, 'unverified');
  r = await post(ev, { date: new Date().toUTCString() });
  assert.equal(r.status, 200);
  const last = verified.at(-1);
  assert.equal(last.method, 'POST');
  assert.equal(last.url, '/cb?q=1');
  assert.equal(last.signature, 'good');
  assert.equal(new TextDecoder().decode(last.body), ev, 'the verifier gets the raw body');
  assert.equal(calls.length, 1);

  const fresh = http.createServer(createCallbackHandler(() => {}, { maxAgeMs: 60_000 }));
  const fb = await listen(fresh);
  t.after(() => fresh.close());
  assert.equal((await fetch(fb, { method: 'POST', body: ev, headers: { date: new Date().toUTCString() } })).status, 200);
  assert.equal((await fetch(fb, { method: 'POST', body: ev, headers: { date: new Date(Date.now() - 3_600_000).toUTCString() } })).status, 401);
  assert.equal((await fetch(fb, { method: 'POST', body: ev })).status, 401);

  // A client that drops mid-body, and a verifier that throws: the server keeps answering.
  await new Promise((resolve) => {
    const req = http.request(`${base}/cb`, { method: 'POST', headers: { 'content-length': '100' } });
    req.on('error', () => resolve());
    req.write('{"type":');
    setTimeout(() => { req.destroy(); resolve(); }, 50);
  });
  const throwing = http.createServer(createCallbackHandler(() => {}, { verify: () => { throw new Error('key server down'); }, onError: () => {} }));
  const tb = await listen(throwing);
  t.after(() => throwing.close());
  assert.equal((await fetch(tb, { method: 'POST', body: ev })).status, 500);
  assert.equal((await post(ev)).status, 200);
  assert.throws(() => createCallbackHandler('nope'), TypeError);
  assert.throws(() => createCallbackHandler(() => {}, { dedupe: 'yes' }), TypeError);
});

test('Express: with express.json(), with express.raw() and with no body parser', { timeout: 30_000 }, async (t) => {
  const got = [];
  const app = express();
  app.post('/json', express.json(), createCallbackHandler((e) => { got.push(['json', e]); }));
  app.post('/raw', express.raw({ type: '*/*' }), createCallbackHandler((e) => { got.push(['raw', e]); }));
  app.post('/plain', createCallbackHandler((e) => { got.push(['plain', e]); }));
  const server = http.createServer(app);
  const base = await listen(server);
  t.after(() => server.close());
  for (const route of ['json', 'raw', 'plain']) {
    const { sandbox } = await sandboxCallingBack(`${base}/${route}`);
    const sent = await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: `via ${route}` });
    const [delivery] = await settled(sandbox);
    await sandbox.close();
    assert.equal(delivery.delivered, true, `${route}: ${delivery.lastError}`);
    const [where, event] = got.at(-1);
    assert.equal(where, route);
    checkEvent(event, sent);
  }
  const bad = await fetch(`${base}/json`, { method: 'POST', body: '{"no":"type"}', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
});

test('Fastify: as a route handler (its own JSON parser ran)', { timeout: 30_000 }, async (t) => {
  const got = [];
  const app = fastify();
  app.post('/cb', createCallbackHandler((e) => { got.push(e); }));
  app.post('/fail', createCallbackHandler(() => { throw new Error('nope'); }, { onError: () => {} }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  const { sandbox } = await sandboxCallingBack(`${base}/cb`);
  t.after(() => sandbox.close());
  const sent = await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'via fastify' });
  const [delivery] = await settled(sandbox);
  assert.equal(delivery.delivered, true, delivery.lastError);
  assert.equal(got.length, 1);
  checkEvent(got[0], sent);
  const notEvent = await fetch(`${base}/cb`, { method: 'POST', body: '{"type":[]}', headers: { 'content-type': 'application/json' } });
  assert.equal(notEvent.status, 400);
  const failing = await fetch(`${base}/fail`, { method: 'POST', body: '{"type":"x"}', headers: { 'content-type': 'application/json' } });
  assert.equal(failing.status, 500);
});

test('handleCallbackRequest answers a fetch Request with a Response', async () => {
  const got = [];
  const onEvent = (e) => { got.push(e); };
  const body = JSON.stringify({ type: 'message.received', app_user: { id: 'u9', given_name: 'Ada' }, message: { text: 'fetch-style' } });
  const req = () => new Request('https://example.test/api/conversations', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  let res = await handleCallbackRequest(req(), onEvent, { dedupe: true });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { received: true, duplicate: false });
  res = await handleCallbackRequest(req(), onEvent, { dedupe: true });
  assert.deepEqual(await res.json(), { received: true, duplicate: true }, 'dedupe: true remembers per onEvent');
  assert.equal(got.length, 1);
  assert.equal(got[0].appUser.givenName, 'Ada');
  res = await handleCallbackRequest(new Request('https://x.test/', { method: 'POST', body: 'nope' }), onEvent);
  assert.equal(res.status, 400);
  res = await handleCallbackRequest(new Request('https://x.test/', { method: 'POST', body }), () => Promise.reject(new Error('x')), { onError: () => {} });
  assert.equal(res.status, 500);
  res = await handleCallbackRequest(new Request('https://x.test/'), onEvent);
  assert.equal(res.status, 405);
  res = await handleCallbackRequest(req(), 'not a function');
  assert.equal(res.status, 500, 'a misconfiguration never rejects');
});

test('watchInbound yields new inbound messages once, across polls, and stops on abort', { timeout: 30_000 }, async (t) => {
  const sandbox = await startSandbox({ seedDemo: true });
  t.after(() => sandbox.close());
  const client = sandbox.client();
  const stop = new AbortController();
  const watch = client.watchInbound({ intervalMs: 50, signal: stop.signal });
  const first = watch.next();
  const sent = await sandbox.simulateInbound({ appUserId: '3898c5e4-73cc-44f9-812f-3698a4c3bb1d', text: 'Where is my order?' });
  const { value } = await first;
  assert.equal(value.message.text, 'Where is my order?');
  assert.equal(value.message.timestamp, sent.message.timestamp);
  assert.equal(value.appUser.givenName, 'Ben');
  // Two more, one from a new user: each yielded once, oldest first; the demo history is not.
  await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'Hello' });
  await sandbox.simulateInbound({ appUserId: '3898c5e4-73cc-44f9-812f-3698a4c3bb1d', text: 'Where is my order?' });
  const next = [(await watch.next()).value, (await watch.next()).value];
  assert.deepEqual(next.map((m) => m.message.text), ['Hello', 'Where is my order?']);
  const more = watch.next();
  await new Promise((r) => setTimeout(r, 300)); // several polls with nothing new
  stop.abort();
  assert.deepEqual(await more, { value: undefined, done: true });

  // since: the demo history from the start.
  const all = [];
  const stop2 = new AbortController();
  for await (const m of client.watchInbound({ since: 0, intervalMs: 10, signal: stop2.signal })) {
    all.push(m.message.text);
    if (all.length === 5) stop2.abort();
  }
  assert.equal(all.length, 5);
  assert.throws(() => client.watchInbound({ intervalMs: -1 }), TypeError);
  // An auth error ends the iteration with the typed error.
  const wrong = sandbox.client({ password: 'wrong' }).watchInbound({ intervalMs: 10 });
  await assert.rejects(wrong.next(), (e) => e.status === 401);
});

test('the inbound .d.ts (callbacks, watchInbound, /testing) compile under --strict from CJS and ESM', { timeout: 60_000 }, (t) => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { spawnSync } = require('node:child_process');
  const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
  assert.ok(fs.existsSync(tsc), 'typescript is a devDependency: run make node-deps');
  // A project that installs the package by name, so its `exports` (and ./testing) are what resolve.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-inbound-types-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(path.join(__dirname, '..'), path.join(dir, 'node_modules', 'messagemedia-conversations-sdk'), 'dir');
  fs.symlinkSync(path.join(__dirname, '..', 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"types-check","private":true}');
  for (const f of ['ok.ts', 'ok.mts']) fs.copyFileSync(path.join(__dirname, 'inbound-types', f), path.join(dir, f));
  const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node'];
  const ok = spawnSync(process.execPath, [tsc, ...flags, 'ok.ts', 'ok.mts'], { cwd: dir, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  // And misuse is caught: a handler option of the wrong type, a sandbox option that does not exist.
  fs.writeFileSync(path.join(dir, 'bad.ts'), `
    import { createCallbackHandler } from 'messagemedia-conversations-sdk';
    import { startSandbox } from 'messagemedia-conversations-sdk/testing';
    createCallbackHandler(() => {}, { maxAgeMs: '5m' });
    startSandbox({ seedDemo: true, colour: 'red' });
  `);
  const bad = spawnSync(process.execPath, [tsc, ...flags, 'bad.ts'], { cwd: dir, encoding: 'utf8' });
  const lines = [...(bad.stdout + bad.stderr).matchAll(/^bad\.ts\((\d+),/gm)].map((m) => Number(m[1]));
  assert.deepEqual([...new Set(lines)], [4, 5], bad.stdout + bad.stderr);
});
