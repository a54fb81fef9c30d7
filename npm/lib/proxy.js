'use strict';

// Proxy settings from the environment, honoured the way the `request` library (used by the
// original SDK) did: HTTPS_PROXY / https_proxy for https targets (falling back to HTTP_PROXY /
// http_proxy), HTTP_PROXY / http_proxy for http targets, and NO_PROXY / no_proxy listing hosts
// that bypass the proxy: `*`, `host`, `.suffix` (or `*.suffix`), `host:port`.
// Unlike `request`, a bare `example.com` entry does not match `badexample.com`.

function env(names, source) {
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function defaultPort(protocol) {
  return protocol === 'https:' ? '443' : '80';
}

function stripHost(host) {
  return host.trim().toLowerCase().replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
}

/**
 * @param {URL} target
 * @param {string} noProxy
 */
function bypassed(target, noProxy) {
  if (noProxy.trim() === '*') return true;
  const host = stripHost(target.hostname);
  const port = target.port || defaultPort(target.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    let zone = raw;
    let zonePort;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
    if (bracketed) [, zone, zonePort] = bracketed;
    // One colon is host:port; more is a bare IPv6 address.
    else if (raw.indexOf(':') === raw.lastIndexOf(':') && raw.includes(':')) [zone, zonePort] = raw.split(':');
    zone = stripHost(zone);
    if (zonePort !== undefined && zonePort !== port) continue;
    if (host === zone || host.endsWith(`.${zone}`)) return true;
  }
  return false;
}

/**
 * The proxy URL to use for `target`, or null for a direct connection.
 * @param {URL} target
 * @param {Record<string, string | undefined>} [source] the environment (process.env by default)
 * @returns {URL | null}
 */
function proxyFor(target, source = process.env) {
  const noProxy = env(['NO_PROXY', 'no_proxy'], source);
  if (noProxy !== null && bypassed(target, noProxy)) return null;
  let proxy = null;
  if (target.protocol === 'https:') proxy = env(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'], source);
  else if (target.protocol === 'http:') proxy = env(['HTTP_PROXY', 'http_proxy'], source);
  if (proxy === null) return null;
  // `request` accepted a bare host:port.
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
}

/** The Proxy-Authorization value for credentials in the proxy URL, or null. */
function proxyAuthorization(proxy) {
  if (proxy.username === '' && proxy.password === '') return null;
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(creds).toString('base64')}`;
}

module.exports = { proxyFor, proxyAuthorization, bypassed };
