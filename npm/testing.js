'use strict';

// messagemedia-conversations-sdk/testing: the local sandbox (a stand-in of the Conversations API)
// for your own tests and demos, with no Rust toolchain: the package ships a prebuilt linux-x64
// binary (bin/conversations-sandbox-linux-x64). Elsewhere, build it from the repository
// (`cargo build -p conversations-sandbox --release`) and point CONVERSATIONS_SANDBOX_BIN at it,
// or run the Docker image (Dockerfile in the repository).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ConversationsClient } = require('./lib/client');

const DEFAULT_KEY = 'sandbox-key';
const DEFAULT_SECRET = 'sandbox-secret';

/**
 * The sandbox binary for this platform: CONVERSATIONS_SANDBOX_BIN, the prebuilt one in the
 * package, or (in the SDK's own repository) cargo's debug build.
 * @returns {string}
 * @throws {Error} code ERR_CONVERSATIONS_NO_SANDBOX, saying how to get one
 */
function sandboxBinary() {
  const fromEnv = process.env.CONVERSATIONS_SANDBOX_BIN;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw noSandbox(`CONVERSATIONS_SANDBOX_BIN points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const shipped = path.join(__dirname, 'bin', `conversations-sandbox-${process.platform}-${process.arch}`);
  if (fs.existsSync(shipped)) {
    // Some package managers drop the executable bit of files that are not `bin` entries.
    try {
      fs.accessSync(shipped, fs.constants.X_OK);
    } catch {
      try { fs.chmodSync(shipped, 0o755); } catch (err) { throw noSandbox(`${shipped} is not executable and cannot be made so (${err.code})`); }
    }
    return shipped;
  }
  // Inside the SDK's repository (npm/ next to target/): the build `make sandbox-bin` makes.
  const dev = path.join(__dirname, '..', 'target', 'debug', 'conversations-sandbox');
  if (fs.existsSync(path.join(__dirname, '..', 'sandbox', 'Cargo.toml')) && fs.existsSync(dev)) return dev;
  throw noSandbox(`no prebuilt sandbox for ${process.platform}-${process.arch} (the package ships linux-x64 only)`);
}

function noSandbox(why) {
  const err = new Error(`messagemedia-conversations-sdk/testing: ${why}. Build one from the SDK repository with `
    + '`cargo build -p conversations-sandbox --release` and set CONVERSATIONS_SANDBOX_BIN=target/release/conversations-sandbox, '
    + 'or run it in Docker: `docker build -t conversations-sandbox . && docker run -p 8080:8080 conversations-sandbox`.');
  err.code = 'ERR_CONVERSATIONS_NO_SANDBOX';
  return err;
}

const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// The control endpoints' answers in camelCase, except `event`: that is the callback body exactly
// as delivered (the wire format), e.g. to feed parseCallback or a handler in a test.
function camelDeep(value) {
  if (Array.isArray(value)) return value.map(camelDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), k === 'event' ? v : camelDeep(v)]));
}

function checkStartOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('startSandbox options must be an object');
  const known = ['seedDemo', 'port', 'host', 'data', 'key', 'secret'];
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new TypeError(`startSandbox: unknown option ${k} (known: ${known.join(', ')})`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`startSandbox: port must be an integer 0–65535, got ${String(port)}`);
  for (const k of ['host', 'data', 'key', 'secret']) {
    if (options[k] !== undefined && (typeof options[k] !== 'string' || options[k] === '')) {
      throw new TypeError(`startSandbox: ${k} must be a non-empty string`);
    }
  }
  return port;
}

/**
 * Starts a sandbox (a local stand-in of the Conversations API) in a child process.
 * @param {import('./testing').StartSandboxOptions} [options]
 * @returns {Promise<import('./testing').Sandbox>}
 */
async function startSandbox(options = {}) {
  const port = checkStartOptions(options);
  const bin = sandboxBinary();
  const username = options.key ?? DEFAULT_KEY;
  const password = options.secret ?? DEFAULT_SECRET;
  const args = ['--port', String(port), '--key', username, '--secret', password];
  if (options.host) args.push('--host', options.host);
  if (options.seedDemo) args.push('--seed-demo');
  if (options.data) args.push('--data', path.resolve(options.data));
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The sandbox must not outlive the test process that started it.
  const killOnExit = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.once('exit', killOnExit);

  const url = await new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) { child.stdout.off('data', onData); resolve(m[1]); }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => { output += c; });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (code ${code}) before listening: ${output.trim()}`)));
    child.once('error', (err) => reject(new Error(`could not start the sandbox at ${bin}: ${err.message}`)));
  }).catch((err) => { process.off('exit', killOnExit); throw err; });
  // After start: keep reading so a full pipe never blocks it.
  child.stdout.resume();
  child.stderr.resume();
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  /** A control call (`/sandbox/*`), with the sandbox's credentials and a JSON body. */
  async function control(method, route, body) {
    const res = await fetch(`${url}/sandbox/${route}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* reported below */ }
    if (!res.ok) {
      const message = (json && json.message) || text || `HTTP ${res.status}`;
      const hint = res.status === 409 ? ' (start with seedDemo: true, or provision the account and integrate a page first)' : '';
      const err = new Error(`sandbox ${method} /sandbox/${route}: ${res.status} ${message}${hint}`);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  let closed = null;
  return {
    url,
    username,
    password,
    /** A ConversationsClient for this sandbox; `options` are merged over its URL and credentials. */
    client(clientOptions = {}) {
      return new ConversationsClient({ baseUrl: url, username, password, ...clientOptions });
    },
    /**
     * A Facebook user writes to the page: stores a RECEIVED message and, when the account has a
     * callback URL, delivers the event to it. Extra fields (e.g. rich-message ones) are passed on in snake_case.
     */
    async simulateInbound(message) {
      if (message === null || typeof message !== 'object') throw new TypeError('simulateInbound({ text, appUserId?, givenName?, surname?, pageId? })');
      const { appUserId, givenName, surname, pageId, ...rest } = message;
      const { state } = await control('GET', 'state');
      const user = appUserId === undefined ? null : state.users.find((u) => u.id === appUserId);
      if (appUserId !== undefined && !user) throw new Error(`simulateInbound: no app user ${appUserId} in the sandbox`);
      const page = pageId ?? (user && user.page_id) ?? state.integrated_pages[0];
      if (!page) throw new Error('simulateInbound: no Facebook page is integrated (start with seedDemo: true, or integrate a page first)');
      const body = {
        page_id: page,
        given_name: givenName ?? (user ? user.given_name : 'Alex'),
        surname: surname ?? (user ? user.surname : 'Tester'),
      };
      for (const [k, v] of Object.entries(rest)) body[snake(k)] = v;
      return camelDeep(await control('POST', 'inbound', body));
    },
    /** The callback deliveries the sandbox made (or is still retrying), oldest first. */
    async deliveries() {
      return camelDeep((await control('GET', 'deliveries')).data);
    },
    /** Stops the sandbox (state in `data`, if given, is already on disk). */
    close() {
      if (!closed) {
        closed = new Promise((resolve) => {
          process.off('exit', killOnExit);
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      return closed;
    },
  };
}

module.exports = { startSandbox, sandboxBinary };
