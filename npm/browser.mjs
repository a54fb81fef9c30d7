// The package for browsers, workers, Deno and bundlers (the "browser", "worker", "deno" and
// "default" export conditions): the same API as index.js, over the wasm engine. wasm/sdk.mjs is
// the package's one JS layer (npm/lib) as an ES module, built by `make wasm` without any node:
// module; the .wasm file is fetched next to this file (bundlers recognise the URL pattern).
import init, { Engine } from './wasm/conversations.js';
import sdk, { useEngine } from './wasm/sdk.mjs';

await init({ module_or_path: new URL('./wasm/conversations_bg.wasm', import.meta.url) });
useEngine(Engine);

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
