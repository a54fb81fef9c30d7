'use strict';

// Test helpers: a scripted local HTTP server on 127.0.0.1:0 that records every request and
// counts TCP connections. Kept outside test/ so `node --test test/` does not run it as a test.

const http = require('node:http');

/**
 * @param {(req: { method: string, url: string, headers: object, body: string }, res: http.ServerResponse) => void | Promise<void>} handler
 */
async function startServer(handler) {
  const state = { requests: [], connections: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const info = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.requests.push(info);
      Promise.resolve(handler(info, res)).catch((err) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  server.on('connection', () => { state.connections++; });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    get requests() { return state.requests; },
    get connections() { return state.connections; },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Replies with a status and a JSON (or raw string) body. */
function reply(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

module.exports = { startServer, reply };
