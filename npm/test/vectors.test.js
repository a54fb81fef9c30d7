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

// The runner logic is shared with the browser run (tests/browser/vectors.test.js).
const runner = import('../../tests/vectors/runner.mjs');

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  test(file, async (t) => {
    const { runFile } = await runner;
    for (const { name, error } of runFile(getEngine(), doc)) {
      await t.test(name, () => {
        if (error !== null) assert.fail(error);
      });
    }
  });
}
