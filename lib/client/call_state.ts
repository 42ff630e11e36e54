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

/** How long a call may take from answer to connected. */
export const CONNECT_MS = 30_000;
/** How long a lost connection may take to come back. */
export const RECONNECT_MS = 15_000;

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
