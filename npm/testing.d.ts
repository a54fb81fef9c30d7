// Types of messagemedia-conversations-sdk/testing.
import type { ClientOptions, ConversationsClient } from './index';

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

export interface SimulatedInbound {
  text: string;
  /** Write as this existing app user. */
  appUserId?: string;
  givenName?: string;
  surname?: string;
  pageId?: string;
  [field: string]: unknown;
}

export interface SimulatedInboundResult {
  appUserId: string;
  message: { direction: string; text: string | null; channel: string; timestamp: string; [field: string]: unknown };
  /** The callback body exactly as the sandbox delivers it (snake_case wire format): parseCallback(event) reads it. */
  event: Record<string, unknown>;
  /** null when the account has no callback URL. */
  deliveryId: number | null;
}

export interface Delivery {
  id: number;
  url: string;
  /** The callback body as delivered (snake_case wire format). */
  event: Record<string, unknown>;
  createdAt: string;
  attempts: number;
  delivered: boolean;
  /** No further attempt will be made. */
  done: boolean;
  status: number | null;
  lastError: string | null;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  client(options?: ClientOptions): ConversationsClient;
  simulateInbound(message: SimulatedInbound): Promise<SimulatedInboundResult>;
  deliveries(): Promise<Delivery[]>;
  close(): Promise<void>;
}

/** Starts a local sandbox. @throws ERR_CONVERSATIONS_NO_SANDBOX off linux-x64 without CONVERSATIONS_SANDBOX_BIN. */
export declare function startSandbox(options?: StartSandboxOptions): Promise<Sandbox>;
/** The sandbox binary that would be started. */
export declare function sandboxBinary(): string;
