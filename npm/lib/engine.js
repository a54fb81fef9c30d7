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
      return require(path.join(__dirname, '..', file)).Engine;
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
    problems.push(`wasm engine: ${missing ? 'not built (make wasm)' : err.message}`);
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
  const problems = [];
  let Engine = null;
  if (choice === 'wasm') Engine = loadWasm(problems);
  else if (choice === 'native') Engine = loadNative(problems);
  else Engine = loadNative(problems) ?? loadWasm(problems);
  if (typeof Engine !== 'function') {
    const err = new Error(
      `messagemedia-conversations-sdk: no engine could be loaded for ${process.platform}-${process.arch}` +
      `${choice ? ` (CONVERSATIONS_ENGINE=${choice})` : ''}: ${problems.join('; ')}`,
    );
    err.code = 'ERR_CONVERSATIONS_NO_ENGINE';
    throw err;
  }
  loaded = Engine;
  return Engine;
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

module.exports = { getEngine, defaultBaseUrl };
