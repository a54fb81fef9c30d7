// `make dashboard`: a sandbox with the demo world plus a static file server for this page, and
// the URL to open. Zero dependencies. Also used by the browser tests (tests/browser/) for its
// exports: a static server over the repository and a sandbox launcher.
//
//   node examples/dashboard/serve.mjs [--port PORT]   (default: any free port)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.md': 'text/plain; charset=utf-8',
};

/**
 * Serves the repository read-only on 127.0.0.1 (the page imports ../../npm/browser.mjs, the
 * browser tests load tests/). `api(req, res)`, if given, answers every path under /api/.
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startStatic({ root = ROOT, port = 0, api = null } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (api !== null && url.pathname.startsWith('/api/')) {
      api(req, res);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root + path.sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Starts target/debug/conversations-sandbox (built by `make sandbox-bin`) on a free port.
 * @param {string[]} args e.g. ['--seed-demo']
 * @returns {Promise<{ url: string, stop(): Promise<void> }>}
 */
export function startSandbox(args = []) {
  const bin = path.join(ROOT, 'target', 'debug', 'conversations-sandbox');
  const child = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Never outlive this process, however it ends.
  const reap = () => child.kill('SIGTERM');
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          url: m[1],
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) done();
            else {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }
          }),
        });
      }
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 0;
  const sandbox = await startSandbox(['--seed-demo']);
  const web = await startStatic({ port });
  const page = new URL('/examples/dashboard/', web.url);
  page.search = new URLSearchParams({ baseUrl: sandbox.url, username: 'sandbox-key', password: 'sandbox-secret' }).toString();
  console.log(`sandbox (demo world): ${sandbox.url}`);
  console.log(`dashboard:            ${page.href}`);
  console.log('Ctrl-C stops both.');
  const stop = async () => {
    await sandbox.stop();
    await web.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
