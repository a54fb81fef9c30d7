'use strict';

// One engine's run of the lifecycle and input checks of issue 12 (CONVERSATIONS_ENGINE picks the
// engine), in its own process so warnings, unhandled rejections and "the process exits by itself"
// are observed. Prints `RESULT {"checks": {name: [problem, ...]}, ...}`; lifecycle.test.js asserts.
// The process is never exited explicitly: if a socket or timer leaks, it hangs and the test fails.

const http = require('node:http');
const zlib = require('node:zlib');
const util = require('node:util');
const support = require('./support');

const sdk = require(support.SDK);
const { ConversationsClient, InvalidInputError } = sdk;
const BEN = support.BEN;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const warnings = [];
const unhandled = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));
process.on('unhandledRejection', (r) => unhandled.push(String(r && r.stack || r)));

/**
 * A local API: answers after `delayMs` (so calls are in flight when the test acts), counts
 * requests per method and open connections. `answer(req)` may replace the response.
 */
async function server({ delayMs = 0, answer = null } = {}) {
  const seen = { GET: 0, POST: 0, open: 0, auth: new Set() };
  const timers = new Set();
  const srv = http.createServer((req, res) => {
    seen[req.method] = (seen[req.method] ?? 0) + 1;
    seen.auth.add(req.headers.authorization);
    req.resume();
    req.on('end', () => timers.add(setTimeout(() => {
      if (answer !== null && answer(req, res)) return;
      const body = req.method === 'POST' ? '{"channel":"facebook","text":"hi"}' : '{"data":[]}';
      res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' });
      res.end(body);
    }, delayMs)));
  });
  srv.on('connection', (s) => {
    seen.open++;
    s.on('close', () => { seen.open--; });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    seen,
    close: () => {
      for (const t of timers) clearTimeout(t);
      srv.closeAllConnections();
      return new Promise((r) => srv.close(r));
    },
  };
}

async function waitFor(pred, ms) {
  const until = Date.now() + ms;
  while (!pred() && Date.now() < until) await sleep(10);
  return pred();
}

const msg = () => ({ text: 'hello', channel: 'facebook' });
const checks = {};

async function check(name, fn) {
  const problems = [];
  try {
    await fn(problems);
  } catch (err) {
    problems.push(`threw: ${err && err.stack || err}`);
  }
  checks[name] = problems;
}

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, code: err && err.code, message: String(err && err.message), err };
  }
}

