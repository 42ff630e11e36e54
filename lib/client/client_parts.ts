/**
 * Wires the parts of a conversation client together, in the one order data
 * flows through them. `ConversationClient` is built on this; tests use it to
 * drive one part and watch the others.
 *
 * @module
 */
import { ClientState } from "./client_state.ts";
import { Connection } from "./connection.ts";
import { Courier } from "./courier.ts";
import { Ending } from "./ending.ts";
import { Expiry } from "./expiry.ts";
import { LazyExtension } from "./lazy_extension.ts";
import { routeFrame, type RouterParts } from "./frame_router.ts";
import { LazyMessageActions } from "./lazy_actions.ts";
import { LazyCalls } from "./lazy_calls.ts";
import { LazyInbox } from "./lazy_inbox.ts";
import { LazyFileTransfer } from "./lazy_files.ts";
import { Outbox } from "./outbox.ts";
import { PeerKeys } from "./peer_keys.ts";
import { Receipts } from "./receipts.ts";
import type { SendRate } from "./send_budget.ts";
import { LazySessionReset } from "./lazy_reset.ts";
import { type ClientPreferences, Signals } from "./signals.ts";
import type { ClientStorage, StoredConversation, StoredMessage } from "./storage.ts";

/** What the parts are built from. */
export interface PartsOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  storage: ClientStorage;
  conversation: StoredConversation;
  messages: StoredMessage[];
  /** Read at each use, so a change in settings applies at once. */
  preferences: () => ClientPreferences;
  /** Called after every change. */
  onChange: () => void;
  /** Called when another tab has taken the conversation over. */
  onStale: () => void;
  /** Called when the conversation was deleted from this browser while open (`onStale` if not given). */
  onGone?: () => void;
  sendRate?: SendRate;
  /** Opens the socket; tests pass a fake. */
  openSocket?: (url: URL) => WebSocket;
  /** How long a call rings before it counts as missed (milliseconds). */
  ringMs?: number;
}

/** Every part of one conversation client. */
export interface ClientParts extends RouterParts {
  connection: Connection;
  courier: Courier;
  receipts: Receipts;
  files: LazyFileTransfer;
  expiry: Expiry;
  reset: LazySessionReset;
  actions: LazyMessageActions;
  calls: LazyCalls;
}

/** Builds the parts of one conversation client, wired to each other. */
export function composeParts(options: PartsOptions): ClientParts {
  const { baseUrl, preferences } = options;
  const state = new ClientState(options.conversation, options.messages, {
    storage: options.storage,
    onChange: options.onChange,
    onStale: options.onStale,
    onGone: options.onGone,
  });
  const connection = new Connection({
    baseUrl,
    state,
    sendRate: options.sendRate,
    openSocket: options.openSocket,
    onFrame: (frame): Promise<void> => routeFrame(parts, frame),
  });
  const courier = new Courier(state, connection);
  const receipts = new Receipts(state, connection, courier);
  const files = new LazyFileTransfer({ state, connection, courier, receipts });
  const outbox = new Outbox({ state, connection, courier, receipts, files });
  const signals = new Signals({ state, courier, outbox, preferences });
  const peers = new PeerKeys(baseUrl, state);
  const ending = new Ending({ state, connection, courier, peers });
  const reset = new LazySessionReset({ state, courier, outbox, receipts });
  const actions = new LazyMessageActions({ state, outbox, receipts });
  const calls = new LazyCalls({ state, courier, connection }, { ringMs: options.ringMs });
  const inbox = new LazyInbox({
    state,
    peers,
    courier,
    receipts,
    outbox,
    files,
    signals,
    ending,
    reset,
    actions,
    calls,
    preferences,
  });
  const expiry = new Expiry(state);
  const extension = new LazyExtension(state, connection);
  const parts: ClientParts = {
    state,
    connection,
    courier,
    receipts,
    files,
    outbox,
    signals,
    peers,
    ending,
    inbox,
    expiry,
    reset,
    actions,
    calls,
    extension,
  };
  return parts;
}
