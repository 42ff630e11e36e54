/**
 * The bound on frames in flight. A relay that fakes the peer's presence and
 * drops what it is given can make a browser seal typing notices, read
 * receipts and file chunks for nobody; every one moves the sending chain on,
 * and once the peer would have to skip more than `MAX_SKIP` (25,000) message
 * keys at once the session is broken. So this side counts the frames of those
 * kinds it seals, and holds them back once {@linkcode MAX_IN_FLIGHT} were
 * sealed after the newest frame the peer has acknowledged, or after the
 * oldest kept message it has not: the peer keeps 2000 skipped keys, oldest
 * out first, so a relay that drops a text and lets one frame in a few
 * hundred through (each acknowledged, lifting the first bound) would
 * otherwise make the peer drop the text's key, and the text, resent once
 * the relay behaves, could never be opened.
 *
 * - Counted and held ("bounded"): typing, read and chunk frames, call
 *   signalling, and receipts
 *   that only acknowledge again what was acknowledged before (a relay can
 *   replay a message to ask for them), refusals said again and cancels told
 *   again (a relay can ask for those with replays and presence flips).
 *   Never held: messages that are kept
 *   (texts, files, timer changes, the hello), which people write, and
 *   receipts for anything new.
 * - The peer acknowledges every typing, read, chunk and cancel frame it opens (in
 *   batched receipts), besides kept messages. An acknowledgement of a frame
 *   counts for where that frame was sealed, not for when the receipt came:
 *   receipts the relay held back or replays cannot lift the bound twice.
 * - The count is kept in the stored conversation (`flight`) and saved with
 *   the ratchet, so a reload does not reset it; where each frame was sealed
 *   is kept in memory only.
 * - A side held for long sends one bounded frame as a probe at growing
 *   intervals ({@linkcode FIRST_PROBE_MS}, doubling up to
 *   {@linkcode MAX_PROBE_MS}), so it finds out by itself when the relay lets
 *   frames through again, e.g. after a reload forgot what was in flight.
 *
 * @module
 */
import type { Payload } from "../crypto/payload.ts";
import { CALL_PAYLOAD_TYPES } from "../crypto/payload_call.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/**
 * Bounded frames this side seals beyond the newest one the peer
 * acknowledged. Half of `MAX_SKIPPED_KEYS` (2000), far below `MAX_SKIP`:
 * together with the kept messages and new receipts sealed meanwhile, the
 * peer's skipped keys then still cover every message sealed before a gap,
 * so one resent later still opens. At 72 chunks a second it is 14 s of
 * sending ahead of the receipts, which a transfer never comes near.
 */
export const MAX_IN_FLIGHT = 1000;

/** The first probe waits this long once the bound holds. */
export const FIRST_PROBE_MS = 1000;

/** Probes double their wait up to this: a relay gains at most one frame per ten minutes. */
export const MAX_PROBE_MS = 10 * 60_000;

/** How long a held transfer waits before it looks again (a probe may be due). */
const WAIT_MS = 1000;

/** The stored count: bounded frames sealed this session, and how many the peer has acknowledged. */
export interface FlightCount {
  /** Bounded frames sealed in this session. */
  sealed: number;
  /** The value `sealed` had at the newest frame the peer acknowledged. */
  acknowledged: number;
  /**
   * Kept messages sealed in this session that the peer has not acknowledged:
   * ID → the value `sealed` had when each was sealed. Absent when none.
   */
  kept?: Readonly<Record<string, number>>;
}

/** The count of a new session. */
export const NO_FLIGHT: FlightCount = Object.freeze({ sealed: 0, acknowledged: 0 });

/** Payload types the peer acknowledges once it opened them. */
const ACKNOWLEDGED = new Set<Payload["type"]>([
  "text",
  "file",
  "timer",
  "hello",
  "typing",
  "read",
  "chunk",
  "reply",
  "reaction",
  "edit",
  "delete",
  "refusal",
  "cancel",
  ...CALL_PAYLOAD_TYPES as ReadonlySet<Payload["type"]>,
]);

/**
 * Payload types of the messages the outbox keeps and sends again until
 * acknowledged, and that the peer acknowledges as soon as they open. A
 * file's announcement is acknowledged only once the whole file arrived (or
 * never: a refused or cancelled file), so the acknowledgement of any of its
 * chunks counts for it too: the peer acknowledges chunks only of a file it
 * knows (see `inbox.ts`).
 */
const KEPT = new Set<Payload["type"]>([
  "text",
  "reply",
  "timer",
  "hello",
  "reaction",
  "edit",
  "delete",
  "file",
]);

/**
 * Whether a kept message, as stored here, may still be sent again: not if
 * it expired or was deleted here, nor a file refused there, cancelled, or
 * deleted here (its chunks never go again, so it would never be whole).
 */
export function stillToSend(message: StoredMessage | undefined): boolean {
  if (message === undefined) return false;
  if (message.kind !== "file") return true;
  return message.file !== null && message.file.cancelled === undefined &&
    message.status !== "refused";
}

