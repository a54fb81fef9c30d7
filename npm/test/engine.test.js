'use strict';

// The engine interface's per-call methods (ENGINE.md) on whichever engine the package loads:
// `requestLine` must build exactly `request()`'s request for strings of every length around the
// native binding's stack buffers (64, 256 and 1024 bytes) and with multi-byte characters where a
// copy would be cut, and `decode` must take any Uint8Array (a Buffer, a view at an offset).

const test = require('node:test');
const assert = require('node:assert/strict');
const { getEngine } = require('../lib/engine');

const CONFIG = { baseUrl: 'https://api.example.test', username: 'key', password: 'secret' };
const native = process.env.CONVERSATIONS_ENGINE !== 'wasm';

function fromLine(line) {
  const nl = line.indexOf('\n');
  return nl < 0 ? { url: line, body: null } : { url: line.slice(0, nl), body: line.slice(nl + 1) };
}

const hasLine = typeof new (getEngine())(CONFIG).requestLine === 'function';

// requestLine is optional (ENGINE.md): the native engine has it, the wasm engine does not.
test('requestLine equals request() for ids and bodies around the buffer sizes', { skip: !hasLine && 'engine without requestLine' }, () => {
  const Engine = getEngine();
  const engine = new Engine(CONFIG);
  let checked = 0;
  for (const len of [0, 1, 50, 59, 60, 61, 62, 63, 64, 65, 200, 250, 251, 252, 253, 254, 255, 256, 257, 1000, 1019, 1020, 1021, 1022, 1023, 1024, 1025, 5000]) {
    for (const tail of ['', 'é', '€', '😀']) {
      const id = `${'i'.repeat(Math.max(0, len - tail.length))}${tail}`;
      const message = JSON.stringify({ text: `${'t'.repeat(Math.max(0, len - 30))}${tail}`, channel: 'facebook' });
      for (const [op, arg, body] of [['getAppUserById', id, null], ['createSendMessage', id, message]]) {
        const want = engine.request(op, arg, body);
        const line = engine.requestLine(op, arg, body);
        if (want.error) {
          assert.deepEqual(JSON.parse(line).error, want.error, `${op} id of ${len}`);
        } else {
          assert.deepEqual(fromLine(line), { url: want.url, body: want.body }, `${op} id of ${len} ending ${tail}`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked > 200);
});

test('decode takes a Buffer, a Uint8Array and a view at an offset alike', () => {
  const engine = new (getEngine())(CONFIG);
  const body = '{"id":"u1","given_name":"Zoë"}';
  const bytes = new TextEncoder().encode(body);
  const padded = new Uint8Array(bytes.length + 10);
  padded.set(bytes, 7);
  const want = JSON.parse(engine.decode('getAppUserById', 200, Buffer.from(body)));
  assert.deepEqual(want, { ok: { id: 'u1', surname: null, givenName: 'Zoë' } });
  assert.deepEqual(JSON.parse(engine.decode('getAppUserById', 200, bytes)), want);
  assert.deepEqual(JSON.parse(engine.decode('getAppUserById', 200, padded.subarray(7, 7 + bytes.length))), want);
  assert.equal(JSON.parse(engine.decode('getAppUserById', 200, new Uint8Array(0))).error.code, 'decode');
});

test('the native per-call methods reject wrong argument types with a TypeError', { skip: !native && 'native engine only' }, () => {
  const engine = new (getEngine())(CONFIG);
  assert.equal(typeof engine.requestLine, 'function', 'the native engine has the requestLine fast path');
  assert.throws(() => engine.decode(1, 200, new Uint8Array(1)), TypeError);
  assert.throws(() => engine.decode('getAppUsers', 'x', new Uint8Array(1)), TypeError);
  assert.throws(() => engine.decode('getAppUsers', 200, 'body'), TypeError);
  assert.throws(() => engine.decode('getAppUsers', 200, new Uint16Array(1)), TypeError);
  assert.throws(() => engine.requestLine('getAppUserById', 5, null), TypeError);
  assert.throws(() => engine.requestLine('createSendMessage', 'u1', {}), TypeError);
  // Detached from its engine, the function keeps the engine alive.
  const { decode } = engine;
  assert.equal(JSON.parse(decode('getAppUsers', 200, Buffer.from('{"data":[]}'))).ok.data.length, 0);
});

// The JS transports word a too-large body themselves (failure.js) when they stop reading
// early; the engine words it when it is handed the whole body. One message: core's.
test('a too-large body reads the same from the JS transports as from core', () => {
  const { tooLarge } = require('../lib/failure');
  const engine = new (getEngine())({ ...CONFIG, maxResponseBytes: 4 });
  const out = JSON.parse(engine.decode('getAppUserById', 200, Buffer.from('{"id":"abc"}')));
  assert.equal(out.error.code, 'decode');
  const js = tooLarge('GET', 'https://api.example.test/x', 4, 200).error;
  assert.ok(js.message.endsWith(`: ${out.error.message}`), `JS: ${js.message}\ncore: ${out.error.message}`);
  assert.equal(js.code, out.error.code);
});

// core's failure kinds (conversations_core::call::Failure) are named by the engine; failure.js
// words them by the same names (core/tests/js_copies.rs checks the source; this, the engine).
test('the engine names the failure kinds failure.js words, in the same order', () => {
  const { KINDS } = require('../lib/failure');
  assert.deepEqual(Array.from(getEngine().failureKinds()), [...KINDS]);
});

// The call machine through the engine (ENGINE.md, after): a retry comes with its wait and the
// next attempt's budget; everything else ends the call with a name the pipeline words.
test('after(): retry with a wait and a budget, or an end', () => {
  const engine = new (getEngine())({ ...CONFIG, timeoutMs: 1000, deadlineMs: 2500 });
  const { budgetMs } = engine.policy();
  assert.equal(budgetMs, 1000);
  assert.equal(engine.budget(5000), 2500, 'the deadline bounds a longer per-call timeout');
  assert.equal(engine.budget(Infinity), 2500, 'an endless per-call timeout too');
  assert.equal(engine.budget(300), 300);
  const base = { op: 'getAppUsers', attempt: 1, budgetMs, elapsedMs: 1000, nowMs: 0, random: 0.5 };
  assert.deepEqual({ ...engine.after({ ...base, failure: 'timeout' }) }, { delayMs: 100, budgetMs: 1000, end: null });
  assert.equal(engine.after({ ...base, elapsedMs: 2200, failure: 'reset' }).budgetMs, 200, 'what is left of the deadline');
  assert.equal(engine.after({ ...base, status: 503, retryAfter: '1' }).delayMs, 1000);
  assert.equal(engine.after({ ...base, status: 200, retryAfter: null, failure: null }).end, 'response');
  assert.equal(engine.after({ ...base, status: 404 }).end, 'response');
  assert.equal(engine.after({ ...base, failure: 'aborted' }).end, 'aborted');
  assert.equal(engine.after({ ...base, op: 'createSendMessage', failure: 'reset' }).end, 'reset');
  assert.equal(engine.after({ ...base, op: 'createSendMessage', failure: 'refused' }).end, null);
  assert.equal(engine.after({ ...base, budgetMs: 300, elapsedMs: 2500, failure: 'timeout' }).end, 'deadline');
  assert.equal(engine.after({ ...base, attempt: 3, failure: 'timeout' }).end, 'timeout', 'out of retries');
});
