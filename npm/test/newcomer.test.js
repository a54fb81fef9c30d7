'use strict';

// Issue 17, a newcomer's first hour: environment defaults, the credentials rule, errors that use
// the modern names and say what to do, the engine choice. Runs on each engine (Makefile node-test).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const sdk = require('..');
const { startApi, USER_ID, basic } = require('../test-support/api');

const { ConversationsClient, InvalidInputError, AuthenticationError } = sdk;
const VARS = ['MESSAGEMEDIA_API_KEY', 'MESSAGEMEDIA_API_SECRET', 'MESSAGEMEDIA_BASE_URL'];

/** Runs `fn` with the three variables set as given (unset when absent), then restores them. */
async function withEnv(values, fn) {
  const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
  for (const name of VARS) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
  try {
    return await fn();
  } finally {
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** A local API recording each request's path and authorization header. */
async function recordingApi(script) {
  const seen = [];
  const api = await startApi((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization ?? null });
    return script ? script(req, res) : undefined;
  });
  return { ...api, seen };
}

test('new ConversationsClient() reads MESSAGEMEDIA_API_KEY, _SECRET and _BASE_URL', async () => {
  const api = await recordingApi();
  try {
    await withEnv({ MESSAGEMEDIA_API_KEY: 'env-key', MESSAGEMEDIA_API_SECRET: 'env-secret', MESSAGEMEDIA_BASE_URL: api.url }, async () => {
      const client = new ConversationsClient();
      assert.equal(client.baseUrl, api.url);
      await client.listAppUsers();
      // An option set to an unset variable (undefined) counts as absent, too.
      await new ConversationsClient({ username: process.env.MM_UNSET_FOR_TEST, timeoutMs: 5000 }).listAppUsers();
    });
    assert.deepEqual(api.seen.map((r) => r.authorization), [basic('env-key', 'env-secret'), basic('env-key', 'env-secret')]);
  } finally {
    await api.close();
  }
});

test('options given in code win over the environment', async () => {
  const api = await recordingApi();
  try {
    await withEnv({ MESSAGEMEDIA_API_KEY: 'env-key', MESSAGEMEDIA_API_SECRET: 'env-secret', MESSAGEMEDIA_BASE_URL: 'http://127.0.0.1:9' }, async () => {
      const client = new ConversationsClient({ baseUrl: api.url, username: 'code-key', password: 'code-secret' });
      await client.listAppUsers();
    });
    assert.deepEqual(api.seen.map((r) => r.authorization), [basic('code-key', 'code-secret')]);
  } finally {
    await api.close();
  }
});

test('no credentials for the production API: InvalidInputError naming the options and the variables', async () => {
  await withEnv({}, async () => {
    for (const options of [undefined, {}, { username: process.env.MM_UNSET_FOR_TEST }, { baseUrl: 'https://api.messagemedia.com' }]) {
      assert.throws(() => new ConversationsClient(options), (err) => {
        assert.ok(err instanceof InvalidInputError, String(err));
        assert.equal(err.field, 'credentials');
        for (const says of ['username', 'password', 'MESSAGEMEDIA_API_KEY', 'MESSAGEMEDIA_API_SECRET', 'baseUrl']) {
          assert.ok(err.message.includes(says), `${err.message} should name ${says}`);
        }
        assert.ok(!err.message.includes('ConfigBuilder'), 'JS errors use JS names');
        return true;
      });
    }
  });
});

test('the sandbox, a proxy or a relative baseUrl need no credentials', async () => {
  const api = await recordingApi();
  try {
    await withEnv({}, async () => {
      await new ConversationsClient({ baseUrl: api.url }).listAppUsers();
      await withEnv({ MESSAGEMEDIA_BASE_URL: api.url }, () => new ConversationsClient().listAppUsers());
    });
    assert.deepEqual(api.seen.map((r) => r.authorization), [null, null]);
  } finally {
    await api.close();
  }
});

test('the original SDK surface still sends without credentials, as the original did', async () => {
  await withEnv({}, async () => {
    const lib = require('..');
    // Constructing the compat configuration must not throw: the rule is the modern client's.
    assert.equal(typeof lib.AppUsersController.getAppUsers, 'function');
  });
});

test('a 401 says to check the API key and secret', async () => {
  const api = await recordingApi(() => [401, { message: 'Unauthorized' }]);
  try {
    const client = new ConversationsClient({ baseUrl: api.url, username: 'k', password: 'wrong', maxRetries: 0 });
    await assert.rejects(client.listAppUsers(), (err) => {
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.equal(err.status, 401);
      assert.match(err.message, /check the API key and secret/);
      assert.match(err.message, /MESSAGEMEDIA_API_KEY/);
      return true;
    });
  } finally {
    await api.close();
  }
});

test('the modern client rejects ids that are not strings, sending nothing', async () => {
  const api = await recordingApi();
  try {
    const client = new ConversationsClient({ baseUrl: api.url, username: 'k', password: 'p' });
    const cases = [
      [() => client.getAppUser(42), 'appUserId', 'getAppUser'],
      [() => client.listMessages({ id: USER_ID }), 'appUserId', 'listMessages'],
      [() => client.sendMessage(undefined, { channel: 'facebook', text: 'x' }), 'appUserId', 'sendMessage'],
      [() => client.integrateFacebookPage(1234567890), 'facebookPageId', 'integrateFacebookPage'],
    ];
    for (const [run, field, method] of cases) {
      const promise = run();
      assert.equal(typeof promise.withResponse, 'function', 'still an APIPromise');
      await assert.rejects(promise, (err) => {
        assert.ok(err instanceof InvalidInputError, String(err));
        assert.equal(err.field, field);
        assert.ok(err.message.startsWith(`${method}: ${field} must be a string`), err.message);
        return true;
      });
    }
    assert.deepEqual(api.seen, []);
  } finally {
    await api.close();
  }
});

