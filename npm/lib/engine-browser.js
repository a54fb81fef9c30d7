'use strict';

// The browser build's engine slot (it replaces engine.js, which reads files with node:fs). The
// wasm entry (browser.mjs) instantiates the module and hands its Engine class here before any
// client can exist.

let Engine = null;
let defaultBase;

/** @param {new (config: object) => any} cls the wasm Engine class */
function useEngine(cls) {
  Engine = cls;
}

/** @returns {new (config: object) => any} */
function getEngine() {
  if (Engine === null) {
    const err = new Error('messagemedia-conversations-sdk: the wasm engine is not initialised (import the package entry, not lib/)');
    err.code = 'ERR_CONVERSATIONS_NO_ENGINE';
    throw err;
  }
  return Engine;
}

/** The engine's default base URL (see engine.js). */
function defaultBaseUrl() {
  if (defaultBase === undefined) defaultBase = new (getEngine())({}).policy().baseUrl;
  return defaultBase;
}

module.exports = { getEngine, defaultBaseUrl, useEngine };
