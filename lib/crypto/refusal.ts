/**
 * The refusal payload: the receiver of a file says, inside the Double
 * Ratchet session, that it did not accept it, and why. Sealed and padded
 * like every payload, so the relay can neither read nor forge one; the
 * reason is one of a few codes, never free text, so a refusal carries
 * nothing the receiver did not mean to say.
 *
 * `payload.ts` registers {@linkcode RefusalPayload} and
 * {@linkcode REFUSAL_FIELDS}.
 *
 * @module
 */
import { checkTimeField, checkUlidField, type FieldCheck } from "./payload_fields.ts";

/**
 * Why a file was not accepted: above the receiver's file limit, no room in
 * the receiver's browser storage, or turned down for another reason.
 */
export const REFUSAL_REASONS = ["too_large", "no_space", "declined"] as const;

/** One of {@linkcode REFUSAL_REASONS}. */
export type RefusalReason = typeof REFUSAL_REASONS[number];

/** The receiver did not accept a file; the sender stops sending it. */
export interface RefusalPayload {
  v: 2;
  type: "refusal";
  /** The ULID of the refusal itself. */
  id: string;
  /** The ULID of the file message refused. */
  file: string;
  reason: RefusalReason;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** A reason code from {@linkcode REFUSAL_REASONS}. */
export const checkReasonField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || !(REFUSAL_REASONS as readonly string[]).includes(value)) {
    throw new TypeError(
      `Invalid payload: "${key}" must be one of ${REFUSAL_REASONS.join(", ")}`,
    );
  }
  return value;
};

/** The fields of a refusal besides `v` and `type`. */
export const REFUSAL_FIELDS: Record<"id" | "file" | "reason" | "sentAt", FieldCheck> = {
  id: checkUlidField,
  file: checkUlidField,
  reason: checkReasonField,
  sentAt: checkTimeField,
};
