'use strict';

// The original SDK's path lib/Http/Response/HttpResponse: the fields of a response description.
class HttpResponse {
  constructor() {
    this.statusCode = null;
    this.body = null;
    this.headers = null;
  }
}

module.exports = HttpResponse;