async function main() {
  // Issue 12 item 3: close() with calls in flight lets them finish; nothing is reset or resent.
  await check('close() lets calls in flight finish', async (problems) => {
    const api = await server({ delayMs: 300 });
    const client = new ConversationsClient({ baseUrl: api.url, username: 'k', password: 's', maxRetries: 2 });
    // One call first, so an idle keep-alive socket exists too.
    await client.listAppUsers();
    const post = settle(client.sendMessage(BEN, msg()));
    const get = settle(client.listAppUsers());
    await waitFor(() => api.seen.POST === 1 && api.seen.GET === 2, 2000);
    client.close();
    const [p, g] = await Promise.all([post, get]);
    if (!p.ok) problems.push(`POST in flight failed: ${p.code} ${p.message}`);
    if (!g.ok) problems.push(`GET in flight failed: ${g.code} ${g.message}`);
    if (api.seen.POST !== 1) problems.push(`server saw ${api.seen.POST} POSTs, expected 1`);
    if (api.seen.GET !== 2) problems.push(`server saw ${api.seen.GET} GETs, expected 2 (no silent retry)`);
    // Busy sockets close when their call ends.
    if (!(await waitFor(() => api.seen.open === 0, 2000))) problems.push(`${api.seen.open} connection(s) still open after close()`);
    // The client stays usable after close().
    const again = await settle(client.listAppUsers());
    if (!again.ok) problems.push(`call after close() failed: ${again.message}`);
    client.close();
    await api.close();
  });

  // Issue 12 item 2: the compat surface switching between more than 8 accounts, calls overlapping.
  await check('compat: evicting an account engine spares its calls in flight', async (problems) => {
    const api = await server({ delayMs: 150 });
    const lib = sdk;
    lib.Configuration.BASEURI = api.url;
    lib.Configuration.basicAuthPassword = 'secret';
    const calls = [];
    for (let i = 0; i < 40; i++) {
      lib.Configuration.basicAuthUserName = `account-${i % 10}`;
      calls.push(settle(lib.AppUsersController.createSendMessage(BEN, new lib.BaseMessageDto(msg()))));
    }
    const results = await Promise.all(calls);
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) problems.push(`${failed.length} of 40 POSTs failed (the server processed ${api.seen.POST}): ${failed[0].code} ${failed[0].message}`);
    if (api.seen.POST !== 40) problems.push(`server saw ${api.seen.POST} POSTs, expected 40`);
    if (api.seen.auth.size !== 10) problems.push(`${api.seen.auth.size} accounts seen, expected 10`);
    lib.Configuration.BASEURI = null;
    lib.Configuration.basicAuthUserName = undefined;
    lib.Configuration.basicAuthPassword = undefined;
    // Evicted engines' sockets close when their calls end; the 8 cached ones stay idle (they
    // never keep the process alive).
    await api.close();
  });

  // Issue 12 item 7: one AbortSignal shared by many calls prints no MaxListenersExceededWarning.
  await check('one AbortSignal shared by 30 calls: no warning, all aborted', async (problems) => {
    const api = await server({ delayMs: 60_000 });
    for (const options of [{}, { fetch: globalThis.fetch }]) {
      const client = new ConversationsClient({ baseUrl: api.url, maxRetries: 0, ...options });
      const controller = new AbortController();
      const calls = [];
      for (let i = 0; i < 30; i++) calls.push(settle(client.listAppUsers({ signal: controller.signal })));
      await waitFor(() => api.seen.GET >= 30, 3000);
      controller.abort();
      const results = await Promise.all(calls);
      const notAborted = results.filter((r) => r.ok || r.code !== 'aborted');
      if (notAborted.length > 0) problems.push(`${options.fetch ? 'fetch' : 'node:http'}: ${notAborted.length} calls not aborted`);
      // Calls that end normally unsubscribe too: 30 sequential calls on one signal.
      const quick = await server();
      const quickClient = new ConversationsClient({ baseUrl: quick.url, ...options });
      const shared = new AbortController();
      await Promise.all(Array.from({ length: 30 }, () => quickClient.listAppUsers({ signal: shared.signal })));
      quickClient.close();
      await quick.close();
      client.close();
      api.seen.GET = 0;
    }
    await sleep(10);
    const leaked = warnings.filter((w) => /MaxListeners/.test(w));
    if (leaked.length > 0) problems.push(`warnings printed: ${leaked.join('; ')}`);
    await api.close();
  });

  // Issue 12 item 7: lone surrogates are refused, not silently replaced by U+FFFD.
  await check('lone surrogates in ids and credentials are InvalidInputError', async (problems) => {
    const api = await server();
    const client = new ConversationsClient({ baseUrl: api.url, username: 'k', password: 's' });
    for (const [call, field] of [
      [() => client.getAppUser('user-\uD800'), 'appUserId'],
      [() => client.sendMessage('\uDC00user', msg()), 'appUserId'],
      [() => client.listMessages('a\uDBFFb'), 'appUserId'],
      [() => client.integrateFacebookPage('\uD83D'), 'facebookPageId'],
    ]) {
      const r = await settle(call());
      if (r.ok || !(r.err instanceof InvalidInputError) || r.err.field !== field) {
        problems.push(`expected InvalidInputError for ${field}, got ${r.ok ? 'success' : `${r.code} ${r.err.field}: ${r.message}`}`);
      }
    }
    // A well-formed astral character (a surrogate pair) is fine.
    const fine = await settle(client.getAppUser('user-😀'));
    if (fine.ok === false && fine.code === 'invalid_input') problems.push(`a surrogate pair was refused: ${fine.message}`);
    if (api.seen.GET + api.seen.POST !== 1) problems.push(`server saw ${api.seen.GET + api.seen.POST} requests, expected only the valid one`);
    for (const options of [{ username: 'k', password: 'p\uD800' }, { username: 'k\uDFFF', password: 'p' }, { userAgent: 'app\uD800' }]) {
      try {
        new ConversationsClient({ baseUrl: api.url, ...options });
        problems.push(`constructor accepted ${JSON.stringify(Object.keys(options))} with a lone surrogate`);
      } catch (err) {
        if (!(err instanceof InvalidInputError)) problems.push(`constructor threw ${err}`);
      }
    }
    // Compat: the same rule, reported through the callback like any local error.
    sdk.Configuration.BASEURI = api.url;
    sdk.Configuration.basicAuthUserName = 'k';
    sdk.Configuration.basicAuthPassword = 'p\uD800';
    const compat = await new Promise((resolve) => sdk.AppUsersController.getAppUsers((error) => resolve(error)));
    if (!compat || compat.code !== 'invalid_input' || compat.errorCode !== null) problems.push(`compat: ${compat && compat.code} errorCode=${compat && compat.errorCode}`);
    sdk.Configuration.basicAuthPassword = 's';
    const compatId = await new Promise((resolve) => sdk.AppUsersController.getAppUserById('x\uD800', (error) => resolve(error)));
    if (!compatId || compatId.code !== 'invalid_input') problems.push(`compat id: ${compatId && compatId.code}`);
    sdk.Configuration.BASEURI = null;
    sdk.Configuration.basicAuthUserName = undefined;
    sdk.Configuration.basicAuthPassword = undefined;
    if (api.seen.GET + api.seen.POST !== 1) problems.push('compat sent a request');
    client.close();
    await api.close();
  });

  // Issue 12 items 5 and 6: one URL rule, at construction, never echoing credentials.
  await check('baseUrl and userAgent are checked at construction', async (problems) => {
    for (const [options, says] of [
      [{ baseUrl: 'http://admin:pw-canary@127.0.0.1:8080' }, 'username and password options'],
      [{ baseUrl: 'http://127.0.0.1:99999' }, 'port'],
      [{ baseUrl: 'http://127.0.0.1:8080\\@evil.example' }, '\\'],
      [{ baseUrl: 'http://127.1:8080' }, 'IPv4'],
      [{ baseUrl: 'http://127.0.0.1:8080', userAgent: 'app/1 ✓' }, 'ASCII'],
      [{ baseUrl: 'http://127.0.0.1:8080', userAgent: 'café/1' }, 'ASCII'],
    ]) {
      try {
        const client = new ConversationsClient(options);
        problems.push(`accepted ${JSON.stringify(options)} (${util.inspect(client)})`);
      } catch (err) {
        if (!(err instanceof InvalidInputError)) problems.push(`${JSON.stringify(options)}: ${err.constructor.name} ${err.message}`);
        else if (!err.message.includes(says)) problems.push(`${JSON.stringify(options)}: message lacks ${JSON.stringify(says)}: ${err.message}`);
        for (const shown of [err.message, err.stack, util.inspect(err), JSON.stringify(err)]) {
          if (/pw-canary|admin/.test(shown)) problems.push(`credentials shown: ${shown}`);
        }
      }
    }
    // Compat: the same errors, with errorCode null like every other local error (an empty id).
    const local = await new Promise((resolve) => sdk.AppUsersController.getAppUserById('', (error) => resolve(error)));
    for (const uri of ['http://127.0.0.1:99999', 'http://admin:pw-canary@127.0.0.1:8080']) {
      sdk.Configuration.BASEURI = uri;
      const error = await new Promise((resolve) => sdk.AppUsersController.getAppUsers((e) => resolve(e)));
      if (!(error instanceof InvalidInputError) || !(error instanceof sdk.APIException)) problems.push(`compat ${uri}: ${error}`);
      else if (error.errorCode !== local.errorCode) problems.push(`compat ${uri}: errorCode ${error.errorCode}, other local errors ${local.errorCode}`);
      if (/pw-canary/.test(`${error.message} ${error.stack} ${JSON.stringify(error)}`)) problems.push('compat shows the credentials');
    }
    sdk.Configuration.BASEURI = null;
  });

  // Issue 12 item 7: a corrupt gzip body is a DecodeError (the good and the bomb cases are in faults.json).
  await check('a corrupt gzip body is a DecodeError, not retried', async (problems) => {
    const api = await server({
      answer: (req, res) => {
        const good = zlib.gzipSync('{"data":[]}');
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        // A gzip header, then bytes that are no deflate stream.
        res.end(Buffer.concat([good.subarray(0, 10), Buffer.alloc(32, 0xff)]));
        return true;
      },
    });
    const client = new ConversationsClient({ baseUrl: api.url, maxRetries: 2 });
    const r = await settle(client.listAppUsers());
    if (r.ok || r.code !== 'decode') problems.push(`expected decode, got ${r.ok ? 'success' : `${r.code}: ${r.message}`}`);
    if (api.seen.GET !== 1) problems.push(`server saw ${api.seen.GET} GETs, expected 1`);
    client.close();
    await api.close();
  });

  process.stdout.write(`RESULT ${JSON.stringify({ checks, warnings, unhandled })}\n`);
}

main();
