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
  /** The response's headers (lower-case names) when the error is about a response, else null. */
  readonly headers: Record<string, string> | null;
  /** For invalid_input: the offending option, argument or body field. */
  readonly field: string | null;
  readonly cause?: unknown;
  /** Original SDK field: same as `message`. */
  errorMessage: string;
  /** Original SDK field: the HTTP status, or null. */
  errorCode: number | null;
  /** Original SDK field: the raw response body, or null. */
  errorResponse: string | null;
  constructor(message: string, info: { code: ErrorCode; status?: number | null; body?: string | null; headers?: Record<string, string> | null; field?: string | null; cause?: unknown });
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

/**
 * Outgoing messages: a discriminated union on `type`, with an open fallback. Fields the SDK does
 * not list are sent as given (null fields are not sent), so a kind or field the API adds can be
 * sent before the SDK knows it (`CustomMessage`).
 */
export interface TextMessage { channel: string; type?: 'text'; text: string; actions?: never; [field: string]: unknown }
/** An image: `media` is its URL; `text` an optional caption. */
export interface ImageMessage { channel: string; type: 'image'; media: string; text?: string; [field: string]: unknown }
/** A quick-reply button (the wire's camelCase names, as the API writes them). */
export interface ReplyAction { type: 'reply'; displayText: string; responseText: string; [field: string]: unknown }
/** A button of a kind the SDK does not know yet. */
export interface CustomAction { type: string; [field: string]: unknown }
export type MessageAction = ReplyAction | CustomAction;
/** Buttons under a text; `type: 'actions'` is implied by `actions` and sent. */
export interface ActionsMessage { channel: string; type?: 'actions'; text: string; actions: MessageAction[]; [field: string]: unknown }
/** A kind the SDK does not know yet: only `channel` is checked; everything is sent as given. */
export interface CustomMessage { channel: string; type: string; [field: string]: unknown }
export type OutgoingMessage = TextMessage | ImageMessage | ActionsMessage | CustomMessage;
/** @deprecated the text message; see OutgoingMessage for the other kinds. */
export type Message = TextMessage;

/** The raw response of a call, beside its data (`.withResponse()`). */
export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header's values joined with ', '. */
  headers: Record<string, string>;
  /** The body as received (UTF-8 text). */
  body: string;
}
/** The promise of every modern call: resolves with the data, or with the raw response too. */
export interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: RawResponse }>;
}

// Outputs list the known fields; fields the API adds arrive too, under camelCase names with their
// values as sent (read them with a cast, or declare them by interface merging).
/** What the API echoes of a sent message; `text` is null for a message without text (an image). */
export interface SentMessage { channel: string; text: string | null }
export interface ConversationMessage {
  direction: string; text: string | null; channel: string; timestamp: string;
  /** Present when the server sends them (rich messages). */
  type?: string; media?: string; actions?: MessageAction[];
}
export interface MessageList {
  messages: { data: ConversationMessage[] };
  metadata: { userId: string | null; accountId: string | null } | null;
}
export interface AppUser { id: string; surname: string | null; givenName: string | null }
export interface AppUserList { data: AppUser[] }
export interface Account { name: string; callbackUrl?: string | null; [field: string]: unknown }
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
  sendMessage(appUserId: string, message: OutgoingMessage, options?: CallOptions): APIPromise<SentMessage>;
  listMessages(appUserId: string, options?: CallOptions): APIPromise<MessageList>;
  getAppUser(appUserId: string, options?: CallOptions): APIPromise<AppUser>;
  listAppUsers(options?: CallOptions): APIPromise<AppUserList>;
  provisionAccount(account: Account, options?: CallOptions): APIPromise<ProvisionedAccount>;
  /** Resolves with the server's raw response text (often ""). */
  integrateFacebookPage(facebookPageId: string, options?: CallOptions): APIPromise<string>;
  listFacebookPages(options?: CallOptions): APIPromise<FacebookPageList>;
  getFacebookAuthorisationUrl(options?: CallOptions): APIPromise<FacebookAuthorisation>;
  /**
   * Closes idle keep-alive sockets now and each busy one when its call ends: calls in flight
   * complete normally (abort their `signal` to cancel them). The client stays usable.
   */
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
  /** Milliseconds each attempt may take, default 30000; 0 waits forever (as the original did). */
  timeout: number;
  /** Retries of a GET (or a request that never left), default 2; 0 sends once (as the original did). */
  maxRetries: number;
};

