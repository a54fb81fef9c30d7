'use strict';

// The ONE place that chooses and loads an engine (see ENGINE.md). Everything else receives the
// Engine class from here, so the wasm engine can later slot in without touching the JS layer.
//   CONVERSATIONS_ENGINE=native  → the napi addon only
//   CONVERSATIONS_ENGINE=wasm    → the wasm engine (npm/wasm/, built by `make wasm`)
//   unset                        → the native addon for this platform, falling back to wasm
// Loading is lazy: requiring the package never fails, constructing a client does.

const fs = require('node:fs');
const path = require('node:path');

let loaded = null;
let loadedKind = null;
// The native addon's exports once it is the engine in use (its `Io` is the Rust I/O).
let nativeModule = null;
const CHOICES = ['native', 'wasm'];

function nativeCandidates() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    // glibc first: that is what `make addon` builds; musl for Alpine-style systems.
    return [`conversations.linux-${arch}-gnu.node`, `conversations.linux-${arch}-musl.node`];
  }
  if (platform === 'win32') return [`conversations.win32-${arch}-msvc.node`];
  return [`conversations.${platform}-${arch}.node`];
}

function loadNative(problems) {
  for (const file of nativeCandidates()) {
    try {
      // eslint-disable-next-line import/no-dynamic-require -- the file name depends on the platform.
      const addon = require(path.join(__dirname, '..', file));
      nativeModule = addon;
      return addon.Engine;
    } catch (err) {
      problems.push(`${file}: ${err && err.code === 'MODULE_NOT_FOUND' ? 'not found' : err.message}`);
    }
  }
  return null;
}

// The browser build's module, as CommonJS (wasm/conversations.cjs, made from wasm-bindgen's
// --target web output by bindings-wasm/package.mjs), instantiated synchronously from the bytes.
function loadWasm(problems) {
  const dir = path.join(__dirname, '..', 'wasm');
  try {
    const glue = require(path.join(dir, 'conversations.cjs'));
    glue.initSync({ module: fs.readFileSync(path.join(dir, 'conversations_bg.wasm')) });
    return glue.Engine;
  } catch (err) {
    const missing = err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ENOENT');
    // No repository hints: npm users cannot build it; a package without it is an incomplete install.
    problems.push(`wasm engine: ${missing ? 'missing from the package (reinstall messagemedia-conversations-sdk)' : err.message}`);
    return null;
  }
}

/**
 * Returns the Engine class (constructor of ENGINE.md), loading it on first use.
 * @returns {new (config: object) => any}
 */
function getEngine() {
  if (loaded !== null) return loaded;
  const choice = (typeof process === 'object' && process.env && process.env.CONVERSATIONS_ENGINE) || '';
  if (choice !== '' && !CHOICES.includes(choice)) {
    const err = new Error(`messagemedia-conversations-sdk: CONVERSATIONS_ENGINE must be "native" or "wasm" (or unset to choose `
      + `the native addon, falling back to wasm), got ${JSON.stringify(choice)}`);
    err.code = 'ERR_CONVERSATIONS_ENGINE_CHOICE';
    throw err;
  }
  const problems = [];
  let Engine = null;
  let kind = 'wasm';
  if (choice === 'wasm') Engine = loadWasm(problems);
  else if (choice === 'native') {
    Engine = loadNative(problems);
    kind = 'native';
  } else {
    Engine = loadNative(problems);
    if (Engine !== null) kind = 'native';
    else Engine = loadWasm(problems);
  }
  if (typeof Engine !== 'function') {
    const err = new Error(
      `messagemedia-conversations-sdk: no engine could be loaded for ${process.platform}-${process.arch}` +
      `${choice ? ` (CONVERSATIONS_ENGINE=${choice})` : ''}: ${problems.join('; ')}`,
    );
    err.code = 'ERR_CONVERSATIONS_NO_ENGINE';
    throw err;
  }
  loaded = Engine;
  loadedKind = kind;
  return Engine;
}

/**
 * Which engine is in use, loading it if needed: `'native'` (the napi addon) or `'wasm'`.
 * @returns {'native' | 'wasm'}
 */
function engineKind() {
  getEngine();
  return loadedKind;
}

/**
 * The native addon's Rust I/O class (ENGINE.md, "Rust I/O"), or null: with the wasm engine, or an
 * addon built before it had one.
 * @returns {(new (onDone: Function, options: object) => any) | null}
 */
function nativeIo() {
  getEngine();
  if (loadedKind !== 'native' || nativeModule === null) return null;
  return typeof nativeModule.Io === 'function' ? nativeModule.Io : null;
}

let defaultBase;
/**
 * The engine's default base URL, for display (compat `Configuration.BASEURI`, `inspect(client)`).
 * Prefers `policy().baseUrl` when an engine reports it; otherwise reads the origin of a request the
 * engine builds for a parameterless operation, so the default is stated only in core.
 */
function defaultBaseUrl() {
  if (defaultBase !== undefined) return defaultBase;
  const Engine = getEngine();
  const engine = new Engine({});
  defaultBase = engine.policy().baseUrl;
  return defaultBase;
}

module.exports = { getEngine, defaultBaseUrl, engineKind, nativeIo };
