'use strict';

// Which I/O a client uses in Node. The browser build replaces this module with
// transports-browser.js, so node:http never enters a browser's module graph.

const { NodeTransport } = require('./transport-node');
const { FetchTransport } = require('./transport-fetch');
const { EngineTransport } = require('./transport-engine');

// Node's fetch ignores these; node:http honours them (see proxy.js).
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * `fetch` option → that fetch; the wasm engine → its own fetch I/O (`execute`) unless an agent,
 * a CA or an environment proxy asks for node:http; otherwise node:http.
 * @param {{ fetch?: Function, agent?: object, ca?: unknown }} options checked client options
 * @param {any} engine
 */
function createTransport(options, engine) {
  if (options.fetch) return new FetchTransport(options.fetch);
  const proxied = PROXY_VARS.some((name) => typeof process.env[name] === 'string' && process.env[name] !== '');
  if (typeof engine.execute === 'function' && !options.agent && options.ca === undefined && !proxied) {
    return new EngineTransport(engine);
  }
  return new NodeTransport({ agent: options.agent, ca: options.ca });
}

module.exports = { createTransport };
