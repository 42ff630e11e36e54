/**
 * The rule for a join, shared by every conversation store: the record with
 * one more participant, or an `HttpError` that changes nothing. A store
 * applies it under its own lock (the file store) or compare-and-set (Redis).
 *
 * @module
 */
import { newUlid } from "./new_id.ts";
import type { AnyBundle } from "../crypto/bundle.ts";
import { type ConversationRecord, MAX_PARTICIPANTS } from "../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";
import { HttpError } from "./http_error.ts";

/**
 * Admits `bundle` to `current` at `now`: throws 404 `not_found` when the
 * conversation is gone, 409 `duplicate_bundle` when these keys already take
 * part (bundles are public, so a replay must not take the second seat), and
 * 409 `conversation_full` at {@linkcode MAX_PARTICIPANTS}.
 */
export function joinedRecord(
  current: ConversationRecord | null,
  id: string,
  bundle: AnyBundle,
  now: number,
): AdmissionResponse {
  if (current === null) {
    throw new HttpError(404, "not_found", `Cannot find conversation "${id}"`);
  }
  if (
    current.participants.some((p) => p.bundle.sign === bundle.sign || p.bundle.dh === bundle.dh)
  ) {
    throw new HttpError(
      409,
      "duplicate_bundle",
      `Cannot join conversation "${id}": these keys are already a participant`,
    );
  }
  if (current.participants.length >= MAX_PARTICIPANTS) {
    throw new HttpError(
      409,
      "conversation_full",
      `Cannot join conversation "${id}": conversation is full`,
    );
  }
  const participantId = newUlid(now);
  const conversation: ConversationRecord = {
    ...current,
    modifiedAt: new Date(now).toISOString(),
    participants: [...current.participants, { id: participantId, bundle }],
  };
  return { conversation, participantId };
}
