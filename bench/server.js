'use strict';

// The benchmark's API stand-in: a keep-alive node:http server on 127.0.0.1 with canned bodies,
// run as its own process so it never shares an event loop with the client being measured.
// Prints `{"port":N}` once listening; exits when its parent closes stdin (or after a hard cap).

const http = require('node:http');
const { USERS, SENT, history } = require('./fixtures');

const USERS_BODY = Buffer.from(USERS);
const SENT_BODY = Buffer.from(SENT);
const HISTORY_BODY = Buffer.from(history(10_000));
const NOT_FOUND = Buffer.from('{"message":"not found"}');
const USERS_PATH = '/beta/conversations/users';

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const url = req.url;
  if (req.method === 'GET' && url === USERS_PATH) {
    reply(res, 200, USERS_BODY);
    return;
  }
  if (url.startsWith(`${USERS_PATH}/`) && url.endsWith('/messages')) {
    if (req.method === 'POST') {
      // Read the whole request body before answering, as a real server would.
      req.on('data', () => {});
      req.on('end', () => reply(res, 202, SENT_BODY));
      return;
    }
    reply(res, 200, HISTORY_BODY);
    return;
  }
  reply(res, 404, NOT_FOUND);
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
// Bounded: a forgotten server stops by itself. Generous, because `make bench-instructions` on a
// loaded 2-core machine ran past a 20-minute cap and its last variants found no server.
setTimeout(() => process.exit(0), 3 * 60 * 60_000).unref();