/** Whether a payload is of a kind the bound counts and holds back. */
export function isBounded(payload: Payload, again = false): boolean {
  return payload.type === "typing" || payload.type === "read" || payload.type === "chunk" ||
    CALL_PAYLOAD_TYPES.has(payload.type) ||
    ((payload.type === "receipt" || payload.type === "refusal" || payload.type === "cancel") &&
      again);
}

/** The stored count of a conversation (none on records made before it). */
export function flightOf(conversation: StoredConversation): FlightCount {
  return conversation.flight ?? NO_FLIGHT;
}

/**
 * Bounded frames sealed after the newest frame the peer acknowledged, or
 * after the oldest kept message it has not, whichever is more. A kept
 * message for which `isWaiting` says false (it expired or was deleted here,
 * so it will never be sent again) no longer counts.
 */
export function inFlight(
  conversation: StoredConversation,
  isWaiting: (id: string) => boolean = () => true,
): number {
  const { sealed, acknowledged, kept = {} } = flightOf(conversation);
  let from = acknowledged;
  for (const [id, mark] of Object.entries(kept)) if (mark < from && isWaiting(id)) from = mark;
  return sealed - from;
}

/** The in-memory half of the bound for one conversation: marks, probes, waiters. */
export class FlightMarks {
  /** Frame ID → the count `sealed` reached with it, for frames the peer acknowledges. */
  #marks = new Map<string, number>();
  /** Chunk frame ID → its file's ID, for chunks not yet acknowledged. */
  #fileOf = new Map<string, string>();
  #probeAt = 0;
  #probeWait = FIRST_PROBE_MS;
  #waiters: (() => void)[] = [];
  #isWaiting: (id: string) => boolean;

  /** `isWaiting(id)`: whether the kept message `id` may still be sent again. */
  constructor(isWaiting: (id: string) => boolean = () => true) {
    this.#isWaiting = isWaiting;
  }

  /** Bounded frames in flight in `conversation` (see {@linkcode inFlight}). */
  count(conversation: StoredConversation): number {
    return inFlight(conversation, this.#isWaiting);
  }

  /**
   * Whether a bounded frame may be sealed now: below the bound, or as a
   * probe when one is due (`probe` false: never, as for a receipt, which
   * the peer does not acknowledge). A probe allowed here counts as sent.
   */
  allows(conversation: StoredConversation, probe: boolean): boolean {
    if (this.count(conversation) < MAX_IN_FLIGHT) return true;
    const now = Date.now();
    // The first probe is due a while after the bound was first met.
    if (this.#probeAt === 0) this.#probeAt = now + this.#probeWait;
    if (!probe || now < this.#probeAt) return false;
    this.#probeWait = Math.min(this.#probeWait * 2, MAX_PROBE_MS);
    this.#probeAt = now + this.#probeWait;
    return true;
  }

  /** The count after sealing `payload`; remembers where it was sealed. */
  sealed(conversation: StoredConversation, payload: Payload, again = false): FlightCount {
    const count = flightOf(conversation);
    const next = isBounded(payload, again) ? { ...count, sealed: count.sealed + 1 } : count;
    if (ACKNOWLEDGED.has(payload.type)) this.#marks.set(payload.id, next.sealed);
    if (payload.type === "chunk") this.#fileOf.set(payload.id, payload.file);
    if (!KEPT.has(payload.type)) return next;
    return { ...next, kept: { ...next.kept, [payload.id]: next.sealed } };
  }

  /**
   * The conversation with the peer's acknowledgement of `ids` counted: the
   * newest place one of them was sealed, and the kept messages among them
   * (or whose chunks are among them) no longer waiting. Unknown IDs count
   * for nothing. Wakes held senders when the bound lifts.
   */
  acknowledge(conversation: StoredConversation, ids: readonly string[]): StoredConversation {
    const count = flightOf(conversation);
    let at = count.acknowledged;
    for (const id of ids) at = Math.max(at, this.#marks.get(id) ?? at);
    at = Math.min(at, count.sealed);
    const kept = { ...count.kept };
    let forgot = false;
    for (const id of ids) {
      const message = this.#fileOf.get(id) ?? id;
      if (!(message in kept)) continue;
      delete kept[message];
      forgot = true;
    }
    if (at <= count.acknowledged && !forgot) return conversation;
    for (const [id, mark] of this.#marks) {
      if (mark > at) continue;
      this.#marks.delete(id);
      this.#fileOf.delete(id);
    }
    const flight: FlightCount = { sealed: count.sealed, acknowledged: at };
    if (Object.keys(kept).length > 0) flight.kept = kept;
    const next = { ...conversation, flight };
    if (this.count(next) < MAX_IN_FLIGHT) {
      this.#probeAt = 0;
      this.#probeWait = FIRST_PROBE_MS;
      for (const wake of [...this.#waiters]) wake();
    }
    return next;
  }

  /** Resolves when an acknowledgement lifts the bound, or after a second at most. */
  whenOpen(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, WAIT_MS);
      this.#waiters.push(done);
    });
  }

  /** Forgets every mark and probe, as a new session starts. */
  restart(): void {
    this.#marks.clear();
    this.#fileOf.clear();
    this.#probeAt = 0;
    this.#probeWait = FIRST_PROBE_MS;
    for (const wake of [...this.#waiters]) wake();
  }
}
