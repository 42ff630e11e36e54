/**
 * Call signalling as payloads of the Double Ratchet session: sealed and
 * padded like every message, so the relay carries them without reading or
 * altering them. Because the SDP (with each side's DTLS certificate
 * fingerprint) and the media keys travel only inside the session, the relay
 * cannot put its own endpoint into a call.
 *
 * The flow: the caller sends `call-offer` (SDP, media, its frame key); the
 * callee's browser answers `call-ring` at once and, if the person accepts,
 * `call-answer` (SDP, its own frame key), or `call-decline`. Both trickle
 * `call-ice` candidates; either ends the call with `call-end` and a reason.
 * When the connection is lost, the caller restarts ICE with a numbered
 * `call-restart` offer, which the callee answers with `call-restart-answer`.
 * Every payload names the call by a random `call` ID. None is stored as a
 * message.
 *
 * This module holds only what the chat page needs before any call: the
 * types, their limits and {@linkcode isCallPayload}. Their field checks are
 * in `payload_call_checks.ts`, fetched the first time a call payload is
 * opened or sealed (`payload_call_loader.ts`).
 *
 * @module
 */

/** Bytes of a call ID. */
export const CALL_ID_BYTES = 16;

/** Bytes of a frame key (AES-256-GCM), one per call and direction. */
export const CALL_KEY_BYTES = 32;

/** The longest session description, in characters (all printable ASCII). */
export const MAX_SDP_CHARS = 24 * 1024;

/** The most ICE candidates one `call-ice` payload carries. */
export const MAX_CANDIDATES = 16;

/** The longest ICE candidate line, in characters. */
export const MAX_CANDIDATE_CHARS = 512;

/** What a call carries. */
export type CallMedia = "audio" | "video";

/** Why a call ended, as told to the other side. */
export const CALL_END_REASONS = [
  "hangup",
  "cancelled",
  "missed",
  "busy",
  "failed",
  "security",
] as const;

/** Why a call ended. */
export type CallEndReason = typeof CALL_END_REASONS[number];

/** One ICE candidate: the `candidate` line, its media ID and m-line index. */
export interface CallCandidate {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

interface CallBase {
  v: 2;
  id: string;
  /** base64url of {@linkcode CALL_ID_BYTES} random bytes, the same for every payload of a call. */
  call: string;
  sentAt: number;
}

/** Starts a call: the caller's offer and the key of the caller's frames. */
export interface CallOfferPayload extends CallBase {
  type: "call-offer";
  media: CallMedia;
  sdp: string;
  /** base64url of the caller's {@linkcode CALL_KEY_BYTES} frame key. */
  key: string;
  /** Whether the caller's browser can encrypt frames (see `frame_crypto.ts`). */
  frames: boolean;
}

/** The callee's browser is ringing. */
export interface CallRingPayload extends CallBase {
  type: "call-ring";
}

/** The callee accepted: its answer and the key of its frames. */
export interface CallAnswerPayload extends CallBase {
  type: "call-answer";
  sdp: string;
  key: string;
  /** Whether both browsers encrypt frames: the callee's too, and the offer said so. */
  frames: boolean;
}

/** ICE candidates of the sender. */
export interface CallIcePayload extends CallBase {
  type: "call-ice";
  candidates: CallCandidate[];
}

/** The callee declined. */
export interface CallDeclinePayload extends CallBase {
  type: "call-decline";
}

/** The caller's ICE restart offer, numbered from 1 within the call. */
export interface CallRestartPayload extends CallBase {
  type: "call-restart";
  n: number;
  sdp: string;
}

/** The callee's answer to the restart offer numbered `n`. */
export interface CallRestartAnswerPayload extends CallBase {
  type: "call-restart-answer";
  n: number;
  sdp: string;
}

/** Either side ended the call. */
export interface CallEndPayload extends CallBase {
  type: "call-end";
  reason: CallEndReason;
}

/** Any call signalling payload. */
export type CallPayload =
  | CallOfferPayload
  | CallRingPayload
  | CallAnswerPayload
  | CallIcePayload
  | CallDeclinePayload
  | CallRestartPayload
  | CallRestartAnswerPayload
  | CallEndPayload;

/** The payload types of calls. */
export const CALL_PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  "call-offer",
  "call-ring",
  "call-answer",
  "call-ice",
  "call-decline",
  "call-restart",
  "call-restart-answer",
  "call-end",
]);

/** Whether a payload is call signalling. */
export function isCallPayload<T extends { type: string }>(
  payload: T,
): payload is Extract<T, { type: CallPayload["type"] }> {
  return CALL_PAYLOAD_TYPES.has(payload.type);
}
