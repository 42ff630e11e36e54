/**
 * What the chat island sees of a conversation client: the snapshot it
 * renders and the options it opens a client with.
 *
 * @module
 */
import type { KemBackend } from "../crypto/kem.ts";
import type { ClientParts } from "./client_parts.ts";
import type { Problem } from "./client_state.ts";
import type { ExtensionView } from "./extension_end.ts";
import type { ConnectionState } from "./connection.ts";
import { canSeal, isResetting } from "./channel_state.ts";
import type { SendRate } from "./send_budget.ts";
import type { ClientPreferences } from "./signals.ts";
import type { ClientStorage, StoredConversation, StoredMessage } from "./storage.ts";
import { type HistoryEvent, localEvents } from "./timeline.ts";

/** What this browser knows of the other person. */
export type PeerState = "waiting" | "online" | "offline";

/** A snapshot of the conversation for the UI. */
export interface ClientView {
  connection: ConnectionState;
  peer: PeerState;
  /** The visible messages (texts, files, timer notices), oldest first. */
  messages: StoredMessage[];
  problems: Problem[];
  /** How the conversation ended, or null while it goes on. */
  closed: StoredConversation["closed"];
  /** True when a message can be written now (it may still wait as pending). */
  canSend: boolean;
  /** True once both sides hold the session keys. */
  secure: boolean;
  /** The safety number the user marked as verified, if any. */
  verified: string | null;
  kemBackend: KemBackend;
  /** True while the other person is typing (if typing notices are on). */
  peerTyping: boolean;
  /** Disappearing messages: seconds a new message lives; 0 keeps it. */
  timer: number;
  /** Outgoing files being sent: message ID → chunks sent so far. */
  transfers: Record<string, number>;
  /** True from the start of a session reset until both sides hold the new keys. */
  resetting: boolean;
  /**
   * True when a session reset may be started: the peer is pinned, its keys
   * are not in doubt and the conversation goes on.
   */
  canReset: boolean;
  /** The media of a call ringing here that the call panel has not taken yet. */
  callRinging: "audio" | "video" | null;
  /** Why a call cannot start now, or null when it can. */
  callBlocked: string | null;
  /** Local lines of the history (who joined when), from what this browser keeps. */
  events: HistoryEvent[];
  /** When the conversation ends; moved later by an extension both agreed to. */
  expiresAt: string;
  /** An extension asked for by either side, or refused. */
  extension: ExtensionView;
}

/** The snapshot of a client's parts for the UI. */
export function viewOf(parts: ClientParts): ClientView {
  const { conversation, messages, problems } = parts.state;
  const { closed, peer } = conversation;
  return {
    connection: parts.connection.status,
    peer: peer === null ? "waiting" : parts.connection.isOnline(peer.id) ? "online" : "offline",
    // Hello and action rows are never shown, nor what was deleted for this person only.
    messages: messages.filter((m) =>
      m.kind !== "hello" && m.kind !== "action" && m.deleted !== "me"
    ),
    problems: [...problems],
    closed,
    canSend: closed === null && problems.length === 0,
    secure: canSeal(conversation),
    verified: conversation.verified,
    kemBackend: conversation.kemBackend,
    peerTyping: parts.signals.peerTyping,
    timer: conversation.timer,
    transfers: parts.files.progress,
    resetting: isResetting(conversation),
    canReset: peer !== null && closed === null && problems.every((p) => p.kind !== "keys"),
    callRinging: parts.calls.ringing,
    callBlocked: parts.calls.whyNot(),
    events: localEvents(conversation, messages),
    expiresAt: conversation.expiresAt,
    extension: parts.extension.view,
  };
}

/** Options of `ConversationClient.open()`. */
export interface ConversationClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  storage: ClientStorage;
  /** Called after every change with a fresh snapshot. */
  onChange?: (view: ClientView) => void;
  /**
   * Called when the conversation was deleted from this browser (in Settings
   * or another tab) while this client had it open; the client has stopped.
   */
  onGone?: () => void;
  /** Read at each use, so a change in settings applies at once. */
  preferences?: () => Partial<ClientPreferences>;
  /** How fast frames may go out; below the relay's per-socket limit. */
  sendRate?: SendRate;
  /** Opens the socket; tests pass a fake. */
  openSocket?: (url: URL) => WebSocket;
  /** How long a call rings before it counts as missed (milliseconds). */
  ringMs?: number;
}
