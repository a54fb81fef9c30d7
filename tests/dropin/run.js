'use strict';

// Runs observe.js on one SDK in a child process, in a scratch directory (the original logs to
// stdout and writes logfile.log where it runs), and returns its observations.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const ORIGINAL_LIB = path.join(ROOT, '.tools', 'original-sdk', 'lib');
const OURS = path.join(ROOT, 'npm');
const FIXTURE = path.join(__dirname, 'fixtures', 'original.json');

/** @param {string} sdk the SDK's entry directory */
function observe(sdk) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dropin-'));
  try {
    const out = path.join(scratch, 'observed.json');
    const run = spawnSync(process.execPath, [path.join(__dirname, 'observe.js'), sdk, out], {
      cwd: scratch, encoding: 'utf8', timeout: 120000, env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (run.status !== 0) throw new Error(`observe.js failed on ${sdk} (${run.status} ${run.signal}):\n${run.stderr.slice(-4000)}`);
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

module.exports = { observe, ORIGINAL_LIB, OURS, FIXTURE, ROOT };
