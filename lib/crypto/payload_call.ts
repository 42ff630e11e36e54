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
 * This module needs nothing from `payload.ts`, which registers these types
 * through {@linkcode CALL_PAYLOAD_FIELDS}.
 *
 * @module
 */

import {
  checkBase64Field,
  checkBooleanField,
  checkInteger,
  checkTimeField,
  checkUlidField,
  type FieldCheck,
} from "./payload_fields.ts";

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

/** A session description: starts `v=0`, printable ASCII and line breaks only. */
export const checkSdpField: FieldCheck = (value, key) => {
  if (
    typeof value !== "string" || value.length > MAX_SDP_CHARS || !value.startsWith("v=0\r\n") ||
    !/^[\x20-\x7e\r\n]*$/.test(value)
  ) {
    throw new TypeError(
      `Invalid payload: "${key}" must be a session description of at most ${MAX_SDP_CHARS} characters`,
    );
  }
  return value;
};

const checkMediaField: FieldCheck = (value, key) => {
  if (value !== "audio" && value !== "video") {
    throw new TypeError(`Invalid payload: "${key}" must be "audio" or "video"`);
  }
  return value;
};

const checkReasonField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || !(CALL_END_REASONS as readonly string[]).includes(value)) {
    throw new TypeError(`Invalid payload: "${key}" must be one of ${CALL_END_REASONS.join(", ")}`);
  }
  return value;
};

const checkLineIndex = checkInteger(0, 63);
const checkRestartField = checkInteger(1, 1_000_000);

/** A list of 1 to {@linkcode MAX_CANDIDATES} candidates, each exactly three checked keys. */
const checkCandidatesField: FieldCheck = (value, key) => {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_CANDIDATES) {
    throw new TypeError(
      `Invalid payload: "${key}" must be a list of 1 to ${MAX_CANDIDATES} candidates`,
    );
  }
  return value.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new TypeError(`Invalid payload: "${key}" must hold candidate objects`);
    }
    const keys = Object.keys(item).sort().join(",");
    if (keys !== "candidate,sdpMLineIndex,sdpMid") {
      throw new TypeError(`Invalid payload: a candidate in "${key}" has keys ${keys}`);
    }
    const { candidate, sdpMid, sdpMLineIndex } = item as Record<string, unknown>;
    if (
      typeof candidate !== "string" || candidate.length > MAX_CANDIDATE_CHARS ||
      !/^(candidate:[\x20-\x7e]+)?$/.test(candidate)
    ) {
      throw new TypeError(`Invalid payload: a candidate in "${key}" is not a candidate line`);
    }
    if (typeof sdpMid !== "string" || !/^[\w-]{1,32}$/.test(sdpMid)) {
      throw new TypeError(`Invalid payload: a candidate in "${key}" has an invalid media ID`);
    }
    return { candidate, sdpMid, sdpMLineIndex: checkLineIndex(sdpMLineIndex, "sdpMLineIndex") };
  });
};

const BASE = {
  id: checkUlidField,
  call: checkBase64Field(CALL_ID_BYTES, CALL_ID_BYTES),
  sentAt: checkTimeField,
};
const checkKeyField = checkBase64Field(CALL_KEY_BYTES, CALL_KEY_BYTES);

/** The fields of each call payload type besides `v` and `type`, for `payload.ts`. */
export const CALL_PAYLOAD_FIELDS: {
  [T in CallPayload["type"]]: Record<
    Exclude<keyof Extract<CallPayload, { type: T }>, "v" | "type">,
    FieldCheck
  >;
} = {
  "call-offer": {
    ...BASE,
    media: checkMediaField,
    sdp: checkSdpField,
    key: checkKeyField,
    frames: checkBooleanField,
  },
  "call-ring": BASE,
  "call-answer": { ...BASE, sdp: checkSdpField, key: checkKeyField, frames: checkBooleanField },
  "call-ice": { ...BASE, candidates: checkCandidatesField },
  "call-decline": BASE,
  "call-restart": { ...BASE, n: checkRestartField, sdp: checkSdpField },
  "call-restart-answer": { ...BASE, n: checkRestartField, sdp: checkSdpField },
  "call-end": { ...BASE, reason: checkReasonField },
};
