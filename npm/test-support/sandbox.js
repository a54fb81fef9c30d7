'use strict';
// Starts the real sandbox binary (built by `make sandbox-bin`) on a free port for a test.

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const ROOT = path.join(__dirname, '..', '..');
const BIN = process.env.SANDBOX_BIN || path.join(ROOT, 'target', 'debug', 'conversations-sandbox');

/**
 * @param {{ seedDemo?: boolean, key?: string, secret?: string, args?: string[] }} [opts]
 * @returns {Promise<{ url: string, key: string, secret: string, stop: () => Promise<void> }>}
 */
function startSandbox(opts = {}) {
  if (!fs.existsSync(BIN)) {
    return Promise.reject(new Error(`sandbox binary missing at ${BIN}: run \`make sandbox-bin\``));
  }
  const key = opts.key ?? 'sandbox-key';
  const secret = opts.secret ?? 'sandbox-secret';
  const args = ['--port', '0', '--key', key, '--secret', secret, ...(opts.seedDemo ? ['--seed-demo'] : []), ...(opts.args ?? [])];
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m) return;
      child.stdout.off('data', onData);
      resolve({
        url: m[1],
        key,
        secret,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { output += c; });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${output}`)));
    child.once('error', reject);
  });
}

module.exports = { startSandbox, ROOT };
