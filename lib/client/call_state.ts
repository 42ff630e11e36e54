/**
 * What a call shows: its phases, the snapshot the call panel renders, and
 * the words for why a call ended.
 *
 * @module
 */
import type { CallEndReason, CallMedia } from "../crypto/payload_call.ts";

/** Where a call stands. */
export type CallPhase =
  | "calling"
  | "ringing"
  | "connecting"
  | "connected"
  | "reconnecting"
  | "ended";

/** What the call panel shows. */
export interface CallSnapshot {
  phase: CallPhase;
  direction: "out" | "in";
  media: CallMedia;
  /** Why the call ended, once it has. */
  why: string | null;
  /** When the call connected (milliseconds since the epoch), for the timer. */
  connectedAt: number | null;
  muted: boolean;
  cameraOff: boolean;
  /** "frames": sealed end to end on top of DTLS-SRTP; "dtls": DTLS-SRTP alone. */
  protection: "frames" | "dtls" | null;
  local: MediaStream | null;
  remote: MediaStream | null;
}

/** The snapshot of a call that has just been placed or begun to ring. */
export function newSnapshot(
  init: Pick<CallSnapshot, "direction" | "media" | "phase">,
): CallSnapshot {
  return {
    phase: init.phase,
    direction: init.direction,
    media: init.media,
    why: null,
    connectedAt: null,
    muted: false,
    cameraOff: false,
    protection: null,
    local: null,
    remote: null,
  };
}

/** How long a call may take from answer to connected. */
export const CONNECT_MS = 30_000;

/** What the other side is told when the peer ends a call for `reason`. */
export const END_TEXTS: Record<CallEndReason, string> = {
  hangup: "The other person hung up.",
  cancelled: "The other person cancelled the call.",
  missed: "Missed call.",
  busy: "The other person is in another call.",
  failed: "The call could not be connected.",
  security: "The call was ended: its connection could not be verified.",
};

/** "Audio call" or "Video call". */
export const label = (media: CallMedia) => media === "video" ? "Video call" : "Audio call";

/** The one running timer of a call: ring time, connect time or reconnect time. */
export class CallTimer {
  #id: ReturnType<typeof setTimeout> | undefined;

  /** Runs `fn` after `ms`, instead of whatever ran before. */
  arm(ms: number, fn: () => void): void {
    clearTimeout(this.#id);
    this.#id = setTimeout(fn, ms);
  }

  /** Stops the running timer. */
  clear(): void {
    clearTimeout(this.#id);
  }
}
