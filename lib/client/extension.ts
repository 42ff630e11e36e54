/**
 * **Extension**: the end of a conversation, moved later when both people
 * agree. One side asks the server (`Connection.requestExtension`); the server
 * passes the request on as `extend_requested`, and applies it once the other
 * side asks for the same time, telling both sockets `extended`. The server
 * learns only the new end, which it must know to keep the conversation.
 *
 * A relay could fake either frame: a fake request only shows a question the
 * person may decline, and a fake `extended` can only move this browser's
 * countdown later (never earlier); the server's record stays the authority,
 * and the end is checked against it when the conversation closes. A browser
 * that missed `extended` (its socket dropped, or a relay swallowed it) takes
 * the later end from the record at its next read (see `peer_keys.ts`).
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";

/** How long before its end the chat warns that a conversation ends, in ms. */
export const END_WARNING_MS = 65 * 60 * 1000;

/** How much later an extension moves the end, before the server's limit: one day. */
export const EXTENSION_STEP_MS = 24 * 60 * 60 * 1000;

/** What the chat shows of an extension. */
export interface ExtensionView {
  /** The end the other person asked for, waiting for this side's answer. */
  proposed: string | null;
  /** The end this side asked for, waiting for the other person. */
  asked: string | null;
  /** Why the last request was refused, in words. */
  error: string | null;
}

/** The server's refusals, as the person is told: catalogue keys. */
const REFUSALS: Record<string, string> = {
  lifetime_too_long: "chat.extension_too_long",
  not_later: "chat.extension_not_later",
  peer_offline: "chat.extension_peer_offline",
  not_found: "chat.extension_not_found",
};

/**
 * The end an extension proposes: one day after the current end, but no later
 * than `maxLifetime` seconds after creation; null when no later end is allowed.
 */
export function proposedEnd(
  conversation: { createdAt: string; expiresAt: string },
  maxLifetime: number,
): string | null {
  const current = Date.parse(conversation.expiresAt);
  const limit = Date.parse(conversation.createdAt) + maxLifetime * 1000;
  const end = Math.min(current + EXTENSION_STEP_MS, limit);
  // Less than a minute more is not worth asking for.
  return end - current >= 60_000 ? new Date(end).toISOString() : null;
}

/** Whether `next` is a valid end later than `current`: the only way an end may move. */
export function isLaterEnd(current: string, next: string): boolean {
  const at = Date.parse(next);
  return Number.isFinite(at) && at > Date.parse(current);
}

/** Whether the end-of-conversation warning shows at `now`. */
export function endIsNear(expiresAt: string, now = Date.now()): boolean {
  const left = Date.parse(expiresAt) - now;
  return left > 0 && left <= END_WARNING_MS;
}

/** Asks for, answers and applies extensions of one conversation. */
export class Extension {
  #state: ClientState;
  #connection: Connection;
  #view: ExtensionView = { proposed: null, asked: null, error: null };

  constructor(state: ClientState, connection: Connection) {
    this.#state = state;
    this.#connection = connection;
  }

  get view(): ExtensionView {
    return { ...this.#view };
  }

  /** Asks for the conversation to end at `expiresAt` instead; false when offline. */
  request(expiresAt: string): boolean {
    if (!this.#isLater(expiresAt)) return false;
    if (!this.#connection.requestExtension(expiresAt)) {
      this.#view = { ...this.#view, error: t(REFUSALS.peer_offline) };
      this.#state.changed();
      return false;
    }
    // Asking for what the other person asked for is agreeing to it.
    this.#view = { proposed: null, asked: expiresAt, error: null };
    this.#state.changed();
    return true;
  }

  /** Agrees to the other person's request. */
  accept(): boolean {
    const proposed = this.#view.proposed;
    return proposed !== null && this.request(proposed);
  }

  /** Declines the other person's request (nothing is sent: it lapses). */
  decline(): void {
    this.#view = { ...this.#view, proposed: null };
    this.#state.changed();
  }

  /** Takes an `extend_requested`, `extended` or `error` frame; runs in the client's queue. */
  async onFrame(frame: ServerFrame): Promise<void> {
    const state = this.#state;
    if (frame.type === "extend_requested") {
      if (!this.#isLater(frame.expiresAt)) return;
      this.#view = { ...this.#view, proposed: frame.expiresAt, error: null };
    } else if (frame.type === "extended") {
      this.#view = { proposed: null, asked: null, error: null };
      // Only ever later: a relay cannot shorten this browser's idea of the end.
      if (this.#isLater(frame.expiresAt) && state.conversation.closed === null) {
        await state.save({ ...state.conversation, expiresAt: frame.expiresAt });
      }
    } else if (frame.type === "error" && frame.code in REFUSALS && this.#view.asked !== null) {
      this.#view = { ...this.#view, asked: null, error: t(REFUSALS[frame.code]) };
    } else {
      return;
    }
    state.changed();
  }

  #isLater(expiresAt: string): boolean {
    return isLaterEnd(this.#state.conversation.expiresAt, expiresAt);
  }
}
