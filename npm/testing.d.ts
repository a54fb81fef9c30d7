// Types of messagemedia-conversations-sdk/testing.
import type { ClientOptions, ConversationsClient } from './index';

/** Options of {@link startSandbox}; unknown ones are refused with a TypeError. */
export interface StartSandboxOptions {
  /** Start with the demo world (account, page, Ben Sims and Robert Hood with conversations). */
  seedDemo?: boolean;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Keep the state in this file across restarts. */
  data?: string;
  /** API key (Basic user name); default `sandbox-key`. */
  key?: string;
  /** API secret (Basic password); default `sandbox-secret`. */
  secret?: string;
}

/** The argument of {@link Sandbox.simulateInbound}: what a Facebook user writes. */
export interface SimulatedInbound {
  /** The message text. */
  text: string;
  /** Write as this existing app user. */
  appUserId?: string;
  /** Given name of a new app user (default: the existing user's, else `Alex`). */
  givenName?: string;
  /** Surname of a new app user (default: the existing user's, else `Tester`). */
  surname?: string;
  /** The page written to (default: the user's page, else the first integrated one). */
  pageId?: string;
  /** Extra fields (e.g. rich-message ones), passed on in snake_case. */
  [field: string]: unknown;
}

/** What {@link Sandbox.simulateInbound} resolves with. */
export interface SimulatedInboundResult {
  /** The app user who wrote. */
  appUserId: string;
  /** The stored RECEIVED message. */
  message: { direction: string; text: string | null; channel: string; timestamp: string; [field: string]: unknown };
  /** The callback body exactly as the sandbox delivers it (snake_case wire format): parseCallback(event) reads it. */
  event: Record<string, unknown>;
  /** The id of the callback delivery ({@link Delivery}); null when the account has no callback URL. */
  deliveryId: number | null;
}

/** A callback delivery the sandbox made or is still retrying ({@link Sandbox.deliveries}). */
export interface Delivery {
  /** The delivery's id. */
  id: number;
  /** The callback URL it goes to. */
  url: string;
  /** The callback body as delivered (snake_case wire format). */
  event: Record<string, unknown>;
  /** When it was created. */
  createdAt: string;
  /** Attempts made so far. */
  attempts: number;
  /** Whether an attempt succeeded. */
  delivered: boolean;
  /** No further attempt will be made. */
  done: boolean;
  /** The last attempt's HTTP status, or null. */
  status: number | null;
  /** The last attempt's error, or null. */
  lastError: string | null;
}

/**
 * A running sandbox (a local stand-in of the Conversations API in a child process), from
 * {@link startSandbox}. It is killed when the process exits.
 * @example
 * const sandbox = await startSandbox({ seedDemo: true });
 * const client = sandbox.client();
 * const { data } = await client.listAppUsers();
 * await sandbox.close();
 */
export interface Sandbox {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Its API key (`key`, default `sandbox-key`). */
  readonly username: string;
  /** Its API secret (`secret`, default `sandbox-secret`). */
  readonly password: string;
  /**
   * A ConversationsClient for this sandbox.
   * @param options merged over the sandbox's URL and credentials.
   */
  client(options?: ClientOptions): ConversationsClient;
  /**
   * A Facebook user writes to the page: stores a RECEIVED message and, when the account has a
   * callback URL, delivers the event to it.
   * @param message the text, and optionally the app user, names and page.
   * @throws {TypeError} when `message` is not an object (thrown inside the async function: the promise rejects).
   * @throws {Error} (a rejection) for an unknown `appUserId`, no integrated page, or a sandbox error (with `status`).
   * @example
   * const { event } = await sandbox.simulateInbound({ text: 'Hi there' });
   */
  simulateInbound(message: SimulatedInbound): Promise<SimulatedInboundResult>;
  /** The callback deliveries the sandbox made (or is still retrying), oldest first. */
  deliveries(): Promise<Delivery[]>;
  /** Stops the sandbox (state in `data`, if given, is already on disk); resolves when it exited. */
  close(): Promise<void>;
}

/**
 * Starts a local sandbox (a stand-in of the Conversations API) in a child process.
 * @param options seed data, port, host, state file, credentials.
 * @returns the running {@link Sandbox}, once it listens.
 * @throws {TypeError} (a rejection) for an unknown option or a bad value.
 * @throws {Error} with `code` `ERR_CONVERSATIONS_NO_SANDBOX` (a rejection) when no sandbox binary
 *   is found (off linux-x64 without `CONVERSATIONS_SANDBOX_BIN`); a plain Error when the sandbox
 *   cannot start or exits before listening.
 * @example
 * import { startSandbox } from 'messagemedia-conversations-sdk/testing';
 * const sandbox = await startSandbox({ seedDemo: true });
 */
export declare function startSandbox(options?: StartSandboxOptions): Promise<Sandbox>;
/**
 * The sandbox binary that would be started: `CONVERSATIONS_SANDBOX_BIN`, the prebuilt one in the
 * package, or (in the SDK's own repository) cargo's debug build.
 * @throws {Error} with `code` `ERR_CONVERSATIONS_NO_SANDBOX`, saying how to get one.
 */
export declare function sandboxBinary(): string;
