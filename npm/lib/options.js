'use strict';

// What the modern client (ConversationsClient) adds to the options it is given, apart from the
// option checks in client.js: environment defaults, the engine flag that refuses the production
// API without credentials (the rule and its message are core's), argument checks with the modern
// names, and a 401's hint. The compat surface uses none of it: the original did none of it.

const { invalidInput } = require('./errors');

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
 * @param {object} options checked options (client.js checkOptions)
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

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
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

module.exports = { ENV, MODERN_ENGINE, withEnvironment, idProblem, bodyProblem, explain };
