'use strict';

// Runs every side-by-side case (cases.js) on one SDK against a loopback server that answers
// each case's recorded reply, and writes what the caller could observe as JSON:
//   node tests/dropin/observe.js <sdk lib dir or package dir> <out.json>
// Run it in a scratch directory: the original SDK logs to stdout and writes logfile.log.

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { CASES, describe } = require('./cases');

const [sdkPath, outFile] = process.argv.slice(2);
const lib = require(path.resolve(sdkPath));

let current = null;
// The original throws from its HTTP callback on a 2xx body that is not JSON: an uncaught
// exception (the call never settles). Recorded as part of the case, not a crash of this run.
process.on('uncaughtException', (err) => {
  if (current === null) throw err;
  // The name only: V8's wording of messages changes between Node versions.
  current.uncaught = err.name;
});

const sockets = new Set();
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const obs = current;
    const reply = obs === null ? null : obs.reply;
    if (obs !== null) {
      obs.requests.push({
        method: req.method,
        url: req.url,
        accept: req.headers.accept ?? null,
        contentType: req.headers['content-type'] ?? null,
        authorization: req.headers.authorization ?? null,
        body,
      });
    }
    if (reply === 'stall') return;
    if (reply === null) {
      res.writeHead(500).end('no case');
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
    res.end(reply.body);
  });
});
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

/** A URL nothing listens on (a port just freed). */
async function refusedUrl() {
  const probe = http.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A call argument with `{ $model }` built from this SDK's model class. */
function argument(arg) {
  if (arg === null || typeof arg !== 'object' || !('$model' in arg)) {
    // A fresh copy per run, so what the SDK does to the caller's object is observable.
    return arg === undefined ? undefined : JSON.parse(JSON.stringify(arg));
  }
  const instance = new lib[arg.$model](arg.fields);
  return Object.assign(instance, arg.extra ?? {});
}

function describeError(err) {
  if (err === null || err === undefined) return err === null ? null : { undefined: true };
  return { keys: Object.keys(err).map((k) => [k, describe(err[k])]) };
}

// The loopback URLs change every run.
let urls = [];
const stable = (url) => (typeof url === 'string' ? urls.reduce((u, [from, to]) => u.split(from).join(to), url) : url);

function describeContext(ctx) {
  if (ctx === null || ctx === undefined) return null;
  const { request, response } = ctx;
  return {
    request: request === null || request === undefined ? null
      : { method: request.method, queryUrl: stable(request.queryUrl), body: request.body ?? null },
    response: response === null || response === undefined ? null
      : { statusCode: response.statusCode ?? null, body: response.body ?? null },
  };
}

async function run(testCase, base) {
  const obs = {
    name: testCase.name, reply: testCase.reply, requests: [], sync: null, uncaught: null,
    callback: { count: 0, error: null, response: null }, context: null, promise: { state: 'none', value: null, same: null },
  };
  current = obs;
  const refused = testCase.reply === 'refuse' ? await refusedUrl() : null;
  urls = [[base, '{BASE}'], ...(refused === null ? [] : [[refused, '{REFUSED}']])];
  lib.Configuration.BASEURI = refused ?? base;
  lib.Configuration.basicAuthUserName = 'API_KEY';
  lib.Configuration.basicAuthPassword = 'API_SECRET';
  lib.Configuration.timeout = testCase.config?.timeout;
  lib.Configuration.maxRetries = testCase.config?.maxRetries;
  const args = testCase.call.args.map(argument);
  let cbArgs = null;
  let done;
  const settled = new Promise((resolve) => { done = resolve; });
  let pending = 2;
  const oneDone = () => { pending -= 1; if (pending === 0) done(); };
  const callback = (error, response, context) => {
    obs.callback.count += 1;
    cbArgs = [error, response];
    obs.callback.error = describeError(error);
    obs.callback.response = describe(response);
    obs.context = describeContext(context);
    oneDone();
  };
  try {
    const promise = lib[testCase.call.controller][testCase.call.method](...args, callback);
    promise.then((value) => {
      obs.promise = { state: 'fulfilled', value: describe(value), same: cbArgs !== null && cbArgs[1] === value };
      oneDone();
    }, (err) => {
      obs.promise = { state: 'rejected', value: describeError(err), same: cbArgs !== null && cbArgs[0] === err };
      oneDone();
    });
    obs.promise.state = 'pending';
  } catch (err) {
    obs.sync = err.name;
    done();
  }
  const waitMs = testCase.waitMs ?? 3000;
  let timer;
  await Promise.race([settled, new Promise((resolve) => { timer = setTimeout(resolve, waitMs); })]);
  clearTimeout(timer);
  // Late requests (retries) and uncaught exceptions land before the snapshot.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const bodyArg = testCase.call.method === 'createSendMessage' ? args[1]
    : testCase.call.method === 'createConfigureAccount' ? args[0] : undefined;
  obs.bodyAfter = describe(bodyArg);
  current = null;
  const snapshot = JSON.parse(JSON.stringify(obs));
  if (testCase.reply === 'stall') {
    // Ends the calls left waiting; the pause lets the client see its pooled sockets close
    // before the next case (else a POST on one would meet a reset: a real race, not a case).
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return snapshot;
}

async function main() {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const out = [];
  for (const testCase of CASES) out.push(await run(testCase, base));
  fs.writeFileSync(outFile, `${JSON.stringify(out, null, 1)}\n`);
  // Calls left waiting on purpose (no timeout) must not keep this process alive.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
