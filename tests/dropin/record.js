'use strict';

// Records the original SDK's observable behaviour on every side-by-side case into
// fixtures/original.json (committed): `make dropin-deps && node tests/dropin/record.js`.
// Rerun it after changing cases.js; dropin.test.js checks the fixture still matches the original.

const { observe, ORIGINAL_LIB, FIXTURE } = require('./run');
const fs = require('node:fs');

if (!fs.existsSync(ORIGINAL_LIB)) {
  console.error(`${ORIGINAL_LIB} is missing: run make dropin-deps first`);
  process.exit(1);
}
const observed = observe(ORIGINAL_LIB);
fs.writeFileSync(FIXTURE, `${JSON.stringify(observed, null, 1)}\n`);
console.log(`recorded ${observed.length} cases into ${FIXTURE}`);
