'use strict';

// The original SDK's path lib/Http/Client/RequestClient: sends one HttpRequest-shaped object
// and calls back `(error, response, context)`, for code that used it directly. Built on the
// platform's fetch (the original used the `request` package); the SDK's own calls do not use
// it (they go through the engine, with its timeouts, retries and redaction).

const HttpContext = require('./HttpContext');
const HttpResponse = require('../Response/HttpResponse');
const APIHelper = require('../../APIHelper');

/**
 * @param {{ queryUrl: string, method: string, headers?: Record<string, string>, body?: string | null,
 *   form?: object | null, username?: string | null, password?: string | null }} req
 * @param {(error: Error | null, response: HttpResponse, context: HttpContext) => void} callback
 */
function executeRequest(req, callback) {
  const context = new HttpContext();
  context.request = req;
  const headers = { ...(req.headers || {}) };
  let { body } = req;
  if (req.form) {
    body = APIHelper.urlEncodeObject(req.form);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (req.username) {
    headers.authorization = `Basic ${Buffer.from(`${req.username}:${req.password ?? ''}`).toString('base64')}`;
  }
  const response = new HttpResponse();
  context.response = response;
  fetch(req.queryUrl, { method: req.method, headers, body: body || undefined, redirect: 'manual' })
    .then(async (res) => {
      response.statusCode = res.status;
      response.headers = Object.fromEntries(res.headers);
      response.body = await res.text();
      return null;
    }, (err) => err)
    .then((error) => callback(error, response, context));
}

module.exports = executeRequest;
