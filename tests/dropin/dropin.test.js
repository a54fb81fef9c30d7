'use strict';

// Side by side with the original SDK: the same calls (cases.js) against the same recorded
// replies, on the original (a copy installed by `make dropin-deps`) and on this package. Every
// observable part — the requests sent, the callback's (error, response, context), the promise,
// uncaught exceptions, the caller's body afterwards — must equal the original's recording
// (fixtures/original.json), except the parts a README-listed fix changes.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const { CASES, FIXES } = require('./cases');
const { observe, ORIGINAL_LIB, OURS, FIXTURE, ROOT } = require('./run');

const PARTS = ['sync', 'uncaught', 'requests', 'callback', 'context', 'promise', 'bodyAfter'];
const recorded = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
const haveOriginal = fs.existsSync(ORIGINAL_LIB);

test('the recording is what the original SDK does today', {
  // `make test` installs it (make dropin-deps); in CI a missing copy is a failure, not a skip.
  skip: !haveOriginal && process.env.CI !== 'true' ? 'the original is not installed: make dropin-deps' : false,
}, () => {
  assert.ok(haveOriginal, `${ORIGINAL_LIB} is missing: make dropin-deps`);
  const live = observe(ORIGINAL_LIB);
  assert.deepEqual(live.map((o) => o.name), CASES.map((c) => c.name), 'cases changed: node tests/dropin/record.js');
  assert.deepEqual(live, recorded);
});

let ours;
test.before(() => {
  ours = observe(OURS);
});

for (const [i, c] of CASES.entries()) {
  test(c.name, () => {
    const original = recorded[i];
    const mine = ours[i];
    assert.equal(original?.name, c.name, 'the recording is current (node tests/dropin/record.js)');
    if (c.wire !== undefined) {
      assert.deepEqual(original.requests.map((r) => r.body), [c.wire], 'the original sends the exact wire body');
      assert.deepEqual(mine.requests.map((r) => r.body), [c.wire], 'we send the exact wire body');
    }
    const fix = c.fixed === undefined ? null : FIXES[c.fixed];
    for (const part of PARTS) {
      if (fix !== null && fix.parts.includes(part)) continue;
      assert.deepEqual(mine[part], original[part], `${part} differs from the original's`);
    }
    if (fix !== null) {
      assert.ok(fix.parts.some((part) => !isDeepStrictEqual(mine[part], original[part])),
        `listed as the fix "${c.fixed}", but we behave exactly as the original`);
      c.ours(mine, original);
    }
  });
}

test('the README\'s drop-in section lists every difference the cases rely on', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Drop-in replacement');
  assert.ok(start >= 0, 'README has a "## Drop-in replacement" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  for (const [name, fix] of Object.entries(FIXES)) {
    assert.ok(section.includes(fix.readme), `the drop-in section mentions ${fix.readme} (fix "${name}")`);
  }
});
