#!/usr/bin/env node
'use strict';

// `npx conversations-sandbox [--port 8080] [--seed-demo] [--data FILE] ...`: runs the sandbox
// binary the package ships (flags as in the sandbox's README; --help lists them).

const { spawn } = require('node:child_process');
const { sandboxBinary } = require('../testing');

let bin;
try {
  bin = sandboxBinary();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => { console.error(`could not start ${bin}: ${err.message}`); process.exit(1); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
