// The package for browsers, Web Workers, Deno and every bundler (the "browser", "worker", "deno"
// and "default" export conditions): the same API as index.js, over the wasm engine. wasm/sdk.mjs
// is the package's one JS layer (npm/lib) as an ES module, built by `make wasm` without any node:
// module. No top-level await and no file a bundler has to discover: the engine's bytes are a JS
// module (wasm/bytes.mjs) compiled synchronously when the first client is made, so every bundler
// carries them at zero configuration (the measurements that chose this: bench/FINDINGS.md).
// bindings-wasm/package.mjs also builds the other entries from this file, replacing the block
// between the engine markers: wasm/streamed.mjs (the ./streamed subpath: the .wasm file fetched
// and compiled while streaming, with top-level await), wasm/workerd.mjs and wasm/edge.mjs (the
// .wasm imported as a module, as Cloudflare Workers and Vercel's edge runtime require).
// engine:begin
import { initSync, Engine } from './wasm/engine.mjs';
import { wasmBytes } from './wasm/bytes.mjs';

const load = () => {
  initSync({ module: wasmBytes() });
  return Engine;
};
// engine:end
import sdk, { useEngine } from './wasm/sdk.mjs';

useEngine(load);

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
