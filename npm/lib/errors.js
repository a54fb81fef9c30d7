'use strict';

// One error hierarchy for both surfaces. The original SDK's `APIException` is the same class as
// `ConversationsError`, so `JSON.stringify(error)` stays what the original produced: the only own
// enumerable properties are `errorMessage`, `errorCode` and `errorResponse`; the modern fields
// (`code`, `status`, `body`, `headers`, `field`, `cause`) are own but non-enumerable.

/**
 * @typedef {'api' | 'timeout' | 'transport' | 'decode' | 'invalid_input' | 'aborted'} ErrorCode
 * @typedef {{ code: ErrorCode, status: number | null, message: string, body: string | null, field?: string | null }} ErrorInfo
 */

function hidden(target, name, value) {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Every error the SDK raises, on either surface. */
class ConversationsError extends Error {
  /**
   * @param {string} message
   * @param {{ code: ErrorCode, status?: number | null, body?: string | null, headers?: Record<string, string> | null,
   *   field?: string | null, cause?: unknown }} info `headers`: the response's, lower-case names, when there was one
   */
  constructor(message, info) {
    super(message ?? '');
    if (info === undefined || info === null) {
      // `new APIException()` written for the original SDK: its fields were `reason` and `context`
      // (both ''). Every error the SDK raises passes `info`.
      this.reason = '';
      this.context = '';
      for (const name of ['code', 'status', 'body', 'field']) hidden(this, name, null);
      return;
    }
    // Field order matches the original APIException.
    this.errorMessage = message;
    this.errorCode = info.status ?? null;
    this.errorResponse = info.body ?? null;
    hidden(this, 'code', info.code);
    hidden(this, 'status', info.status ?? null);
    hidden(this, 'body', info.body ?? null);
    hidden(this, 'headers', info.headers ?? null);
    hidden(this, 'field', info.field ?? null);
    if (info.cause !== undefined) hidden(this, 'cause', info.cause);
  }

  /** The original APIException's field table: empty. */
  static mappingInfo() {
    return [];
  }
}

/** The server answered with a status that is not a success (code `api`). */
class APIError extends ConversationsError {}
class BadRequestError extends APIError {}
class AuthenticationError extends APIError {}
class PermissionDeniedError extends APIError {}
class NotFoundError extends APIError {}
class ConflictError extends APIError {}
class RateLimitError extends APIError {}
class InternalServerError extends APIError {}
/** The attempt or the overall deadline ran out (code `timeout`). */
class TimeoutError extends ConversationsError {}
/** The connection could not be made or broke (code `transport`). */
class ConnectionError extends ConversationsError {}
/** A 2xx response whose body could not be decoded, or any body over the size cap (code `decode`). */
class DecodeError extends ConversationsError {}
/** Bad arguments or options, raised before any request (code `invalid_input`). */
class InvalidInputError extends ConversationsError {}
/** The caller's AbortSignal fired (code `aborted`). */
class AbortError extends ConversationsError {}

const classes = {
  ConversationsError, APIError, BadRequestError, AuthenticationError, PermissionDeniedError,
  NotFoundError, ConflictError, RateLimitError, InternalServerError, TimeoutError,
  ConnectionError, DecodeError, InvalidInputError, AbortError,
};
// `name` lives on the prototype so it stays out of JSON.stringify and shows in stack traces.
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}

const BY_STATUS = new Map([
  [400, BadRequestError], [401, AuthenticationError], [403, PermissionDeniedError],
  [404, NotFoundError], [409, ConflictError], [429, RateLimitError],
]);
const BY_CODE = {
  api: APIError, timeout: TimeoutError, transport: ConnectionError, decode: DecodeError,
  invalid_input: InvalidInputError, aborted: AbortError,
};

function classFor(code, status) {
  if (code === 'api' && typeof status === 'number') {
    if (status >= 500) return InternalServerError;
    return BY_STATUS.get(status) ?? APIError;
  }
  return BY_CODE[code] ?? ConversationsError;
}

/**
 * Turns the engine's ErrorInfo (or one built by the I/O layer) into the right Error subclass.
 * @param {ErrorInfo} info
 * @param {unknown} [cause]
 * @param {Record<string, string> | null} [headers] the response's headers, for an error about a response
 * @returns {ConversationsError}
 */
function fromInfo(info, cause, headers) {
  const Cls = classFor(info.code, info.status);
  return new Cls(info.message, {
    code: info.code, status: info.status ?? null, body: info.body ?? null, headers: headers ?? null, field: info.field ?? null, cause,
  });
}

/**
 * A response's headers as a plain object with lower-case names (node:http and fetch already
 * give lower-case names; a repeated header Node keeps as an array is joined with ', ').
 * @param {Record<string, string | string[] | undefined> | null | undefined} headers
 * @returns {Record<string, string>}
 */
function plainHeaders(headers) {
  const out = {};
  if (headers === null || headers === undefined) return out;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** @param {string} message @param {string} field */
function invalidInput(message, field) {
  return new InvalidInputError(message, { code: 'invalid_input', field });
}

module.exports = { ...classes, APIException: ConversationsError, fromInfo, invalidInput, plainHeaders };
