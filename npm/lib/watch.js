'use strict';

// client.watchInbound(): inbound messages without a public callback URL, by polling the
// documented endpoints. Each poll costs 1 + N API calls (N = number of app users): list the users,
// then each user's messages. Messages have no id, so "new" means not seen in an earlier poll:
// a multiset of (user, direction, timestamp, text) per user, so two equal messages still count twice.

const DEFAULT_INTERVAL_MS = 2000;

function checkOptions(options) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') throw new TypeError('watchInbound options must be an object');
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 0) {
    throw new TypeError(`intervalMs must be a non-negative number of milliseconds, got ${String(intervalMs)}`);
  }
  let since = options.since ?? Date.now();
  if (since instanceof Date) since = since.getTime();
  else if (typeof since === 'string') since = Date.parse(since);
  if (typeof since !== 'number' || Number.isNaN(since)) {
    throw new TypeError('since must be a Date, an RFC 3339 string or a number of ms since the epoch');
  }
  const { signal } = options;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw new TypeError('signal must be an AbortSignal');
  }
  return { intervalMs, since, signal };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal) signal.addEventListener('abort', done, { once: true });
  });
}

/** An error a later poll may not repeat (timeouts, connection failures, 5xx, 429). */
function transient(err) {
  if (!err || typeof err !== 'object') return false;
  if (err.code === 'timeout' || err.code === 'transport') return true;
  return err.code === 'api' && (err.status === 429 || err.status >= 500);
}

/**
 * @param {import('./client').ConversationsClient} client
 * @param {import('../index').WatchInboundOptions} [options]
 * @returns {AsyncGenerator<import('../index').InboundMessage>}
 */
function watchInbound(client, options) {
  const { intervalMs, since, signal } = checkOptions(options);
  const seen = new Map(); // user id → Map(message key → count seen)

  async function poll() {
    const users = await client.listAppUsers({ signal });
    const found = [];
    for (const user of users.data) {
      let history;
      try {
        history = await client.listMessages(user.id, { signal });
      } catch (err) {
        if (err && err.status === 404) continue; // the user went away between the two calls
        throw err;
      }
      const counts = new Map();
      let known = seen.get(user.id);
      if (!known) seen.set(user.id, (known = new Map()));
      for (const message of history.messages.data) {
        if (message.direction !== 'RECEIVED') continue;
        const key = `${message.timestamp}\n${message.text}\n${message.channel}`;
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        if (n <= (known.get(key) ?? 0)) continue;
        known.set(key, n);
        const at = Date.parse(message.timestamp);
        if (!Number.isNaN(at) && at < since) continue;
        found.push({ appUser: user, message });
      }
    }
    // Oldest first across users; the sort is stable, so each user's order is kept.
    return found.sort((a, b) => (Date.parse(a.message.timestamp) || 0) - (Date.parse(b.message.timestamp) || 0));
  }

  return (async function* inbound() {
    let first = true;
    while (!(signal && signal.aborted)) {
      if (!first) await pause(intervalMs, signal);
      first = false;
      if (signal && signal.aborted) return;
      let batch;
      try {
        batch = await poll();
      } catch (err) {
        if (signal && signal.aborted) return;
        if (transient(err)) continue; // the client already retried; try again next poll
        throw err;
      }
      for (const item of batch) {
        if (signal && signal.aborted) return;
        yield item;
      }
    }
  })();
}

module.exports = { watchInbound, DEFAULT_INTERVAL_MS };
