'use strict';

// One 'abort' listener per AbortSignal, however many calls share it. Node warns
// (MaxListenersExceededWarning) when an EventTarget gets more than 10 listeners of one type, and
// the SDK promises to print nothing; one signal passed to many calls is normal use.

/** @type {WeakMap<AbortSignal, { fns: Set<() => void>, listener: () => void }>} */
const waiting = new WeakMap();

/**
 * Calls `fn` once when `signal` aborts. Returns the function that unsubscribes it; the shared
 * listener is removed when its last subscriber leaves.
 * @param {AbortSignal} signal @param {() => void} fn @returns {() => void}
 */
function onAbort(signal, fn) {
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const fns = new Set();
    entry = {
      fns,
      listener: () => {
        waiting.delete(signal);
        for (const f of fns) f();
      },
    };
    waiting.set(signal, entry);
    signal.addEventListener('abort', entry.listener, { once: true });
  }
  // Each subscription is its own Set member, even for the same function.
  const one = () => fn();
  entry.fns.add(one);
  const owner = entry;
  return () => {
    if (!owner.fns.delete(one) || owner.fns.size > 0 || waiting.get(signal) !== owner) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', owner.listener);
  };
}

module.exports = { onAbort };
