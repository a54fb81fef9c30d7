// Types for messagemedia-conversations-sdk: the modern client and the original SDK's surface.
// Self-contained on purpose (no @types/node or DOM lib needed): signals, agents and fetch are
// described structurally.

// ---------------------------------------------------------------------------------------------
// Shared

/** Anything shaped like an AbortSignal (the global one, or a polyfill). */
export interface AbortSignalLike {
  /** Whether it fired. */
  readonly aborted: boolean;
  /** Why it fired. */
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** An `http.Agent` / `https.Agent` (or a compatible proxy agent). */
export interface AgentLike {
  /** Closes its sockets. */
  destroy(): void;
}

/** The part of a fetch Response the SDK reads. */
export interface FetchResponseLike {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: { get(name: string): string | null; forEach(cb: (value: string, name: string) => void): void };
  /** The body stream, when the implementation has one. */
  readonly body?: unknown;
  /** The whole body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Any fetch implementation (globalThis.fetch, undici, node-fetch, a test double). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: any },
) => Promise<FetchResponseLike>;

/** A logger; every method is optional. Events are redacted: no credentials, no headers. */
export interface LoggerLike {
  /** Each attempt as it is sent (`conversations: request`). */
  debug?(message: string, fields: LogFields): void;
  /** A response (`conversations: response`). */
  info?(message: string, fields: LogFields): void;
  /** A retry (`conversations: retrying`, with `delayMs`). */
  warn?(message: string, fields: LogFields): void;
  /** A failed call (`conversations: failed`). */
  error?(message: string, fields: LogFields): void;
}

/** The redacted fields of a log event (no credentials, no headers). */
export interface LogFields {
  /** The operation, e.g. `listAppUsers`. */
  op: string;
  /** The HTTP method. */
  method: string;
  /** The request URL. */
  url: string;
  /** The attempt number (1 for the first). */
  attempt: number;
  /** The response's HTTP status, when one arrived. */
  status?: number | null;
  /** The error's code, for a failed attempt. */
  code?: ErrorCode;
  /** How long the attempt took, in ms. */
  durationMs?: number;
  /** The wait before the next attempt, in ms (a retry). */
  delayMs?: number;
  /** The error's message, for a failed attempt. */
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// Errors (one hierarchy for both surfaces)

/**
 * The stable machine code of a {@link ConversationsError}: `api` (an error status), `timeout`,
 * `transport` (connection), `decode` (unreadable body), `invalid_input` (nothing sent), `aborted`.
 */
export type ErrorCode = 'api' | 'timeout' | 'transport' | 'decode' | 'invalid_input' | 'aborted';

/**
 * Every error the SDK raises, on both surfaces (the modern client rejects with it; the compat
 * controllers reject with it and pass it to their callback). The subclass tells what happened:
 * {@link APIError} and its status subclasses, {@link TimeoutError}, {@link ConnectionError},
 * {@link DecodeError}, {@link InvalidInputError}, {@link AbortError}. `errorMessage`,
 * `errorCode` and `errorResponse` are the original SDK's (enumerable) fields, so
 * `JSON.stringify(error)` is what the original produced; `code`, `status`, `body`, `headers`,
 * `field` and `cause` are non-enumerable.
 * @example
 * try {
 *   await client.getAppUser(userId);
 * } catch (err) {
 *   if (err instanceof NotFoundError) console.log('no such user');
 *   else if (err instanceof RateLimitError) console.log('retry after', err.headers?.['retry-after']);
 *   else if (err instanceof ConversationsError) console.log(err.code, err.status, err.body);
 *   else throw err;
 * }
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
  /** The underlying error (e.g. a socket error), when there was one. */
  readonly cause?: unknown;
  /** Original SDK field: same as `message`. */
  errorMessage: string;
  /** Original SDK field: the HTTP status, or null. */
  errorCode: number | null;
  /** Original SDK field: the raw response body, or null. */
  errorResponse: string | null;
  /**
   * The SDK creates its errors itself; this is public for tests and for the original's
   * `new APIException()` (without `info`).
   * @param message the human-readable message (also `errorMessage`).
   * @param info `code`, and `status`, `body`, `headers`, `field`, `cause` when known.
   */
  constructor(message: string, info: { code: ErrorCode; status?: number | null; body?: string | null; headers?: Record<string, string> | null; field?: string | null; cause?: unknown });
}
/**
 * The server answered with a non-success status (code `api`); `status`, `body` and `headers`
 * are the response's. A status without its own subclass below is thrown as APIError itself.
 * @example
 * catch (err) { if (err instanceof APIError) console.log(err.status, err.body); }
 */
export declare class APIError extends ConversationsError { readonly code: 'api'; readonly status: number }
/**
 * Status 400: the request was refused as bad (e.g. a Facebook call before the account is provisioned).
 * @example
 * catch (err) { if (err instanceof BadRequestError) console.log(err.body); }
 */
export declare class BadRequestError extends APIError {}
/**
 * Status 401: wrong or missing API key or secret.
 * @example
 * catch (err) { if (err instanceof AuthenticationError) console.log('check the key and secret'); }
 */
export declare class AuthenticationError extends APIError {}
/**
 * Status 403: the credentials may not do this.
 * @example
 * catch (err) { if (err instanceof PermissionDeniedError) console.log(err.body); }
 */
export declare class PermissionDeniedError extends APIError {}
/**
 * Status 404: e.g. the app user does not exist.
 * @example
 * catch (err) { if (err instanceof NotFoundError) return null; }
 */
export declare class NotFoundError extends APIError {}
/**
 * Status 409: the request conflicts with the current state.
 * @example
 * catch (err) { if (err instanceof ConflictError) console.log(err.body); }
 */
export declare class ConflictError extends APIError {}
/**
 * Status 429: too many requests (GETs were already retried per `maxRetries`).
 * @example
 * catch (err) { if (err instanceof RateLimitError) console.log(err.headers?.['retry-after']); }
 */
export declare class RateLimitError extends APIError {}
/**
 * Any status 500 or above (GETs answered 502, 503 or 504 were already retried per `maxRetries`).
 * @example
 * catch (err) { if (err instanceof InternalServerError) console.log(err.status); }
 */
export declare class InternalServerError extends APIError {}
/**
 * An attempt or the overall deadline timed out (code `timeout`; `status` null).
 * @example
 * catch (err) { if (err instanceof TimeoutError) console.log('timed out'); }
 */
export declare class TimeoutError extends ConversationsError { readonly code: 'timeout' }
/**
 * The connection could not be made or broke (code `transport`; `status` null; `cause` the socket error).
 * @example
 * catch (err) { if (err instanceof ConnectionError) console.log(err.message, err.cause); }
 */
export declare class ConnectionError extends ConversationsError { readonly code: 'transport' }
/**
 * A success response whose body could not be decoded, or a body over `maxResponseBytes` (with its
 * status) (code `decode`).
 * @example
 * catch (err) { if (err instanceof DecodeError) console.log(err.status, err.body); }
 */
export declare class DecodeError extends ConversationsError { readonly code: 'decode' }
/**
 * Bad arguments or options (code `invalid_input`); raised before any request, so nothing was
 * sent. `field` names the offending option, argument or body field.
 * @example
 * catch (err) { if (err instanceof InvalidInputError) console.log('bad', err.field); }
 */
export declare class InvalidInputError extends ConversationsError { readonly code: 'invalid_input' }
/**
 * The caller's AbortSignal fired (code `aborted`); the call is not retried.
 * @example
 * catch (err) { if (err instanceof AbortError) return; }
 */
export declare class AbortError extends ConversationsError { readonly code: 'aborted' }
/**
 * The original SDK's error class: the same class as {@link ConversationsError}, so
 * `err instanceof APIException` holds for every error the SDK raises, on either surface.
 * @example
 * AppUsersController.getAppUsers((err, res) => {
 *   if (err instanceof APIException) console.log(err.errorCode, err.errorMessage, err.errorResponse);
 * });
 */
export declare const APIException: typeof ConversationsError;
/** The type of an {@link APIException}: a {@link ConversationsError}. */
export type APIException = ConversationsError;

// ---------------------------------------------------------------------------------------------
// Modern surface

/**
 * Options of {@link ConversationsClient}. All are optional: in Node, absent credentials and base
 * URL are read from `MESSAGEMEDIA_API_KEY`, `MESSAGEMEDIA_API_SECRET` and `MESSAGEMEDIA_BASE_URL`.
 * @example
 * const client = new ConversationsClient({
 *   username: process.env.MESSAGEMEDIA_API_KEY,
 *   password: process.env.MESSAGEMEDIA_API_SECRET,
 *   timeoutMs: 10_000,
 * });
 */
export interface ClientOptions {
  /**
   * API key (Basic auth user). Default (Node): `MESSAGEMEDIA_API_KEY`, when neither `username`
   * nor `password` is given. Required (with `password`) for the production API.
   */
  username?: string;
  /**
   * API secret (Basic auth password). Kept inside the engine, never by the JS object. Default
   * (Node): `MESSAGEMEDIA_API_SECRET`.
   */
  password?: string;
  /**
   * Where requests go: an absolute http(s) URL, optionally with a path prefix (a proxy), or in a
   * browser a relative one (`'/api/conversations'`, your backend). Default (Node):
   * `MESSAGEMEDIA_BASE_URL`, else https://api.messagemedia.com.
   */
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
  /** Send every call through this fetch instead of the Node I/O (wins over `transport`). */
  fetch?: FetchLike;
  /**
   * A custom http(s).Agent for every call: node:http, whatever `transport` says (environment
   * proxies are then not applied).
   */
  agent?: AgentLike;
  /**
   * Trusted CA certificate(s) (PEM) for https targets, direct or through a proxy: they replace the
   * built-in roots, as node:https's `ca` does (NODE_EXTRA_CA_CERTS still adds to them).
   */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /**
   * Node's I/O with the native engine. Unset (the default): `'rust'`, the addon's own HTTP client,
   * except where it cannot keep a guarantee — an environment proxy for `baseUrl`, Node trusting
   * the system CA store (`--use-system-ca`, `--use-openssl-ca`), node:http's `request` replaced
   * (nock, msw, OpenTelemetry), its diagnostics channels subscribed to, or other default CAs set
   * with `tls.setDefaultCACertificates()` (checked per call), an
   * addon without it — where it is `'node'` (node:http). `'node'` always uses node:http; `'rust'`
   * always the Rust I/O (an InvalidInputError with the wasm engine or when a proxy applies).
   * Default: `CONVERSATIONS_TRANSPORT` when set. Only in Node; see `client.transport`.
   */
  transport?: 'rust' | 'node';
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

/**
 * Per-call options (last argument of every method).
 * @example
 * await client.listAppUsers({ signal: AbortSignal.timeout(5000) });
 */
export interface CallOptions {
  /** Aborts the call (rejects with {@link AbortError}); no retry after an abort. */
  signal?: AbortSignalLike;
  /** Per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

/** A messaging channel: `'facebook'` (Messenger) today; other names are passed through. */
export type Channel = 'facebook' | (string & {});
/** Whether the app user sent a message (`'RECEIVED'`) or the account did (`'SENT'`). */
export type Direction = 'RECEIVED' | 'SENT' | (string & {});

/**
 * Outgoing messages: a discriminated union on `type`, with an open fallback. Fields the SDK does
 * not list are sent as given (null fields are not sent), so a kind or field the API adds can be
 * sent before the SDK knows it (`CustomMessage`).
 */
export interface TextMessage {
  /** The channel to send on. */
  channel: Channel;
  /** `'text'` (the default). */
  type?: 'text';
  /** The text. */
  text: string;
  /** Not allowed here (see {@link ActionsMessage}). */
  actions?: never;
  /** Further fields, sent as given. */
  [field: string]: unknown;
}
/** An image: `media` is its URL; `text` an optional caption. */
export interface ImageMessage {
  /** The channel to send on. */
  channel: Channel;
  /** Always `'image'`. */
  type: 'image';
  /** The image's URL. */
  media: string;
  /** An optional caption. */
  text?: string;
  /** Further fields, sent as given. */
  [field: string]: unknown;
}
/** A quick-reply button (the wire's camelCase names, as the API writes them). */
export interface ReplyAction {
  /** Always `'reply'`. */
  type: 'reply';
  /** The button's label. */
  displayText: string;
  /** The text sent back when the user taps it. */
  responseText: string;
  /** Further fields, sent as given. */
  [field: string]: unknown;
}
/** A button of a kind the SDK does not know yet. */
export interface CustomAction {
  /** The button's kind. */
  type: string;
  /** Its fields, sent as given. */
  [field: string]: unknown;
}
/** A button: a quick reply, or a kind the SDK does not know yet. */
export type MessageAction = ReplyAction | CustomAction;
/** Buttons under a text; `type: 'actions'` is implied by `actions` and sent. */
export interface ActionsMessage {
  /** The channel to send on. */
  channel: Channel;
  /** `'actions'` (implied by `actions`). */
  type?: 'actions';
  /** The text above the buttons. */
  text: string;
  /** The buttons. */
  actions: MessageAction[];
  /** Further fields, sent as given. */
  [field: string]: unknown;
}
/** A kind the SDK does not know yet: only `channel` is checked; everything is sent as given. */
export interface CustomMessage {
  /** The channel to send on (checked). */
  channel: Channel;
  /** The message's kind. */
  type: string;
  /** Its fields, sent as given. */
  [field: string]: unknown;
}
/** Any outgoing message (the `message` of {@link ConversationsClient.sendMessage}). */
export type OutgoingMessage = TextMessage | ImageMessage | ActionsMessage | CustomMessage;
/** @deprecated the text message; see OutgoingMessage for the other kinds. */
export type Message = TextMessage;

/** The raw response of a call, beside its data (`.withResponse()`). */
export interface RawResponse {
  /** The HTTP status. */
  status: number;
  /** Lower-case names; a repeated header's values joined with ', '. */
  headers: Record<string, string>;
  /** The body as received (UTF-8 text). */
  body: string;
}
/** The promise of every modern call: resolves with the data, or with the raw response too. */
export interface APIPromise<T> extends Promise<T> {
  /**
   * The data and the raw response.
   * @example
   * const { data, response } = await client.listAppUsers().withResponse();
   */
  withResponse(): Promise<{ data: T; response: RawResponse }>;
}

// Outputs list the known fields; fields the API adds arrive too, under camelCase names with their
// values as sent (read them with a cast, or declare them by interface merging).
/** What the API echoes of a sent message; `text` is null for a message without text (an image). */
export interface SentMessage {
  /** The channel it was sent on. */
  channel: Channel;
  /** The text sent, or null. */
  text: string | null;
}
/** One message of a conversation ({@link MessageList}). */
export interface ConversationMessage {
  /** `RECEIVED` (from the app user) or `SENT` (by the account). */
  direction: Direction;
  /** The text, or null (e.g. an image). */
  text: string | null;
  /** The channel. */
  channel: Channel;
  /** When, exactly as the server sent it. */
  timestamp: string;
  /** Present when the server sends them (rich messages). */
  type?: string;
  /** An image's URL, when the server sends it. */
  media?: string;
  /** Buttons, when the server sends them. */
  actions?: MessageAction[];
}
/** What {@link ConversationsClient.listMessages} resolves with. */
export interface MessageList {
  /** The messages, in `data`. */
  messages: { data: ConversationMessage[] };
  /** The app user's and account's ids, or null. */
  metadata: { userId: string | null; accountId: string | null } | null;
}
/** A person who wrote to one of the account's pages. */
export interface AppUser {
  /** The app user's id (pass it to the other methods). */
  id: string;
  /** Family name, or null. */
  surname: string | null;
  /** Given name, or null. */
  givenName: string | null;
}
/** What {@link ConversationsClient.listAppUsers} resolves with. */
export interface AppUserList {
  /** The app users. */
  data: AppUser[];
}
/** The argument of {@link ConversationsClient.provisionAccount}. */
export interface Account {
  /** The account's name (required). */
  name: string;
  /** An http(s) URL that receives callback events. */
  callbackUrl?: string | null;
  /** Fields the API adds, sent as given. */
  [field: string]: unknown;
}
/** What {@link ConversationsClient.provisionAccount} resolves with. */
export interface ProvisionedAccount {
  /** The account's name. */
  name: string;
  /** The callback URL, or null. */
  callbackUrl: string | null;
}
/** A Facebook page the authorised Facebook user manages. */
export interface FacebookPage {
  /** The page's id (pass it to `integrateFacebookPage`). */
  id: string;
  /** The page's name, or null. */
  name: string | null;
}
/** What {@link ConversationsClient.listFacebookPages} resolves with. */
export interface FacebookPageList {
  /** The pages. */
  data: FacebookPage[];
}
/** What {@link ConversationsClient.getFacebookAuthorisationUrl} resolves with. */
export interface FacebookAuthorisation {
  /** Where the account owner authorises MessageMedia on Facebook. */
  authorisationUrl: string;
}

/**
 * A client for one MessageMedia account: every operation of the Conversations API as an async
 * method. Several may coexist; none shows its credentials. Each method returns an
 * {@link APIPromise} and rejects with a {@link ConversationsError} subclass.
 * @example
 * import { ConversationsClient } from 'messagemedia-conversations-sdk';
 * // Reads MESSAGEMEDIA_API_KEY, MESSAGEMEDIA_API_SECRET and MESSAGEMEDIA_BASE_URL.
 * const client = new ConversationsClient();
 * const users = await client.listAppUsers();
 */
export declare class ConversationsClient {
  /**
   * @param options credentials, base URL, timeouts, retries, transport; see {@link ClientOptions}.
   * @throws {InvalidInputError} for unknown options, wrong types, a bad `baseUrl`, or no
   *   credentials for the production API (field `credentials`).
   * @throws {Error} with `code` `'ERR_CONVERSATIONS_ENGINE_CHOICE'` for a `CONVERSATIONS_ENGINE`
   *   other than `native` or `wasm`, or `'ERR_CONVERSATIONS_NO_ENGINE'` when no engine loads.
   * @example
   * const client = new ConversationsClient({ baseUrl: 'http://127.0.0.1:8080' }); // the sandbox
   */
  constructor(options?: ClientOptions);
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /**
   * The engine in use: `'native'` (the napi addon) or `'wasm'` (browsers, or Node without a
   * prebuilt addon, or `CONVERSATIONS_ENGINE=wasm`).
   */
  readonly engine: 'native' | 'wasm';
  /**
   * The I/O calls go through now: `'rust'` (the native engine's Rust I/O, Node's default),
   * `'node'` (node:http: the `agent` option, `transport: 'node'`, the wasm engine in Node, or where
   * the Rust I/O cannot keep a guarantee; see {@link ClientOptions.transport}) or `'fetch'` (the
   * `fetch` option, browsers).
   */
  readonly transport: 'rust' | 'node' | 'fetch';
  /**
   * Sends a message to an app user: a text, an image, buttons, or a kind the SDK does not know
   * yet (sent as given; null fields are not sent).
   * @param appUserId the app user's id, a string as the API returned it.
   * @param message `{ channel, text }`, `{ channel, type: 'image', media }`, `{ channel, text, actions }`, ...
   * @param options per-call `signal` and `timeoutMs`.
   * @returns what the server accepted (`{ channel, text }`).
   * @throws {InvalidInputError} for a non-string id or a message missing its required fields (nothing is sent).
   * @throws {NotFoundError} when the app user does not exist (404).
   * @throws {AuthenticationError} for a wrong key or secret (401).
   * @example
   * await client.sendMessage(userId, { channel: 'facebook', text: 'Hello!' });
   */
  sendMessage(appUserId: string, message: OutgoingMessage, options?: CallOptions): APIPromise<SentMessage>;
  /**
   * The messages sent to and received from an app user, with metadata.
   * @param appUserId the app user's id.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {InvalidInputError} for a non-string or blank id.
   * @throws {NotFoundError} when the app user does not exist.
   * @example
   * const { messages } = await client.listMessages(userId);
   * for (const m of messages.data) console.log(m.direction, m.text);
   */
  listMessages(appUserId: string, options?: CallOptions): APIPromise<MessageList>;
  /**
   * One app user.
   * @param appUserId the app user's id.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {InvalidInputError} for a non-string or blank id.
   * @throws {NotFoundError} when the app user does not exist.
   * @example
   * const user = await client.getAppUser(userId);
   */
  getAppUser(appUserId: string, options?: CallOptions): APIPromise<AppUser>;
  /**
   * The app users of the account (the people who wrote to its pages).
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {AuthenticationError} for a wrong key or secret (401).
   * @example
   * const { data } = await client.listAppUsers();
   */
  listAppUsers(options?: CallOptions): APIPromise<AppUserList>;
  /**
   * Configures (provisions) the account for the Conversations API.
   * @param account `{ name, callbackUrl? }`: `callbackUrl` (an http(s) URL) receives events.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {InvalidInputError} for a missing name or a `callbackUrl` that is not an http(s) URL.
   * @example
   * await client.provisionAccount({ name: 'My shop', callbackUrl: 'https://example.com/hooks' });
   */
  provisionAccount(account: Account, options?: CallOptions): APIPromise<ProvisionedAccount>;
  /**
   * Integrates a Facebook page; resolves with the server's raw response text (often "").
   * @param facebookPageId the page's id, a string.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {InvalidInputError} for a non-string or blank id.
   * @example
   * const { data } = await client.listFacebookPages();
   * await client.integrateFacebookPage(data[0].id);
   */
  integrateFacebookPage(facebookPageId: string, options?: CallOptions): APIPromise<string>;
  /**
   * The Facebook pages the authorised Facebook user manages.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {BadRequestError} when the account is not provisioned.
   * @example
   * const { data } = await client.listFacebookPages();
   */
  listFacebookPages(options?: CallOptions): APIPromise<FacebookPageList>;
  /**
   * The URL where the account owner authorises MessageMedia on Facebook.
   * @param options per-call `signal` and `timeoutMs`.
   * @throws {BadRequestError} when the account is not provisioned.
   * @example
   * const { authorisationUrl } = await client.getFacebookAuthorisationUrl();
   */
  getFacebookAuthorisationUrl(options?: CallOptions): APIPromise<FacebookAuthorisation>;
  /**
   * Closes idle keep-alive sockets now and each busy one when its call ends: calls in flight
   * complete normally (abort their `signal` to cancel them). The client stays usable.
   * @example
   * client.close();
   */
  close(): void;
  /** `{ baseUrl }`: what `JSON.stringify(client)` shows (never the credentials). */
  toJSON(): { baseUrl: string };
  /**
   * New inbound (RECEIVED) messages, found by polling: each poll lists the app users (1 call),
   * then each user's messages (1 call per user). De-duplicated across polls; ends when `signal` aborts.
   * @param options `{ intervalMs = 2000, signal, since = now }`.
   * @example
   * for await (const message of client.watchInbound({ signal })) console.log(message.text);
   */
  watchInbound(options?: import('./lib/callback').WatchInboundOptions): AsyncIterableIterator<import('./lib/callback').InboundMessage>;
}

// ---------------------------------------------------------------------------------------------
// The original SDK's surface

/**
 * The original SDK's settings: global, mutable, read on every compat call (the controllers).
 * `basicAuthPassword` is not enumerable and shows as `[redacted]` in `util.inspect`.
 * @example
 * const lib = require('messagemedia-conversations-sdk');
 * lib.Configuration.basicAuthUserName = process.env.MESSAGEMEDIA_API_KEY;
 * lib.Configuration.basicAuthPassword = process.env.MESSAGEMEDIA_API_SECRET;
 * lib.Configuration.timeout = 10000;
 */
export declare const Configuration: {
  /** Base URI; reads as the engine's default until set. Setting null or '' restores the default. */
  BASEURI: string;
  /** API key (Basic auth user name). */
  basicAuthUserName: string | undefined;
  /** API secret (Basic auth password); not enumerable, redacted when inspected. */
  basicAuthPassword: string | undefined;
  /**
   * Milliseconds each attempt may take (connecting, headers and whole body), default 30000; 0 waits
   * forever (as the original did). Setting null/undefined restores the default; a negative or
   * non-finite value makes calls reject with {@link InvalidInputError} (field `timeout`).
   */
  timeout: number;
  /**
   * How many times a GET (or a request that provably never left) is tried again after a timeout,
   * a broken connection, 429, 502, 503 or 504; default 2; 0 sends each call once (as the original
   * did). A POST that may have reached the server is never repeated. Setting null/undefined
   * restores the default; anything but a whole number from 0 to 100 makes calls reject with
   * {@link InvalidInputError} (field `maxRetries`).
   */
  maxRetries: number;
};

/**
 * Does nothing unless its methods are replaced; receives the compat calls' redacted events
 * (see {@link LogFields}). `LogConfig()` is kept from the original and changes nothing (no
 * console, no log file).
 * @example
 * lib.Logger.warn = (message, fields) => console.warn(message, fields);
 */
export declare const Logger: Required<LoggerLike> & { LogConfig(): void };

/** What the compat callback receives third: the request and the final response. */
export interface HttpContext {
  /** The request sent (Authorization, Proxy-Authorization and Cookie values read `[redacted]`), or null. */
  request: { method: string; url: string; queryUrl: string; headers: Record<string, string>; body: string | null } | null;
  /** The final response: its status (null when none arrived), headers and body text. */
  response: { statusCode: number | null; headers: Record<string, string | string[] | undefined>; body: string | null };
}
/**
 * The compat controllers' optional last argument: `error` is null on success, `response` null on
 * failure; `context` describes the HTTP exchange.
 */
export type Callback<T> = (error: ConversationsError | null, response: T | null, context: HttpContext) => void;

/** A field of a model as the original listed it: its property and wire names. */
export interface MappingInfo {
  /** The property name (camelCase). */
  name: string;
  /** The wire name (snake_case). */
  realName: string;
  /** True for an array field. */
  array?: boolean;
  /** The model class name of a nested field. */
  type?: string;
}

/** Base of the model classes: camelCase properties, `toJSON()` gives wire (snake_case) names. */
declare class Model {
  /** The fields under their wire (snake_case) names. */
  toJSON(): Record<string, unknown>;
  /** The wire name of a field, or null. */
  mappingInfoContains(name: string): string | null;
  /** The model's fields, as the original listed them. */
  static mappingInfo(): MappingInfo[];
  /** The original's discriminator table (empty). */
  static discriminatorMap(): Record<string, string>;
  /** null for null or undefined, else the value. */
  static getValue<T>(obj: T | null | undefined, defaultValue?: unknown): T | null;
}
type Init<T> = { [K in keyof T]?: T[K] } & Record<string, unknown>;

/** A message to send (original SDK model). */
export declare class BaseMessageDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<BaseMessageDto>);
  /** The text. */
  text?: string;
  /** The channel, e.g. `'facebook'`. */
  channel?: string;
}
/** What `AppUsersController.createSendMessage` resolves with. */
export declare class SendMessageResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<SendMessageResponse>);
  /** The channel it was sent on. */
  channel?: string;
  /** The text sent. */
  text?: string;
}
/** The body of `ConfigurationController.createConfigureAccount`. */
export declare class ConfigureAccountRequest extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<ConfigureAccountRequest>);
  /** The account's name. */
  name?: string;
  /** The URL that receives callback events. */
  callbackUrl?: string | null;
}
/** The same fields as {@link ConfigureAccountRequest} (another model of the original). */
export declare class ProvisionAccountRequest extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<ProvisionAccountRequest>);
  /** The account's name. */
  name?: string;
  /** The URL that receives callback events. */
  callbackUrl?: string | null;
}
/** What `ConfigurationController.createConfigureAccount` resolves with. */
export declare class ConfigureAccountResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<ConfigureAccountResponse>);
  /** The account's name. */
  name?: string;
  /** The callback URL, or null. */
  callbackUrl?: string | null;
}
/** An app user (original SDK model). */
export declare class AppUserDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<AppUserDto>);
  /** The app user's id. */
  id?: string;
  /** Family name, or null. */
  surname?: string | null;
  /** Given name, or null. */
  givenName?: string | null;
}
/** What `AppUsersController.getAppUserById` resolves with. */
export declare class GetAppUserByIdResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<GetAppUserByIdResponse>);
  /** The app user's id. */
  id?: string;
  /** Family name, or null. */
  surname?: string | null;
  /** Given name, or null. */
  givenName?: string | null;
}
/** An app user as received on the wire. */
export interface WireAppUser {
  /** The app user's id. */
  id: string;
  /** Family name. */
  surname?: string | null;
  /** Given name (wire name). */
  given_name?: string | null;
}
/** A list of app users (original SDK model). */
export declare class AppUsersDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<AppUsersDto>);
  /** The app users, as received (wire names). */
  data?: WireAppUser[];
}
/** What `AppUsersController.getAppUsers` resolves with. */
export declare class GetAppUsersResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<GetAppUsersResponse>);
  /** The app users, as received (wire names). */
  data?: WireAppUser[];
}
/** A Facebook page as received on the wire. */
export interface WireFacebookPage {
  /** The page's id. */
  id: string;
  /** The page's name. */
  name?: string | null;
}
/** A Facebook page (original SDK model). */
export declare class FacebookPageDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<FacebookPageDto>);
  /** The page's id. */
  id?: string;
  /** The page's name, or null. */
  name?: string | null;
}
/** A list of Facebook pages (original SDK model). */
export declare class FacebookPagesDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<FacebookPagesDto>);
  /** The pages, as received (wire names). */
  data?: WireFacebookPage[];
}
/** What `FacebookController.getFacebookPages` resolves with. */
export declare class GetFacebookPagesResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<GetFacebookPagesResponse>);
  /** The pages, as received (wire names). */
  data?: WireFacebookPage[];
}
/** A Facebook authorisation URL (original SDK model). */
export declare class FacebookAuthorisationResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<FacebookAuthorisationResponse>);
  /** Where the account owner authorises MessageMedia on Facebook. */
  authorisationUrl?: string;
}
/** What `FacebookController.getFacebookAuthorisationURL` resolves with. */
export declare class GetFacebookAuthorisationURLResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<GetFacebookAuthorisationURLResponse>);
  /** Where the account owner authorises MessageMedia on Facebook. */
  authorisationUrl?: string;
}
/** A message of a conversation (original SDK model). */
export declare class MessageDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<MessageDto>);
  /** `RECEIVED` or `SENT`. */
  direction?: string;
  /** The text, or null (e.g. an image). */
  text?: string | null;
  /** The channel. */
  channel?: string;
  /** When, as the server sent it. */
  timestamp?: string;
}
/** A list of messages (original SDK model). */
export declare class MessagesDto extends Model {
  /** @param obj field values (camelCase or wire names). */
  constructor(obj?: Init<MessagesDto>);
  /** The messages. */
  data?: MessageDto[];
}
/** A message as received on the wire (any further fields the API sends are kept). */
export interface WireMessage {
  /** `RECEIVED` or `SENT`. */
  direction?: string;
  /** The text, or null. */
  text?: string | null;
  /** The channel. */
  channel?: string;
  /** When, as the server sent it. */
  timestamp?: string;
  /** Further fields the API sends. */
  [field: string]: unknown;
}
/** What `AppUsersController.getAppUserMessages` resolves with. */
export declare class GetAppUserMessagesResponse extends Model {
  /** @param obj field values (camelCase or wire names). */
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
/** The body of `ConfigurationController.createConfigureAccount`: a model or a plain object (either name of the callback URL). */
export type AccountBody =
  | ConfigureAccountRequest
  | ProvisionAccountRequest
  | { name: string; callbackUrl?: string | null }
  | { name: string; callback_url?: string | null };

/**
 * The original's AppUsersController: messages and app users. Every method takes an optional
 * callback AND returns a Promise; credentials and settings come from {@link Configuration}.
 * @example
 * const { AppUsersController } = require('messagemedia-conversations-sdk');
 * AppUsersController.getAppUsers((error, response, context) => {
 *   if (error) console.error(error.errorCode, error.errorMessage);
 *   else console.log(response.data);
 * });
 */
export declare class AppUsersController {
  /**
   * POSTs a message to an app user; the body (a BaseMessageDto or a plain object: text, image,
   * actions, ...) is sent as given, null keys dropped.
   * @param appUserId the app user's id.
   * @param body the message.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link SendMessageResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * await AppUsersController.createSendMessage(userId, { channel: 'facebook', text: 'Hello!' });
   */
  static createSendMessage(appUserId: string, body: MessageBody, callback?: Callback<SendMessageResponse>): Promise<SendMessageResponse>;
  /**
   * Messages of an app user: `{ messages, metadata }` as the server sent them.
   * @param appUserId the app user's id.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link GetAppUserMessagesResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * const { messages } = await AppUsersController.getAppUserMessages(userId);
   */
  static getAppUserMessages(appUserId: string, callback?: Callback<GetAppUserMessagesResponse>): Promise<GetAppUserMessagesResponse>;
  /**
   * One app user.
   * @param appUserId the app user's id.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link GetAppUserByIdResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * const user = await AppUsersController.getAppUserById(userId);
   */
  static getAppUserById(appUserId: string, callback?: Callback<GetAppUserByIdResponse>): Promise<GetAppUserByIdResponse>;
  /**
   * The account's app users (list items as received).
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link GetAppUsersResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * const { data } = await AppUsersController.getAppUsers();
   */
  static getAppUsers(callback?: Callback<GetAppUsersResponse>): Promise<GetAppUsersResponse>;
}

/**
 * The original's ConfigurationController: provisioning. Takes an optional callback AND returns a Promise.
 * @example
 * ConfigurationController.createConfigureAccount({ name: 'My shop' }, (error, response) => {});
 */
export declare class ConfigurationController {
  /**
   * Provisions (configures) the account.
   * @param body a ConfigureAccountRequest or a plain object `{ name, callbackUrl? }`.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link ConfigureAccountResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * await ConfigurationController.createConfigureAccount({ name: 'My shop', callbackUrl: 'https://example.com/hooks' });
   */
  static createConfigureAccount(body: AccountBody, callback?: Callback<ConfigureAccountResponse>): Promise<ConfigureAccountResponse>;
}

/**
 * The original's FacebookController: authorisation and pages. Every method takes an optional
 * callback AND returns a Promise.
 * @example
 * FacebookController.getFacebookPages((error, response) => { if (!error) console.log(response.data); });
 */
export declare class FacebookController {
  /**
   * Integrates a Facebook page; resolves with the raw response text (often "").
   * @param facebookPageId the page's id.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the response text.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * await FacebookController.createIntegrateFacebookPage(pageId);
   */
  static createIntegrateFacebookPage(facebookPageId: string, callback?: Callback<string>): Promise<string>;
  /**
   * The account's Facebook pages (list items as received).
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link GetFacebookPagesResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * const { data } = await FacebookController.getFacebookPages();
   */
  static getFacebookPages(callback?: Callback<GetFacebookPagesResponse>): Promise<GetFacebookPagesResponse>;
  /**
   * The Facebook authorisation URL.
   * @param callback optional `(error, response, context)`: `error` a {@link ConversationsError} or
   *   null, `response` as resolved or null, `context` the {@link HttpContext}. A callback that
   *   throws surfaces as an uncaught exception, not a rejection.
   * @returns a promise of the {@link GetFacebookAuthorisationURLResponse}.
   * @throws {ConversationsError} never synchronously: every failure (a subclass such as
   *   {@link InvalidInputError} for a missing id or a bad Configuration, {@link APIError} for an
   *   error status) rejects the promise and is passed to the callback.
   * @example
   * const { authorisationUrl } = await FacebookController.getFacebookAuthorisationURL();
   */
  static getFacebookAuthorisationURL(callback?: Callback<GetFacebookAuthorisationURLResponse>): Promise<GetFacebookAuthorisationURLResponse>;
}

// Inbound callbacks (lib/callback.js).
export * from './lib/callback';
