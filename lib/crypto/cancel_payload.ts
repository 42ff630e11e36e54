/**
 * The cancel of a file transfer: either person may stop a file on its way,
 * the sender before every chunk went out, the receiver before the file is
 * whole. It travels sealed and padded like every payload of the session, so
 * only the other person can send one; the receiving browser honours it only
 * for a file of this conversation still on its way (see
 * `lib/client/file_cancel.ts`).
 *
 * @module
 */
import { checkTimeField, checkUlidField, type FieldCheck } from "./payload_fields.ts";

/** Stops the transfer of the file message `file` on both sides. Never stored. */
export interface CancelPayload {
  v: 2;
  type: "cancel";
  /** The ULID of this frame, acknowledged by the other side. */
  id: string;
  /** The ULID of the file message whose transfer stops. */
  file: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** The fields of a {@linkcode CancelPayload} besides `v` and `type`. */
export const CANCEL_FIELDS: Record<"id" | "file" | "sentAt", FieldCheck> = {
  id: checkUlidField,
  file: checkUlidField,
  sentAt: checkTimeField,
};
