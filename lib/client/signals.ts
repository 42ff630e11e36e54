/**
 * What the two people tell each other besides messages: typing notices
 * (both ways, never stored), read receipts (only when both allow them), and
 * the disappearing-messages timer (a stored notice; the later change wins).
 *
 * @module
 */
import { MAX_RECEIPT_IDS, TIMER_CHOICES } from "../crypto/payload_limits.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import type { Outbox } from "./outbox.ts";

/** A typing notice is repeated this often while typing, and forgotten after twice that. */
const TYPING_REPEAT_MS = 3000;

/** The person's choices that change what goes on the wire. */
export interface ClientPreferences {
  /** Send and show typing notices. */
  typingIndicator: boolean;
  /** Send and show read receipts (both people must allow them). */
  readReceipts: boolean;
  /** The largest file to send or accept, in bytes. */
  maxFileBytes: number;
}

/** The parts signals work with. */
export interface SignalParts {
  state: ClientState;
  courier: Courier;
  outbox: Outbox;
  /** Read at each use, so a change in settings applies at once. */
  preferences: () => ClientPreferences;
}

/** Typing, reading and the timer, for one conversation. */
export class Signals {
  #parts: SignalParts;
  #peerTyping = false;
  #peerTypingTimer: ReturnType<typeof setTimeout> | undefined;
  #typingSentAt = 0;

  constructor(parts: SignalParts) {
    this.#parts = parts;
  }

  /** True while the other person is typing and typing notices are on. */
  get peerTyping(): boolean {
    return this.#peerTyping && this.#parts.preferences().typingIndicator;
  }

  /** Tells the other person that this one is typing, or stopped; never queued. */
  setTyping(active: boolean): void {
    if (!this.#parts.preferences().typingIndicator) return;
    const now = Date.now();
    if (active && now - this.#typingSentAt < TYPING_REPEAT_MS) return;
    if (!active && this.#typingSentAt === 0) return;
    this.#typingSentAt = active ? now : 0;
    const { state, courier } = this.#parts;
    state.serial(() =>
      courier.sendEphemeral({ v: 2, type: "typing", id: state.ulid(), active, sentAt: now })
    );
  }

  /** A message was sent: the next keystroke announces typing again at once. */
  sent(): void {
    this.#typingSentAt = 0;
  }

  /** Shows or hides the peer's typing notice; it fades by itself. */
  onPeerTyping(active: boolean): void {
    clearTimeout(this.#peerTypingTimer);
    this.#peerTyping = active;
    if (active) {
      this.#peerTypingTimer = setTimeout(() => {
        this.#peerTyping = false;
        this.#parts.state.changed();
      }, TYPING_REPEAT_MS * 2);
    }
    this.#parts.state.changed();
  }

  /**
   * Marks every received message as read, and says so when read receipts are
   * on. Nothing changes while sending is paused, so no read receipt is lost.
   */
  markRead(): void {
    const { state, courier, preferences } = this.#parts;
    state.serial(async () => {
      if (state.paused) return;
      const unread = state.messages.filter((m) => m.direction === "in" && m.status === "received");
      if (unread.length === 0) return;
      for (const message of unread) await state.update(message, { status: "read" });
      if (!preferences().readReceipts) return;
      const ids = unread.map((m) => m.id);
      for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
        await courier.sendEphemeral({
          v: 2,
          type: "read",
          id: state.ulid(),
          ids: ids.slice(i, i + MAX_RECEIPT_IDS),
          sentAt: Date.now(),
        });
      }
    });
  }

  /** Sets the disappearing-messages timer for both people (seconds; 0 turns it off). */
  async setTimer(seconds: number): Promise<void> {
    if (!TIMER_CHOICES.includes(seconds)) {
      throw new RangeError(`Invalid timer ${seconds}: expected one of ${TIMER_CHOICES.join(", ")}`);
    }
    const { state, outbox } = this.#parts;
    const id = state.ulid();
    await state.serial(() => state.save({ ...state.conversation, timer: seconds, timerId: id }));
    await outbox.write({ kind: "timer", text: "", timer: seconds }, id);
  }

  stop(): void {
    clearTimeout(this.#peerTypingTimer);
  }
}
