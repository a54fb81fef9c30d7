'use strict';

// The original SDK's path lib/Http/Request/HttpRequest: the fields of a request description.
class HttpRequest {
  constructor() {
    this.method = null;
    this.headers = {};
    this.queryUrl = null;
    this.formData = null;
    this.form = null;
    this.username = null;
    this.password = null;
    this.body = null;
  }
}

module.exports = HttpRequest;
