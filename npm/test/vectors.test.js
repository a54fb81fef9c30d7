'use strict';

// Runs every conformance vector (tests/vectors/*.json, format in tests/vectors/README.md)
// through the engine the package loads (CONVERSATIONS_ENGINE picks it). A case this runner
// cannot run is a failure, never a skip.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getEngine } = require('../lib/engine');

const dir = path.join(__dirname, '..', '..', 'tests', 'vectors');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];

test('conformance vectors exist', () => {
  assert.ok(files.length > 0, `no *.json vectors in ${path.relative(process.cwd(), dir)}`);
});

const plain = (value) => JSON.parse(JSON.stringify(value));

function checkError(actual, expected, where) {
  assert.ok(actual, `${where}: expected an error ${JSON.stringify(expected)}, got none`);
  for (const key of Object.keys(expected)) {
    assert.deepEqual(actual[key] ?? null, expected[key], `${where}: error.${key}`);
  }
}

function runRequest(Engine, config, c) {
  const engine = new Engine(config);
  const configError = engine.configError();
  if (c.error && configError) {
    checkError(configError, c.error, 'configError()');
    return;
  }
  const body = c.body === undefined || c.body === null ? null : JSON.stringify(c.body);
  const built = engine.request(c.op, c.id ?? null, body);
  if (c.request) {
    assert.equal(built.error ?? null, null, `unexpected error ${JSON.stringify(built.error)}`);
    assert.deepEqual(plain({ method: built.method, url: built.url, headers: built.headers, body: built.body }), c.request);
  } else if (c.error) {
    checkError(built.error, c.error, 'request()');
  } else {
    assert.fail('request case has neither "request" nor "error"');
  }
}

function runDecode(Engine, config, c) {
  const engine = new Engine(config);
  const { response } = c;
  assert.ok(response && typeof response.status === 'number', 'decode case needs response.status');
  let bytes;
  if (typeof response.bodyBase64 === 'string') bytes = Buffer.from(response.bodyBase64, 'base64');
  else if (typeof response.body === 'string') bytes = Buffer.from(response.body, 'utf8');
  else assert.fail('decode case needs response.body or response.bodyBase64');
  const result = JSON.parse(engine.decode(c.op, response.status, bytes));
  if ('output' in c) {
    assert.equal(result.error ?? null, null, `unexpected error ${JSON.stringify(result.error)}`);
    assert.deepEqual(result.ok, c.output);
  } else if (c.error) {
    checkError(result.error, c.error, 'decode()');
  } else {
    assert.fail('decode case has neither "output" nor "error"');
  }
}

function runRetry(Engine, config, c) {
  const engine = new Engine(config);
  for (const key of ['op', 'attempt', 'outcome', 'status', 'elapsedMs', 'nowMs', 'random', 'delayMs']) {
    assert.ok(key in c, `retry case lacks "${key}"`);
  }
  const delay = engine.retryDelay(c.op, c.attempt, c.outcome, c.status, c.retryAfter ?? null, c.elapsedMs, c.nowMs, c.random);
  assert.equal(delay, c.delayMs);
}

const RUNNERS = { request: runRequest, decode: runDecode, retry: runRetry };

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  test(file, async (t) => {
    assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, 'file has no cases');
    const Engine = getEngine();
    const names = new Set();
    for (const c of doc.cases) {
      await t.test(c.name ?? '(unnamed)', () => {
        assert.ok(typeof c.name === 'string' && !names.has(c.name), `case name missing or repeated: ${c.name}`);
        names.add(c.name);
        const run = RUNNERS[c.kind];
        assert.ok(run, `unknown kind ${JSON.stringify(c.kind)}`);
        run(Engine, c.config ?? doc.config ?? {}, c);
      });
    }
  });
}
