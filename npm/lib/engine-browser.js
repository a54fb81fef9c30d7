'use strict';

// The browser build's engine slot (it replaces engine.js, which reads files with node:fs). Each
// wasm entry (browser.mjs and the entries built from it) registers how to get the Engine class;
// it is loaded when the first client is made, so importing the package compiles nothing.

let load = null;
let Engine = null;
let defaultBase;

/** @param {() => new (config: object) => any} loader returns the wasm Engine class (instantiating the module once) */
function useEngine(loader) {
  load = loader;
  Engine = null;
}

/** @returns {new (config: object) => any} */
function getEngine() {
  if (Engine !== null) return Engine;
  if (load === null) {
    const err = new Error('messagemedia-conversations-sdk: the wasm engine is not initialised (import the package entry, not lib/)');
    err.code = 'ERR_CONVERSATIONS_NO_ENGINE';
    throw err;
  }
  try {
    Engine = load();
  } catch (cause) {
    const err = new Error(`messagemedia-conversations-sdk: the wasm engine could not be instantiated: ${cause && cause.message}`, { cause });
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

/** The browser build has one engine: `'wasm'`. */
function engineKind() {
  getEngine();
  return 'wasm';
}

module.exports = { getEngine, defaultBaseUrl, useEngine, engineKind };
