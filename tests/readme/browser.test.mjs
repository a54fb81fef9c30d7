// The README's browser quickstart (`<!-- runnable: browser -->`), as pasted, in headless Chromium:
// a page loads it as a module script, an import map names the package (npm/browser.mjs), and a
// small backend forwards /api/conversations/* to a sandbox with the credentials added, as the
// README recommends. The page must show the sandbox's demo users.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT, launch, openPage, startSandbox } from '../browser/support.mjs';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const match = /^<!-- runnable: browser -->\n```js\n([\s\S]*?)^```$/m.exec(README);
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const KEY = 'sandbox-key';
const SECRET = 'sandbox-secret';

/** The app's server: the page, the package files, and the credential-adding backend. */
function startApp(sandboxUrl, code) {
  const page = '<!doctype html><meta charset="utf-8"><title>app</title>'
    + '<script type="importmap">{"imports":{"messagemedia-conversations-sdk":"/npm/browser.mjs"}}</script>'
    + '<script type="module" src="/app.mjs"></script><body>loading</body>';
  const auth = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    if (url.pathname === '/app.mjs') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    if (url.pathname.startsWith('/api/conversations/')) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const upstream = await fetch(sandboxUrl + url.pathname.slice('/api/conversations'.length) + url.search, {
        method: req.method,
        headers: { authorization: auth, 'content-type': req.headers['content-type'] ?? 'application/json', accept: 'application/json' },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      return res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' })
        .end(Buffer.from(await upstream.arrayBuffer()));
    }
    const file = path.join(ROOT, path.normalize(url.pathname));
    if (url.pathname.startsWith('/npm/') && file.startsWith(path.join(ROOT, 'npm')) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      return res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
    }
    return res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  })));
}

test('the browser quickstart runs as pasted in Chromium', async () => {
  assert.ok(match, 'the README has a runnable browser block');
  const sandbox = await startSandbox(['--seed-demo']);
  const app = await startApp(sandbox.url, match[1]);
  const chrome = await launch();
  try {
    const page = await openPage(chrome.browser, app.url);
    await page.waitForFunction(() => document.body.textContent !== 'loading', null, { timeout: 20_000 });
    const text = await page.evaluate(() => document.body.textContent);
    assert.match(text, /^[1-9]\d* app user\(s\): /);
    assert.deepEqual(page.problems, []);
  } finally {
    await chrome.close();
    await app.close();
    await sandbox.stop();
  }
});
