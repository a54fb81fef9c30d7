'use strict';

// Which I/O a client uses in Node. The browser build replaces this module with
// transports-browser.js, so node:http never enters a browser's module graph.

const { NodeTransport } = require('./transport-node');
const { FetchTransport } = require('./transport-fetch');

/**
 * `fetch` option → that fetch; otherwise node:http, whichever the engine. In Node the wasm engine
 * is a fallback for the protocol only: its own fetch I/O (`execute`, what browsers use) would pay
 * Node's fetch overhead (about twice a keep-alive node:http call) and ignore agents, CAs, proxies
 * and interceptors.
 * @param {{ fetch?: Function, agent?: object, ca?: unknown }} options checked client options
 */
function createTransport(options) {
  if (options.fetch) return new FetchTransport(options.fetch);
  return new NodeTransport({ agent: options.agent, ca: options.ca });
}

module.exports = { createTransport };
