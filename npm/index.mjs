// ESM entry: the same implementation as index.js (CommonJS), re-exported by name. It is loaded
// with require() rather than `import`: importing CommonJS makes Node's ESM loader parse the file
// for its export names, which cost several ms of every `import` (bench/RESULTS.md, import cost).
import { createRequire } from 'node:module';

const sdk = createRequire(import.meta.url)('./index.js');

export const {
  ConversationsClient,
  ConversationsError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  TimeoutError,
  ConnectionError,
  DecodeError,
  InvalidInputError,
  AbortError,
  parseCallback,
  createCallbackHandler,
  handleCallbackRequest,
  CallbackDeduper,
  CallbackError,
  Configuration,
  Logger,
  AppUsersController,
  ConfigurationController,
  FacebookController,
  APIException,
  BaseMessageDto,
  SendMessageResponse,
  ConfigureAccountRequest,
  ProvisionAccountRequest,
  ConfigureAccountResponse,
  AppUserDto,
  GetAppUserByIdResponse,
  AppUsersDto,
  GetAppUsersResponse,
  FacebookPageDto,
  FacebookPagesDto,
  GetFacebookPagesResponse,
  FacebookAuthorisationResponse,
  GetFacebookAuthorisationURLResponse,
  MessageDto,
  MessagesDto,
  GetAppUserMessagesResponse,
} = sdk;
export default sdk;