/**
 * Does nothing unless its methods are replaced; receives the compat calls' redacted events.
 * `LogConfig()` is kept from the original and changes nothing (no console, no log file).
 */
export declare const Logger: Required<LoggerLike> & { LogConfig(): void };

/** What the compat callback receives third. */
export interface HttpContext {
  request: { method: string; url: string; queryUrl: string; headers: Record<string, string>; body: string | null } | null;
  response: { statusCode: number | null; headers: Record<string, string | string[] | undefined>; body: string | null };
}
export type Callback<T> = (error: ConversationsError | null, response: T | null, context: HttpContext) => void;

/** A field of a model as the original listed it: its property and wire names. */
export interface MappingInfo { name: string; realName: string; array?: boolean; type?: string }

/** Base of the model classes: camelCase properties, `toJSON()` gives wire (snake_case) names. */
declare class Model {
  toJSON(): Record<string, unknown>;
  /** The wire name of a field, or null. */
  mappingInfoContains(name: string): string | null;
  static mappingInfo(): MappingInfo[];
  static discriminatorMap(): Record<string, string>;
  /** null for null or undefined, else the value. */
  static getValue<T>(obj: T | null | undefined, defaultValue?: unknown): T | null;
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
/** A message as received on the wire (any further fields the API sends are kept). */
export interface WireMessage { direction?: string; text?: string | null; channel?: string; timestamp?: string; [field: string]: unknown }
export declare class GetAppUserMessagesResponse extends Model {
  constructor(obj?: Init<GetAppUserMessagesResponse>);
  /** As the server sent it. */
  messages?: { data?: WireMessage[]; [field: string]: unknown };
  /** As the server sent it (snake_case). */
  metadata?: { user_id?: string | null; account_id?: string | null; [field: string]: unknown } | null;
}

/**
 * A message body: a BaseMessageDto, or a plain object sent as given, null keys dropped (text,
 * `{ type: 'image', media }`, `{ type: 'actions', text, actions }`, or a kind the API adds).
 */
export type MessageBody = BaseMessageDto | { channel: string; text?: string; type?: string; [field: string]: unknown };
export type AccountBody =
  | ConfigureAccountRequest
  | ProvisionAccountRequest
  | { name: string; callbackUrl?: string | null }
  | { name: string; callback_url?: string | null };

/** The original's controllers: classes with static methods. */
export declare class AppUsersController {
  static createSendMessage(appUserId: string, body: MessageBody, callback?: Callback<SendMessageResponse>): Promise<SendMessageResponse>;
  static getAppUserMessages(appUserId: string, callback?: Callback<GetAppUserMessagesResponse>): Promise<GetAppUserMessagesResponse>;
  static getAppUserById(appUserId: string, callback?: Callback<GetAppUserByIdResponse>): Promise<GetAppUserByIdResponse>;
  static getAppUsers(callback?: Callback<GetAppUsersResponse>): Promise<GetAppUsersResponse>;
}

export declare class ConfigurationController {
  static createConfigureAccount(body: AccountBody, callback?: Callback<ConfigureAccountResponse>): Promise<ConfigureAccountResponse>;
}

export declare class FacebookController {
  /** Resolves with the raw response text (often ""). */
  static createIntegrateFacebookPage(facebookPageId: string, callback?: Callback<string>): Promise<string>;
  static getFacebookPages(callback?: Callback<GetFacebookPagesResponse>): Promise<GetFacebookPagesResponse>;
  static getFacebookAuthorisationURL(callback?: Callback<GetFacebookAuthorisationURLResponse>): Promise<GetFacebookAuthorisationURLResponse>;
}

// Inbound callbacks (lib/callback.js).
export * from './lib/callback';
