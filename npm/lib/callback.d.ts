// Types of inbound callbacks (lib/callback.js), re-exported by index.d.ts.

/**
 * One callback event. The beta's callback format is undocumented: this is the sandbox's event,
 * the provisional contract. Unknown event types and fields are kept (keys camelCased), and
 * `raw` is the body exactly as parsed.
 */
export interface CallbackEventBase {
  type: string;
  accountId: string | null;
  pageId: string | null;
  appUser: CallbackAppUser | null;
  message: CallbackMessage | null;
  /** Equal for redeliveries of the same event (its `id`, else type, account, user, direction, timestamp and text). */
  dedupKey: string;
  /** The body as sent (snake_case). */
  raw: unknown;
  /** Fields this version does not know. */
  [field: string]: unknown;
}

export interface CallbackAppUser {
  id: string;
  givenName: string | null;
  surname: string | null;
  [field: string]: unknown;
}

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
  type: 'message.received';
  appUser: CallbackAppUser;
  message: CallbackMessage;
}

/** Any event. For `message.received`, `appUser` and `message` are always present. */
export type CallbackEvent = MessageReceivedEvent | (CallbackEventBase & { type: string & {} });

/** What a verifier sees: the parts MessageMedia's signed webhooks sign (request line, Date, body). */
export interface CallbackVerifyRequest {
  method: string;
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

export type CallbackErrorCode = 'not_json' | 'not_an_event' | 'unverified' | 'stale' | 'too_large' | 'handler_failed';

/** A refused callback (parseCallback throws it). */
export declare class CallbackError extends Error {
  readonly code: CallbackErrorCode;
  /** The HTTP status a receiver answers with (400, 401, ...). */
  readonly status: number;
}

export declare class CallbackDeduper {
  constructor(options?: { max?: number });
  has(key: string): boolean;
  add(key: string): void;
}

/** A Node-style `(req, res)` listener; also usable as an Express or Fastify route handler. */
export type CallbackListener = (req: any, res: any) => Promise<unknown>;

/** Parses a callback body (raw text/bytes, or an already parsed object) into an event. @throws {CallbackError} */
export declare function parseCallback(
  body: string | Uint8Array | ArrayBuffer | object,
  headers?: Record<string, string | string[] | undefined> | { forEach(cb: (value: string, name: string) => void): void; get(name: string): string | null },
  options?: { maxAgeMs?: number; now?: number },
): CallbackEvent;

/** 200 once `onEvent` resolved; 400 not an event; 401 unverified; 413 too large; 500 when `onEvent` throws. Never rejects. */
export declare function createCallbackHandler(
  onEvent: (event: CallbackEvent) => unknown,
  options?: CallbackHandlerOptions,
): CallbackListener;

/** The same for fetch-style runtimes (Next.js route handlers, workers, Deno, Bun). Never rejects. */
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
  appUser: { id: string; givenName: string | null; surname: string | null; [field: string]: unknown };
  message: { direction: string; text: string | null; channel: string; timestamp: string; [field: string]: unknown };
}

export interface WatchInboundOptions {
  /** Wait between polls, ms. Default 2000. Each poll costs 1 + (number of app users) API calls. */
  intervalMs?: number;
  /** Stops the iteration (it then ends without an error). */
  signal?: import('../index').AbortSignalLike;
  /** Only messages with a timestamp after this (Date, RFC 3339 string or epoch ms). Default: now, so only new messages. */
  since?: Date | string | number;
}
