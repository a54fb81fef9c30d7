'use strict';

// Client options. Both surfaces: the checks of client and call options (types, known keys, lone
// surrogates, credentials in a browser) and their mapping onto the engine's configuration.
// The modern client (ConversationsClient) only: environment defaults, the engine flag that
// refuses the production API without credentials (the rule and its message are core's),
// argument checks with the modern names, and a 401's hint; the original SDK did none of that.

const { invalidInput } = require('./errors');


const LEVELS = ['debug', 'info', 'warn', 'error'];

const OPTION_TYPES = {
  username: 'string',
  password: 'string',
  baseUrl: 'string',
  userAgent: 'string',
  timeoutMs: 'number',
  deadlineMs: 'number',
  maxRetries: 'number',
  maxResponseBytes: 'number',
  fetch: 'function',
  agent: 'object',
  logger: 'object',
  ca: 'ca',
  transport: 'transport',
  allowBrowserCredentials: 'boolean',
};
// Client option → Engine constructor key (ENGINE.md); the rest are the JS layer's own.
// core/tests/js_copies.rs checks the keys against core's EngineConfig.
const ENGINE_KEYS = {
  baseUrl: 'baseUrl', username: 'username', password: 'password', userAgent: 'userAgentSuffix',
  maxRetries: 'maxRetries', timeoutMs: 'timeoutMs', deadlineMs: 'deadlineMs', maxResponseBytes: 'maxResponseBytes',
};

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// An unpaired UTF-16 surrogate: the engines receive strings as UTF-8, where it would silently
// become U+FFFD (two different ids or passwords would become one).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` is well-formed UTF-16 (no lone surrogate). */
function wellFormed(text) {
  return typeof text.isWellFormed === 'function' ? text.isWellFormed() : !LONE_SURROGATE.test(text);
}

function surrogateError(field) {
  return invalidInput(`${field} contains a lone surrogate (an unpaired UTF-16 code unit), which cannot be sent `
    + 'without changing it: check how the string was built or decoded', field);
}

// The `transport` option's values (transports.js): the native engine's Rust I/O, or node:http.
const TRANSPORT_NAMES = ['rust', 'node'];

function isCa(value) {
  const one = (v) => typeof v === 'string' || v instanceof Uint8Array;
  return one(value) || (Array.isArray(value) && value.every(one));
}

function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalidInput(`options must be an object, got ${typeName(options)}`, 'options');
  }
  for (const name of Object.keys(options)) {
    const want = OPTION_TYPES[name];
    const value = options[name];
    if (want === undefined) {
      throw invalidInput(`unknown option "${name}" (known options: ${Object.keys(OPTION_TYPES).join(', ')})`, name);
    }
    if (value === undefined) continue;
    if (want === 'transport') {
      if (!TRANSPORT_NAMES.includes(value)) {
        throw invalidInput(`option "transport" must be "rust" (the native engine's Rust I/O) or "node" (node:http), `
          + `got ${typeof value === 'string' ? JSON.stringify(value) : typeName(value)}`, name);
      }
      continue;
    }
    const ok = want === 'ca' ? isCa(value) : typeName(value) === want;
    if (!ok) {
      const expected = want === 'ca' ? 'a string, Uint8Array or array of them' : `a ${want}`;
      throw invalidInput(`option "${name}" must be ${expected}, got ${typeName(value)}`, name);
    }
    if (want === 'string' && !wellFormed(value)) throw surrogateError(name);
  }
  if (options.logger) {
    for (const level of LEVELS) {
      const fn = options.logger[level];
      if (fn !== undefined && typeof fn !== 'function') {
        throw invalidInput(`option "logger": logger.${level} must be a function, got ${typeName(fn)}`, 'logger');
      }
    }
  }
  if (options.agent && typeof options.agent.addRequest !== 'function') {
    throw invalidInput('option "agent" must be an http.Agent or https.Agent', 'agent');
  }
  if ((options.username !== undefined || options.password !== undefined)
    && options.allowBrowserCredentials !== true && inBrowser()) {
    throw invalidInput('refusing to send Basic credentials from a browser, where anyone who can open the page can read them: '
      + 'point baseUrl at your own backend, which adds them, or pass allowBrowserCredentials: true', 'allowBrowserCredentials');
  }
  return options;
}

// A page or a browser worker (Deno and edge runtimes have neither a document nor importScripts).
// Read at call time: nothing browser-only is touched when the module loads.
function inBrowser() {
  return typeof globalThis.document === 'object' || typeof globalThis.importScripts === 'function';
}

// In a page a relative baseUrl ('/api/conversations', the recommended proxy setup) means the
// page's own origin; core takes absolute URLs only.
function absoluteBaseUrl(baseUrl) {
  const here = globalThis.location;
  if (typeof baseUrl !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(baseUrl) || !here || typeof here.href !== 'string') return baseUrl;
  try {
    return new URL(baseUrl, here.href).href.replace(/\/$/, '');
  } catch {
    return baseUrl;
  }
}

