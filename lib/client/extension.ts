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
 * The page fetches this file with the first frame about an extension, or
 * when the person asks for one (`lazy_extension.ts`).
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import { type ExtensionView, isLaterEnd } from "./extension_end.ts";

/** The server's refusals, as the person is told: catalogue keys. */
const REFUSALS: Record<string, string> = {
  lifetime_too_long: "chat.extension_too_long",
  not_later: "chat.extension_not_later",
  peer_offline: "chat.extension_peer_offline",
  not_found: "chat.extension_not_found",
};

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
