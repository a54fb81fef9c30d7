'use strict';

// The original SDK's path lib/Http/Client/HttpContext: a call's `{ request, response }` pair.
// (The context the SDK's calls pass to callbacks has the same two fields.)
class HttpContext {
  constructor() {
    /** @type {object | null} */
    this.request = null;
    /** @type {object | null} */
    this.response = null;
  }
}

module.exports = HttpContext;
