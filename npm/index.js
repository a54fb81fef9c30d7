'use strict';

// messagemedia-conversations-sdk: the modern ConversationsClient and the original SDK's
// drop-in surface, over one engine (see ENGINE.md). index.mjs re-exports these names.

const errors = require('./lib/errors');
const { ConversationsClient } = require('./lib/client');
const compat = require('./lib/compat');
const { models } = require('./lib/models');
const callback = require('./lib/callback');

module.exports = {
  // Modern surface.
  ConversationsClient,
  ConversationsError: errors.ConversationsError,
  APIError: errors.APIError,
  BadRequestError: errors.BadRequestError,
  AuthenticationError: errors.AuthenticationError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  RateLimitError: errors.RateLimitError,
  InternalServerError: errors.InternalServerError,
  TimeoutError: errors.TimeoutError,
  ConnectionError: errors.ConnectionError,
  DecodeError: errors.DecodeError,
  InvalidInputError: errors.InvalidInputError,
  AbortError: errors.AbortError,
  // Inbound callbacks (lib/callback.js).
  parseCallback: callback.parseCallback,
  createCallbackHandler: callback.createCallbackHandler,
  handleCallbackRequest: callback.handleCallbackRequest,
  CallbackDeduper: callback.CallbackDeduper,
  CallbackError: callback.CallbackError,
  // The original SDK's exports.
  Configuration: compat.Configuration,
  Logger: compat.Logger,
  AppUsersController: compat.AppUsersController,
  ConfigurationController: compat.ConfigurationController,
  FacebookController: compat.FacebookController,
  APIException: errors.APIException,
  ...models,
};
