// Types of inbound callbacks (lib/callback.js), re-exported by index.d.ts.

/**
 * One callback event. The beta's callback format is undocumented: this is the sandbox's event,
 * the provisional contract. Unknown event types and fields are kept (keys camelCased), and
 * `raw` is the body exactly as parsed.
 */
export interface CallbackEventBase {
  /** The event type, e.g. `message.received`. */
  type: string;
  /** The account's id, or null. */
  accountId: string | null;
  /** The Facebook page's id, or null. */
  pageId: string | null;
  /** The app user concerned, or null. */
  appUser: CallbackAppUser | null;
  /** The message, or null. */
  message: CallbackMessage | null;
  /** Equal for redeliveries of the same event (its `id`, else type, account, user, direction, timestamp and text). */
  dedupKey: string;
  /** The body as sent (snake_case). */
  raw: unknown;
  /** Fields this version does not know. */
  [field: string]: unknown;
}

/** The app user of a callback event. */
export interface CallbackAppUser {
  /** The app user's id. */
  id: string;
  /** Given name, or null. */
  givenName: string | null;
  /** Family name, or null. */
  surname: string | null;
  /** Fields this version does not know. */
  [field: string]: unknown;
}

/** The message of a callback event. */
export interface CallbackMessage {
  /** `RECEIVED` / `SENT` or a value the API adds. */
  direction: string | null;
  /** Absent (null) for e.g. an image. */
  text: string | null;
  /** `FACEBOOK` or a channel the API adds. */
  channel: string | null;
  /** The timestamp exactly as sent (RFC 3339). */
  timestamp: string | null;
  /** Unknown fields: e.g. `type`, `media`, `responseText` of rich messages. */
  [field: string]: unknown;
}

/** `message.received`: a user wrote to an integrated page. */
export interface MessageReceivedEvent extends CallbackEventBase {
  /** Always `message.received`. */
  type: 'message.received';
  /** Who wrote. */
  appUser: CallbackAppUser;
  /** What they wrote. */
  message: CallbackMessage;
}

/** Any event. For `message.received`, `appUser` and `message` are always present. */
export type CallbackEvent = MessageReceivedEvent | (CallbackEventBase & { type: string & {} });

/** What a verifier sees: the parts MessageMedia's signed webhooks sign (request line, Date, body). */
export interface CallbackVerifyRequest {
  /** The HTTP method. */
  method: string;
  /** The request URL (path and query). */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The body as received (a parsed object when a framework parsed it already). */
  body: unknown;
  /** The `X-Messagemedia-Signature` header, or null. */
  signature: string | null;
  /** The `Date` header, or null. */
  date: string | null;
}

/** Options of {@link createCallbackHandler} and {@link handleCallbackRequest}. */
export interface CallbackHandlerOptions {
  /** Accept (true) or refuse (false → 401) a request; throwing answers 500 so the sender retries. */
  verify?: (request: CallbackVerifyRequest) => boolean | Promise<boolean>;
  /** Refuse (401) requests whose `Date` header is further than this from now. Default: no window. */
  maxAgeMs?: number;
  /** Acknowledge redelivered events without calling `onEvent` again: true, `{ max }` (keys kept, default 10000) or a shared deduper. */
  dedupe?: boolean | { max?: number } | CallbackDeduper;
  /** Bodies larger than this are refused with 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Told about onEvent failures (default: console.error). */
  onError?: (error: unknown, context: unknown) => void;
}

/** Why a callback was refused (see {@link CallbackError}). */
export type CallbackErrorCode = 'not_json' | 'not_an_event' | 'unverified' | 'stale' | 'too_large' | 'handler_failed';

/**
 * A refused callback: {@link parseCallback} throws it with `not_json` / `not_an_event` (status
 * 400) or `stale` (401). `status` is what a receiver answers with.
 * @example
 * try { parseCallback(body, headers); }
 * catch (err) { if (err instanceof CallbackError) res.writeHead(err.status).end(err.code); else throw err; }
 */
export declare class CallbackError extends Error {
  /** Why it was refused. */
  readonly code: CallbackErrorCode;
  /** The HTTP status a receiver answers with (400, 401, ...). */
  readonly status: number;
}