test('the compat surface keeps turning a number id into a string, as the original did', async () => {
  const api = await recordingApi();
  const lib = require('..');
  const saved = { base: lib.Configuration.BASEURI, user: lib.Configuration.basicAuthUserName, pass: lib.Configuration.basicAuthPassword };
  try {
    lib.Configuration.BASEURI = api.url;
    lib.Configuration.basicAuthUserName = 'k';
    lib.Configuration.basicAuthPassword = 'p';
    await lib.AppUsersController.getAppUserById(42).catch(() => {});
    assert.deepEqual(api.seen.map((r) => r.url), ['/beta/conversations/users/42']);
  } finally {
    lib.Configuration.BASEURI = saved.base;
    lib.Configuration.basicAuthUserName = saved.user;
    lib.Configuration.basicAuthPassword = saved.pass;
    await api.close();
  }
});

test('modern errors use the modern names and say what a value must be', async () => {
  const client = new ConversationsClient({ baseUrl: 'http://127.0.0.1:9', username: 'k', password: 'p' });
  await assert.rejects(client.sendMessage(USER_ID), (err) => {
    assert.equal(err.field, 'body');
    assert.match(err.message, /^sendMessage requires a message/);
    assert.doesNotMatch(err.message, /createSendMessage/);
    return true;
  });
  await assert.rejects(client.provisionAccount({ name: 'Shop', callbackUrl: 'not a url' }), (err) => {
    assert.ok(err instanceof InvalidInputError);
    assert.equal(err.field, 'body.callbackUrl');
    assert.match(err.message, /^body\.callbackUrl must be an http\(s\) URL/);
    return true;
  });
  // A bad baseUrl names the option as written.
  assert.throws(() => new ConversationsClient({ baseUrl: 'ftp://x', username: 'k', password: 'p' }), (err) => {
    assert.equal(err.field, 'baseUrl');
    return true;
  });
});

test('client.engine says which engine runs', () => {
  const client = new ConversationsClient({ baseUrl: 'http://127.0.0.1:9' });
  assert.equal(client.engine, process.env.CONVERSATIONS_ENGINE === 'wasm' ? 'wasm' : 'native');
});

const PKG = path.join(__dirname, '..');

/** Runs a script in a child process with the given environment; returns its stdout. */
function child(script, env, cwd = PKG) {
  return execFileSync(process.execPath, ['-e', script], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
}

const PROBE = `
try { new (require('.').ConversationsClient)({ baseUrl: 'http://127.0.0.1:9' }); console.log('ok'); }
catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }`;

test('an unknown CONVERSATIONS_ENGINE value is refused, saying what it may be', () => {
  const out = JSON.parse(child(PROBE, { CONVERSATIONS_ENGINE: 'bogus' }));
  assert.equal(out.code, 'ERR_CONVERSATIONS_ENGINE_CHOICE');
  assert.match(out.message, /CONVERSATIONS_ENGINE must be "native" or "wasm".*got "bogus"/);
});

test('a package without its engines says so without repository hints', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-noengine-'));
  try {
    for (const item of ['index.js', 'package.json', 'lib']) fs.cpSync(path.join(PKG, item), path.join(dir, item), { recursive: true });
    for (const engine of ['', 'native', 'wasm']) {
      const out = JSON.parse(child(PROBE, engine ? { CONVERSATIONS_ENGINE: engine } : {}, dir));
      assert.equal(out.code, 'ERR_CONVERSATIONS_NO_ENGINE');
      assert.doesNotMatch(out.message, /\bmake\b|cargo/, out.message);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every ConversationsClient method and option in index.d.ts has JSDoc (summary, @example; @throws on calls)', () => {
  const dts = fs.readFileSync(path.join(PKG, 'index.d.ts'), 'utf8');
  const body = dts.slice(dts.indexOf('export declare class ConversationsClient {'));
  const cls = body.slice(0, body.indexOf('\n}\n'));
  const methods = [...cls.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n {2}(\w+)\(/g)];
  const names = methods.map((m) => m[2]);
  for (const name of Object.getOwnPropertyNames(ConversationsClient.prototype)) {
    const { value } = Object.getOwnPropertyDescriptor(ConversationsClient.prototype, name);
    if (name === 'constructor' || typeof value !== 'function') continue;
    assert.ok(names.includes(name), `${name} has no JSDoc in index.d.ts`);
  }
  for (const [, doc, name] of methods) {
    if (name === 'toJSON') continue;
    assert.match(doc, /@example/, `${name}: @example`);
    if (!['close', 'watchInbound'].includes(name)) assert.match(doc, /@throws/, `${name}: @throws`);
  }
  const options = dts.slice(dts.indexOf('export interface ClientOptions {'));
  const block = options.slice(0, options.indexOf('\n}\n'));
  for (const [, name] of block.matchAll(/^ {2}(\w+)\?:/gm)) {
    assert.match(block, new RegExp(`\\*/\\n {2}${name}\\?:`), `option ${name} has JSDoc`);
  }
});
