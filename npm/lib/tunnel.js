'use strict';

// The https-through-a-proxy tunnel of the Node transport (transport-node.js): an https Agent
// that opens each connection with an HTTP CONNECT to the proxy, then TLS over it. node:https and
// node:tls load on first use: together they are about half of what requiring the package costs
// a bare process (bench/RESULTS.md, import cost).

const http = require('node:http');
const { proxyAuthorization } = require('./proxy');

let httpsModule = null;
/** node:https, loaded on first use. */
const httpsLib = () => (httpsModule ??= require('node:https'));

let TunnelAgentClass = null;
/** The TunnelAgent class, defined on first use (it extends https.Agent). */
function tunnelAgent() {
  return (TunnelAgentClass ??= defineTunnelAgent());
}

function defineTunnelAgent() {
  /** An https Agent that reaches its targets through an HTTP CONNECT tunnel, then TLS. */
  return class TunnelAgent extends httpsLib().Agent {
    #auth;

    constructor(proxy, options) {
      super(options);
      this.proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
      this.proxyPort = Number(proxy.port) || 80;
      // Private: util.inspect of the agent (or of a request holding it) must not show it.
      this.#auth = proxyAuthorization(proxy);
      /** CONNECTs not answered yet, by the request waiting on each: ended with that request. */
      this.connecting = new Map();
      this.creatingFor = null;
    }

    // Node's Agent does not tell createConnection which request the socket is for; createSocket
    // does, and calls createConnection synchronously.
    createSocket(req, options, cb) {
      this.creatingFor = req;
      try {
        super.createSocket(req, options, cb);
      } finally {
        this.creatingFor = null;
      }
    }

    createConnection(options, callback) {
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      const authority = `${host}:${options.port}`;
      const connect = http.request({
        host: this.proxyHost, port: this.proxyPort, method: 'CONNECT', path: authority, headers: { host: authority }, agent: false,
      });
      // Set after creation: NODE_DEBUG=http prints a request's options when it connects.
      if (this.#auth !== null) connect.setHeader('proxy-authorization', this.#auth);
      let done = false;
      // A request destroyed while it waits for its socket emits nothing until the socket comes,
      // so the transport says when it gives up on one (abandon below).
      const req = this.creatingFor ?? connect;
      const settle = (err, socket) => {
        if (done) return;
        done = true;
        if (this.connecting.get(req) === onGone) this.connecting.delete(req);
        callback(err, socket);
      };
      // A proxy that accepts the connection and never answers would hold this socket (and the
      // process) forever: it goes when the attempt that waits on it ends (timeout, abort).
      const onGone = () => {
        connect.destroy();
        const err = new Error(`CONNECT ${authority} abandoned: the request ended first`);
        err.code = 'ECONNRESET';
        settle(err);
      };
      this.connecting.set(req, onGone);
      connect.once('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          const err = new Error(`CONNECT ${authority} answered ${res.statusCode}`);
          err.code = 'ERR_PROXY_CONNECT';
          settle(err);
          return;
        }
        if (done) {
          socket.destroy();
          return;
        }
        settle(null, require('node:tls').connect({ ...options, socket, servername: options.servername || options.host }));
      });
      connect.once('error', (err) => settle(err));
      connect.end();
      // The socket arrives through `callback` (supported by http.Agent#createSocket).
      return undefined;
    }

    /** `req` was given up (timed out, aborted): the CONNECT it waits on, if any, ends too. */
    abandon(req) {
      this.connecting.get(req)?.();
    }

    /** Destroys every socket, CONNECTs in progress included. */
    destroy() {
      for (const onGone of [...this.connecting.values()]) onGone();
      super.destroy();
    }
  };
}

module.exports = { httpsLib, tunnelAgent };
