'use strict';

// The JS half of the Rust-I/O prototype (native/src/lib.rs): a promise per call over the addon's
// `call(ticket, op, id, bodyJson)`, settled when the addon hands `onDone(ticket, text)` the
// engine's envelope. Tickets index a slot array and are reused, so a call allocates its promise
// and nothing else on this side.

class RustIo {
  /**
   * @param {{ create: Function }} addon the prototype addon
   * @param {object} config the engine's configuration (npm/ENGINE.md)
   */
  constructor(addon, config) {
    const slots = [];
    const free = [];
    this.slots = slots;
    this.free = free;
    this.native = addon.create(JSON.stringify(config), (ticket, text) => {
      const settle = slots[ticket];
      slots[ticket] = undefined;
      free.push(ticket);
      settle(text);
    });
  }

  /** Resolves the operation's OUTPUT; rejects with the engine's error or the I/O failure. */
  call(op, id, bodyJson) {
    return new Promise((resolve, reject) => {
      const ticket = this.free.length > 0 ? this.free.pop() : this.slots.length;
      const invalid = this.native(ticket, op, id, bodyJson);
      if (invalid !== undefined) {
        this.free.push(ticket);
        reject(new Error(JSON.parse(invalid).error.message));
        return;
      }
      this.slots[ticket] = (text) => {
        const out = JSON.parse(text);
        if (out.ok !== undefined) resolve(out.ok);
        else reject(new Error(out.error?.message ?? `${out.failure}: ${out.message}`));
      };
    });
  }
}

module.exports = { RustIo };
