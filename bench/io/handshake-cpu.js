'use strict';

// Client CPU per HTTPS handshake of the addon's Rust I/O (`Io`): N sends, each on a fresh
// connection (`close()` before it), to a node:https server in a child process, so the process's
// CPU time (its JS thread and the addon's tokio worker) is the client's: rustls and ring.
// Usage: node bench/io/handshake-cpu.js <addon.node> [N=300]

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Io } = require(path.resolve(process.argv[2]));
const N = Number(process.argv[3]) || 300;

(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-hs-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')], { stdio: 'ignore' });
  const server = spawn(process.execPath, ['-e', `
    const fs = require('node:fs');
    const s = require('node:https').createServer({ key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) },
      (req, res) => res.end('ok'));
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`,
  path.join(tmp, 'key.pem'), path.join(tmp, 'cert.pem')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => { server.stdout.once('data', (d) => resolve(Number(String(d)))); });
  const waiting = new Map();
  const io = new Io((slot, kind, status) => { waiting.get(slot)(kind === -1 ? status : -1 - kind); }, { ca: fs.readFileSync(path.join(tmp, 'cert.pem'), 'utf8') });
  const head = io.head([]);
  const call = (slot) => new Promise((resolve) => {
    waiting.set(slot, resolve);
    io.send(slot, 'GET', `https://localhost:${port}/`, head, null, 5000, 1 << 20);
  });
  for (let i = 0; i < 20; i++) { io.close(); await call(i); }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    io.close();
    const status = await call(1000 + i);
    if (status !== 200) throw new Error(`call failed: ${status}`);
  }
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ n: N, clientCpuUsPerHandshake: Math.round((cpu.user + cpu.system) / N), wallUsPerHandshake: Math.round((performance.now() - t0) * 1000 / N) })}\n`);
  io.close();
  server.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
})();
