'use strict';

// The candidates of bench/io must do the same work before their costs are compared: every
// engine-driven variant resolves exactly what the package's modern client resolves, the
// hand-written ones exactly the server's body. `make bench-io` runs this first.
// Needs `make bench-pkg` and bench/io/node_modules (the bench-io target).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { VARIANTS } = require('./variants');
const { USERS, SENT } = require('../fixtures');

const ROOT = path.resolve(__dirname, '..', '..');
const pkgDir = path.resolve(ROOT, process.env.BENCH_PKG || 'target/bench-pkg');

let server;
let ctx;
test.before(async () => {
  server = spawn(process.execPath, [path.join(__dirname, '..', 'server.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => { server.stdout.once('data', (d) => resolve(JSON.parse(d).port)); });
  ctx = { baseUrl: `http://127.0.0.1:${port}`, pkgDir };
});
test.after(() => server.kill());

test('every variant resolves the same results as its kind: the server body, or the package\'s output', async () => {
  const clients = Object.fromEntries(Object.entries(VARIANTS).map(([n, make]) => [n, make(ctx)]));
  const modern = clients['sdk modern'];
  const want = { list: await modern.list(), send: await modern.send() };
  assert.equal(want.list.data.length > 0, true);
  for (const [name, client] of Object.entries(clients)) {
    for (const op of ['list', 'send']) {
      // Twice, and 8 at once: connection reuse and completions delivered in one batch.
      const got = await Promise.all(Array.from({ length: 8 }, () => client[op]()));
      got.push(await client[op]());
      for (const value of got) {
        if (name.startsWith('raw')) assert.deepEqual(value, JSON.parse(op === 'list' ? USERS : SENT), `${name} ${op}`);
        else if (name !== 'sdk compat') assert.deepEqual(value, want[op], `${name} ${op}`);
      }
    }
    client.close();
  }
});