function checkCallOptions(call) {
  if (call === undefined || call === null) return null;
  if (typeof call !== 'object') throw invalidInput(`call options must be an object, got ${typeName(call)}`, 'options');
  for (const name of Object.keys(call)) {
    if (name !== 'signal' && name !== 'timeoutMs') {
      throw invalidInput(`unknown call option "${name}" (known: signal, timeoutMs)`, name);
    }
  }
  const { signal, timeoutMs } = call;
  if (signal !== undefined && signal !== null
    && (typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || !('aborted' in signal))) {
    throw invalidInput('call option "signal" must be an AbortSignal', 'signal');
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw invalidInput(`call option "timeoutMs" must be a positive number, got ${typeName(timeoutMs)} ${String(timeoutMs)}`, 'timeoutMs');
  }
  return call;
}

/**
 * The Engine constructor's configuration (ENGINE.md) for checked client options.
 * @param {object} options checked client options
 * @param {object} [engineExtra] engine configuration the surface adds (MODERN_ENGINE)
 */
function engineConfig(options, engineExtra) {
  const config = { ...engineExtra };
  for (const [name, key] of Object.entries(ENGINE_KEYS)) {
    if (options[name] !== undefined) config[key] = options[name];
  }
  if (config.baseUrl !== undefined) config.baseUrl = absoluteBaseUrl(config.baseUrl);
  return config;
}

/** Environment variables read when the matching options are absent (Node, Deno, Bun; never a browser). */
const ENV = Object.freeze({
  username: 'MESSAGEMEDIA_API_KEY',
  password: 'MESSAGEMEDIA_API_SECRET',
  baseUrl: 'MESSAGEMEDIA_BASE_URL',
});

// Engine configuration the modern client adds (ENGINE.md): refuse production without credentials.
const MODERN_ENGINE = Object.freeze({ requireCredentials: true });

/** The process environment, or null where there is none (browsers, workers, Deno without --allow-env). */
function environment() {
  try {
    const env = typeof process === 'object' && process !== null ? process.env : undefined;
    return env !== null && typeof env === 'object' ? env : null;
  } catch {
    return null; // Deno throws without --allow-env: then there is no environment to read.
  }
}

function variable(env, name) {
  const value = env[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The checked options with the environment's defaults filled in: credentials from
 * MESSAGEMEDIA_API_KEY / MESSAGEMEDIA_API_SECRET when neither `username` nor `password` is given,
 * `baseUrl` from MESSAGEMEDIA_BASE_URL when absent. An option that is undefined (e.g.
 * `username: process.env.UNSET`) counts as absent; an option given is never overridden.
 * @param {object} options checked options (checkOptions)
 * @param {boolean} browser whether the client runs in a page or a browser worker
 * @returns {object}
 */
function withEnvironment(options, browser) {
  const env = browser ? null : environment();
  if (env === null) return options;
  const out = { ...options };
  if (out.username === undefined && out.password === undefined) {
    out.username = variable(env, ENV.username);
    out.password = variable(env, ENV.password);
  }
  if (out.baseUrl === undefined) out.baseUrl = variable(env, ENV.baseUrl);
  return out;
}

/**
 * The InvalidInputError for an id that is not a string, or null: the modern client never guesses
 * (a number is not turned into a string, as the original SDK's surface still does).
 * @param {unknown} id
 * @param {string} name the parameter's name (appUserId, facebookPageId)
 * @param {string} method the client method, for the message
 */
function idProblem(id, name, method) {
  if (typeof id === 'string') return null;
  return invalidInput(`${method}: ${name} must be a string (the id as the API returned it), got ${typeName(id)}`, name);
}

/**
 * The InvalidInputError for a missing or non-object body, or null.
 * @param {unknown} body
 * @param {string} name the parameter's name (message, account)
 * @param {string} method the client method
 * @param {string} example a minimal valid value, shown in the message
 */
function bodyProblem(body, name, method, example) {
  if (body !== undefined && body !== null && typeof body === 'object' && !Array.isArray(body)) return null;
  return invalidInput(`${method} requires ${name}: an object such as ${example}, got ${typeName(body)}`, 'body');
}

const AUTH_HINT = ': check the API key and secret (the username and password options, or '
  + `${ENV.username} and ${ENV.password})`;

/**
 * Adds what to do to a 401 from the API (the modern client's errors only).
 * @param {Error & { status?: number | null, errorMessage?: string }} error
 */
function explain(error) {
  if (error.status === 401 && typeof error.message === 'string' && !error.message.endsWith(AUTH_HINT)) {
    error.message += AUTH_HINT;
    if (typeof error.errorMessage === 'string') error.errorMessage = error.message;
  }
}

module.exports = {
  ENV, MODERN_ENGINE, TRANSPORT_NAMES, checkOptions, checkCallOptions, engineConfig, inBrowser, wellFormed, surrogateError,
  withEnvironment, idProblem, bodyProblem, explain,
};
