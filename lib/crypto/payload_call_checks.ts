/**
 * The field checks of call signalling payloads (`payload_call.ts`), as
 * strict as every payload's: exactly the keys of the type, each valid. The
 * chat page fetches this module the first time a call payload is opened or
 * sealed (`payload_call_loader.ts`), and `payload.ts` checks call payloads
 * with {@linkcode CALL_PAYLOAD_FIELDS} from then on.
 *
 * @module
 */

import {
  CALL_END_REASONS,
  CALL_ID_BYTES,
  CALL_KEY_BYTES,
  type CallPayload,
  MAX_CANDIDATE_CHARS,
  MAX_CANDIDATES,
  MAX_SDP_CHARS,
} from "./payload_call.ts";
import {
  checkBase64Field,
  checkBooleanField,
  checkInteger,
  checkTimeField,
  checkUlidField,
  type FieldCheck,
} from "./payload_fields.ts";

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

/** The checks of each call payload type's fields besides `v` and `type`. */
export type CallPayloadFields = {
  [T in CallPayload["type"]]: Record<
    Exclude<keyof Extract<CallPayload, { type: T }>, "v" | "type">,
    FieldCheck
  >;
};

/** The fields of each call payload type besides `v` and `type`, for `payload.ts`. */
export const CALL_PAYLOAD_FIELDS: CallPayloadFields = {
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
