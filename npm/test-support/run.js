'use strict';

// Runs a command to its end and resolves with its exit code and its stdout + stderr together
// (code -1 when it could not start): the package, packed-tarball and examples tests share it.

const { spawn } = require('node:child_process');

/** @returns {Promise<{ code: number | null, out: string }>} */
function run(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (err) => resolve({ code: -1, out: String(err) }));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

module.exports = { run };