/**
 * Remembers the `dedupKey`s of handled events (the newest `max`), so a redelivered event is
 * acknowledged without calling `onEvent` again. Share one between handlers, or pass `dedupe: true`.
 * @example
 * const dedupe = new CallbackDeduper({ max: 50000 });
 * app.post('/hooks', createCallbackHandler(onEvent, { dedupe }));
 */
export declare class CallbackDeduper {
  /**
   * @param options `max`: how many keys are kept (default 10000).
   * @throws {TypeError} when `max` is not a positive integer.
   */
  constructor(options?: { max?: number });
  /** Whether `key` was added (and is still kept). */
  has(key: string): boolean;
  /** Remembers `key`, forgetting the oldest beyond `max`. */
  add(key: string): void;
}

/** A Node-style `(req, res)` listener; also usable as an Express or Fastify route handler. */
export type CallbackListener = (req: any, res: any) => Promise<unknown>;

/**
 * Parses a callback body into a typed event. Tolerant: unknown event types and fields are kept
 * (camelCased) and `event.raw` is the body as sent.
 * @param body the raw body (text or bytes), or an already parsed JSON object.
 * @param headers request headers (only read for the freshness window).
 * @param options `maxAgeMs`: refuse a `Date` header further than this from `now` (default: the clock).
 * @returns the event.
 * @throws {CallbackError} `not_json` / `not_an_event` (status 400), `stale` (401).
 * @example
 * const event = parseCallback(rawBody, req.headers);
 * if (event.type === 'message.received') console.log(event.message.text);
 */
export declare function parseCallback(
  body: string | Uint8Array | ArrayBuffer | object,
  headers?: Record<string, string | string[] | undefined> | { forEach(cb: (value: string, name: string) => void): void; get(name: string): string | null },
  options?: { maxAgeMs?: number; now?: number },
): CallbackEvent;

/**
 * A `(req, res)` listener for node:http, Express (with or without `express.json()`) and Fastify.
 * Answers 200 once `onEvent` resolved; 400 not an event; 401 unverified; 413 too large; 500 when
 * `onEvent` throws or rejects (so the sender delivers again). Never throws or rejects.
 * @param onEvent called once per (new) event.
 * @param options verification, freshness window, de-duplication, body cap, error reporting.
 * @example
 * http.createServer(createCallbackHandler(async (event) => console.log(event.type))).listen(3000);
 */
export declare function createCallbackHandler(
  onEvent: (event: CallbackEvent) => unknown,
  options?: CallbackHandlerOptions,
): CallbackListener;

/**
 * The same for fetch-style runtimes (Next.js route handlers, workers, Deno, Bun): takes a
 * `Request`, resolves to a `Response` with the same statuses. Never rejects.
 * @param request the incoming request.
 * @param onEvent called once per (new) event.
 * @param options as for {@link createCallbackHandler}.
 * @example
 * export const POST = (request) => handleCallbackRequest(request, async (event) => console.log(event.type));
 */
export declare function handleCallbackRequest(
  request: { method: string; url: string; headers: { get(name: string): string | null; forEach(cb: (value: string, name: string) => void): void }; arrayBuffer(): Promise<ArrayBuffer> },
  onEvent: (event: CallbackEvent) => unknown,
  options?: CallbackHandlerOptions,
): Promise<Response>;

/** The global fetch Response (declared structurally so no DOM lib is needed). */
export interface Response {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<any>;
  text(): Promise<string>;
}

/** What `client.watchInbound()` yields: one new RECEIVED message and its app user. */
export interface InboundMessage {
  /** The app user who wrote. */
  appUser: { id: string; givenName: string | null; surname: string | null; [field: string]: unknown };
  /** The RECEIVED message. */
  message: { direction: string; text: string | null; channel: string; timestamp: string; [field: string]: unknown };
}

/** Options of `client.watchInbound()`. */
export interface WatchInboundOptions {
  /** Wait between polls, ms. Default 2000. Each poll costs 1 + (number of app users) API calls. */
  intervalMs?: number;
  /** Stops the iteration (it then ends without an error). */
  signal?: import('../index').AbortSignalLike;
  /** Only messages with a timestamp after this (Date, RFC 3339 string or epoch ms). Default: now, so only new messages. */
  since?: Date | string | number;
}
