// Types for messagemedia-conversations-sdk: the modern client and the original SDK's surface.
// Self-contained on purpose (no @types/node or DOM lib needed): signals, agents and fetch are
// described structurally.

// ---------------------------------------------------------------------------------------------
// Shared

/** Anything shaped like an AbortSignal (the global one, or a polyfill). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** An `http.Agent` / `https.Agent` (or a compatible proxy agent). */
export interface AgentLike {
  destroy(): void;
}

/** The part of a fetch Response the SDK reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null; forEach(cb: (value: string, name: string) => void): void };
  readonly body?: unknown;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Any fetch implementation (globalThis.fetch, undici, node-fetch, a test double). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: any },
) => Promise<FetchResponseLike>;

/** A logger; every method is optional. Events are redacted: no credentials, no headers. */
export interface LoggerLike {
  debug?(message: string, fields: LogFields): void;
  info?(message: string, fields: LogFields): void;
  warn?(message: string, fields: LogFields): void;
  error?(message: string, fields: LogFields): void;
}

export interface LogFields {
  op: string;
  method: string;
  url: string;
  attempt: number;
  status?: number | null;
  code?: ErrorCode;
  durationMs?: number;
  delayMs?: number;
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// Errors (one hierarchy for both surfaces)

export type ErrorCode = 'api' | 'timeout' | 'transport' | 'decode' | 'invalid_input' | 'aborted';

/**
 * Every error the SDK raises. `errorMessage`, `errorCode` and `errorResponse` are the original
 * SDK's (enumerable) fields; `code`, `status`, `body`, `field` and `cause` are non-enumerable.
 */
export declare class ConversationsError extends Error {
  /** Stable machine code. */
  readonly code: ErrorCode;
  /** HTTP status when a response arrived, else null. */
  readonly status: number | null;
  /** Raw response body (UTF-8, lossy) when a response arrived, else null. */
  readonly body: string | null;
  /** For invalid_input: the offending option, argument or body field. */
  readonly field: string | null;
  readonly cause?: unknown;
  /** Original SDK field: same as `message`. */
  errorMessage: string;
  /** Original SDK field: the HTTP status, or null. */
  errorCode: number | null;
  /** Original SDK field: the raw response body, or null. */
  errorResponse: string | null;
  constructor(message: string, info: { code: ErrorCode; status?: number | null; body?: string | null; field?: string | null; cause?: unknown });
}
/** The server answered with a non-success status (code `api`). */
export declare class APIError extends ConversationsError { readonly code: 'api'; readonly status: number }
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class RateLimitError extends APIError {}
export declare class InternalServerError extends APIError {}
/** An attempt or the overall deadline timed out. */
export declare class TimeoutError extends ConversationsError { readonly code: 'timeout' }
/** The connection could not be made or broke. */
export declare class ConnectionError extends ConversationsError { readonly code: 'transport' }
/** A success response whose body could not be decoded, or a body over `maxResponseBytes` (with its status). */
export declare class DecodeError extends ConversationsError { readonly code: 'decode' }
/** Bad arguments or options; raised before any request. */
export declare class InvalidInputError extends ConversationsError { readonly code: 'invalid_input' }
/** The caller's AbortSignal fired. */
export declare class AbortError extends ConversationsError { readonly code: 'aborted' }
/** The original SDK's error class: the same class as ConversationsError. */
export declare const APIException: typeof ConversationsError;
export type APIException = ConversationsError;

// ---------------------------------------------------------------------------------------------
// Modern surface

export interface ClientOptions {
  /** API key (Basic auth user). */
  username?: string;
  /** API secret (Basic auth password). Kept inside the engine, never by the JS object. */
  password?: string;
  /** Default https://api.messagemedia.com. */
  baseUrl?: string;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** Overall deadline across attempts in ms (default 60000). */
  deadlineMs?: number;
  /** Retries after the first attempt (default 2; 0 disables). */
  maxRetries?: number;
  /** Response body size cap in bytes (default 10 MiB). */
  maxResponseBytes?: number;
  /** Product token appended to the SDK's user agent. */
  userAgent?: string;
  /** Send every call through this fetch instead of node:http. */
  fetch?: FetchLike;
  /** A custom http(s).Agent for every call (environment proxies are then not applied). */
  agent?: AgentLike;
  /** Extra trusted CA certificate(s) (PEM) for https targets, direct or through a proxy. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Receives redacted events; no logging without it. */
  logger?: LoggerLike;
  /**
   * In a browser (a page or a browser worker), `username`/`password` are refused with an
   * InvalidInputError unless this is `true`: anyone who can open the page can read them.
   * Recommended instead: a `baseUrl` pointing at your own backend (relative URLs are resolved
   * against the page), which adds the credentials. Ignored outside browsers.
   */
  allowBrowserCredentials?: boolean;
}

/** Per-call options (last argument of every method). */
export interface CallOptions {
  signal?: AbortSignalLike;
  /** Per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

export interface Message { text: string; channel: string }
export interface SentMessage { channel: string; text: string }
export interface ConversationMessage { direction: string; text: string | null; channel: string; timestamp: string }
export interface MessageList {
  messages: { data: ConversationMessage[] };
  metadata: { userId: string | null; accountId: string | null } | null;
}
export interface AppUser { id: string; surname: string | null; givenName: string | null }
export interface AppUserList { data: AppUser[] }
export interface Account { name: string; callbackUrl?: string | null }
export interface ProvisionedAccount { name: string; callbackUrl: string | null }
export interface FacebookPage { id: string; name: string | null }
export interface FacebookPageList { data: FacebookPage[] }
export interface FacebookAuthorisation { authorisationUrl: string }

/** A client for one account. Several may coexist; none shows its credentials. */
export declare class ConversationsClient {
  /** @throws {InvalidInputError} for unknown options, wrong types or a bad baseUrl. */
  constructor(options?: ClientOptions);
  /** The base URL requests go to. */
  readonly baseUrl: string;
  sendMessage(appUserId: string, message: Message, options?: CallOptions): Promise<SentMessage>;
  listMessages(appUserId: string, options?: CallOptions): Promise<MessageList>;
  getAppUser(appUserId: string, options?: CallOptions): Promise<AppUser>;
  listAppUsers(options?: CallOptions): Promise<AppUserList>;
  provisionAccount(account: Account, options?: CallOptions): Promise<ProvisionedAccount>;
  /** Resolves with the server's raw response text (often ""). */
  integrateFacebookPage(facebookPageId: string, options?: CallOptions): Promise<string>;
  listFacebookPages(options?: CallOptions): Promise<FacebookPageList>;
  getFacebookAuthorisationUrl(options?: CallOptions): Promise<FacebookAuthorisation>;
  /** Closes idle keep-alive sockets. */
  close(): void;
  toJSON(): { baseUrl: string };
  /**
   * New inbound (RECEIVED) messages, found by polling: each poll lists the app users (1 call),
   * then each user's messages (1 call per user). De-duplicated across polls; ends when `signal` aborts.
   */
  watchInbound(options?: import('./lib/callback').WatchInboundOptions): AsyncIterableIterator<import('./lib/callback').InboundMessage>;
}

// ---------------------------------------------------------------------------------------------
// The original SDK's surface

/** Global, mutable, read on every call. */
export declare const Configuration: {
  /** Reads as the default base URI until set. */
  BASEURI: string;
  basicAuthUserName: string | undefined;
  basicAuthPassword: string | undefined;
};

/** Does nothing unless its methods are replaced; receives the compat calls' redacted events. */
export declare const Logger: Required<LoggerLike>;

/** What the compat callback receives third. */
export interface HttpContext {
  request: { method: string; url: string; queryUrl: string; headers: Record<string, string>; body: string | null } | null;
  response: { statusCode: number | null; headers: Record<string, string | string[] | undefined>; body: string | null };
}
export type Callback<T> = (error: ConversationsError | null, response: T | null, context: HttpContext) => void;

/** Base of the model classes: camelCase properties, `toJSON()` gives wire (snake_case) names. */
declare class Model {
  toJSON(): Record<string, unknown>;
}
type Init<T> = { [K in keyof T]?: T[K] } & Record<string, unknown>;

export declare class BaseMessageDto extends Model {
  constructor(obj?: Init<BaseMessageDto>);
  text?: string;
  channel?: string;
}
export declare class SendMessageResponse extends Model {
  constructor(obj?: Init<SendMessageResponse>);
  channel?: string;
  text?: string;
}
export declare class ConfigureAccountRequest extends Model {
  constructor(obj?: Init<ConfigureAccountRequest>);
  name?: string;
  callbackUrl?: string | null;
}
export declare class ProvisionAccountRequest extends Model {
  constructor(obj?: Init<ProvisionAccountRequest>);
  name?: string;
  callbackUrl?: string | null;
}
export declare class ConfigureAccountResponse extends Model {
  constructor(obj?: Init<ConfigureAccountResponse>);
  name?: string;
  callbackUrl?: string | null;
}
export declare class AppUserDto extends Model {
  constructor(obj?: Init<AppUserDto>);
  id?: string;
  surname?: string | null;
  givenName?: string | null;
}
export declare class GetAppUserByIdResponse extends Model {
  constructor(obj?: Init<GetAppUserByIdResponse>);
  id?: string;
  surname?: string | null;
  givenName?: string | null;
}
/** An app user as received on the wire. */
export interface WireAppUser { id: string; surname?: string | null; given_name?: string | null }
export declare class AppUsersDto extends Model {
  constructor(obj?: Init<AppUsersDto>);
  data?: WireAppUser[];
}
export declare class GetAppUsersResponse extends Model {
  constructor(obj?: Init<GetAppUsersResponse>);
  data?: WireAppUser[];
}
/** A Facebook page as received on the wire. */
export interface WireFacebookPage { id: string; name?: string | null }
export declare class FacebookPageDto extends Model {
  constructor(obj?: Init<FacebookPageDto>);
  id?: string;
  name?: string | null;
}
export declare class FacebookPagesDto extends Model {
  constructor(obj?: Init<FacebookPagesDto>);
  data?: WireFacebookPage[];
}
export declare class GetFacebookPagesResponse extends Model {
  constructor(obj?: Init<GetFacebookPagesResponse>);
  data?: WireFacebookPage[];
}
export declare class FacebookAuthorisationResponse extends Model {
  constructor(obj?: Init<FacebookAuthorisationResponse>);
  authorisationUrl?: string;
}
export declare class GetFacebookAuthorisationURLResponse extends Model {
  constructor(obj?: Init<GetFacebookAuthorisationURLResponse>);
  authorisationUrl?: string;
}
export declare class MessageDto extends Model {
  constructor(obj?: Init<MessageDto>);
  direction?: string;
  text?: string | null;
  channel?: string;
  timestamp?: string;
}
export declare class MessagesDto extends Model {
  constructor(obj?: Init<MessagesDto>);
  data?: MessageDto[];
}
export declare class GetAppUserMessagesResponse extends Model {
  constructor(obj?: Init<GetAppUserMessagesResponse>);
  messages?: MessagesDto;
  metadata?: { userId: string | null; accountId: string | null } | null;
}

/** A request body: a model instance or a plain object with camelCase or snake_case keys. */
export type MessageBody = BaseMessageDto | { text: string; channel: string };
export type AccountBody =
  | ConfigureAccountRequest
  | ProvisionAccountRequest
  | { name: string; callbackUrl?: string | null }
  | { name: string; callback_url?: string | null };

export declare const AppUsersController: {
  createSendMessage(appUserId: string, body: MessageBody, callback?: Callback<SendMessageResponse>): Promise<SendMessageResponse>;
  getAppUserMessages(appUserId: string, callback?: Callback<GetAppUserMessagesResponse>): Promise<GetAppUserMessagesResponse>;
  getAppUserById(appUserId: string, callback?: Callback<GetAppUserByIdResponse>): Promise<GetAppUserByIdResponse>;
  getAppUsers(callback?: Callback<GetAppUsersResponse>): Promise<GetAppUsersResponse>;
};

export declare const ConfigurationController: {
  createConfigureAccount(body: AccountBody, callback?: Callback<ConfigureAccountResponse>): Promise<ConfigureAccountResponse>;
};

export declare const FacebookController: {
  /** Resolves with the raw response text (often ""). */
  createIntegrateFacebookPage(facebookPageId: string, callback?: Callback<string>): Promise<string>;
  getFacebookPages(callback?: Callback<GetFacebookPagesResponse>): Promise<GetFacebookPagesResponse>;
  getFacebookAuthorisationURL(callback?: Callback<GetFacebookAuthorisationURLResponse>): Promise<GetFacebookAuthorisationURLResponse>;
};

// Inbound callbacks (lib/callback.js).
export * from './lib/callback';
