/**
 * What a call shows: its phases, the snapshot the call panel renders, and
 * the words for why a call ended (message keys, in the active language when
 * said).
 *
 * @module
 */
import type { CallEndReason, CallMedia } from "../crypto/payload_call.ts";
import { t } from "../i18n/i18n.ts";

/**
 * Where a call stands: calling (the offer went out) → ringing (the peer's
 * browser rings; on the callee's side, until the person answers) →
 * connecting → connected ⇄ reconnecting → ended, with why.
 */
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
  /** Why the call ended, once it has, in the language active then. */
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

/** The message keys of what this side is told when the peer ends a call for `reason`. */
export const END_KEYS: Record<CallEndReason, string> = {
  hangup: "call.end_hangup",
  cancelled: "call.end_cancelled",
  missed: "call.end_missed",
  busy: "call.end_busy",
  failed: "call.end_failed",
  security: "call.end_security",
};

/** What this side is told when the peer ends a call for `reason`. */
export const endText = (reason: CallEndReason): string => t(END_KEYS[reason]);

/**
 * Why a call could not start, for the person: the camera or microphone
 * refused, missing or busy, or anything else.
 */
export function startFailure(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return t("call.start_not_allowed");
  if (name === "NotFoundError" || name === "OverconstrainedError") return t("call.start_no_device");
  if (name === "NotReadableError" || name === "AbortError") return t("call.start_device_busy");
  if (name === "NotSupportedError") return t("call.start_unsupported");
  return t("call.start_failed");
}

/** What a call left in this browser's history: missed, not answered, declined. */
export type CallRecord = "missed" | "not_answered" | "declined" | "you_declined";

/**
 * What this side shows and keeps when the peer ends the call for `reason`:
 * a call still ringing here is kept as missed; "missed" from the caller after
 * this side answered means the answer never reached it, so the call failed.
 */
export function peerEnded(
  reason: CallEndReason,
  ringingHere: boolean,
): { why: string; record?: [CallRecord, "in"] } {
  if (ringingHere) return { why: endText(reason), record: ["missed", "in"] };
  return { why: endText(reason === "missed" ? "failed" : reason) };
}

/** The line kept in the history for a call, such as "Missed · Audio call". */
export function recordText(record: CallRecord, media: CallMedia): string {
  switch (record) {
    case "missed":
      return t("call.record_missed", { media });
    case "not_answered":
      return t("call.record_not_answered", { media });
    case "declined":
      return t("call.record_declined", { media });
    case "you_declined":
      return t("call.record_you_declined", { media });
  }
}

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
