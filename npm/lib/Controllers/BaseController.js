'use strict';

// The original SDK's path lib/Controllers/BaseController: its shared helpers, for code that
// called them. The SDK's own calls get their errors from the engine (one place for messages).

const ObjectMapper = require('../ObjectMapper');
const { Logger } = require('../compat');

const mapper = new ObjectMapper();

class BaseController {
  /** The shared ObjectMapper. */
  static getObjectMapper() {
    return mapper;
  }

  /**
   * Reports a status to `Logger.error` (silent unless given a body).
   * @param {number} code
   * @param {string} endpName
   */
  static printErrorLog(code, endpName) {
    Logger.error(`Status code: ${code} received for ${endpName}.`);
  }

  /**
   * The original's fallback error for an undocumented status of `_context.response`:
   * `{ error: { errorMessage, errorCode, errorResponse }, response: null, context }`.
   * @param {{ response: { statusCode: number, body: unknown } }} _context
   * @param {string} endpName
   */
  static validateResponse(_context, endpName) {
    const { statusCode, body } = _context.response;
    BaseController.printErrorLog(statusCode, endpName);
    return {
      error: {
        errorMessage: statusCode === 400 ? 'The account is not provisioned.' : 'HTTP Response Not OK',
        errorCode: statusCode,
        errorResponse: body,
      },
      response: null,
      context: _context,
    };
  }
}

module.exports = BaseController;
