'use strict';

// Which I/O a client uses in browsers, workers and Deno (the wasm build; see transports.js for
// Node): the `fetch` option if given, else the engine's own fetch I/O.

const { FetchTransport } = require('./transport-fetch');
const { EngineTransport } = require('./transport-engine');
const { invalidInput } = require('./errors');

/**
 * @param {{ fetch?: Function, agent?: object, ca?: unknown, transport?: string }} options checked client options
 * @param {any} engine
 */
function createTransport(options, engine) {
  const nodeOnly = options.agent ? 'agent' : options.ca !== undefined ? 'ca' : options.transport !== undefined ? 'transport' : null;
  if (nodeOnly !== null) throw invalidInput(`option "${nodeOnly}" is only available in Node`, nodeOnly);
  if (options.fetch) return new FetchTransport(options.fetch);
  return new EngineTransport(engine);
}

module.exports = { createTransport };
