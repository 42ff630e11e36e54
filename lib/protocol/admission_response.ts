/**
 * The answer of the create and join endpoints, as the browser that created
 * or joined reads it (only the code that creates and joins loads this).
 *
 * @module
 */
import { parseConversationRecord } from "./conversation_record.ts";
import type { AdmissionResponse } from "./server_frames.ts";
import { expectObject, parseUlid } from "./validate.ts";

/** Parses the answer of the create and join endpoints. */
export function parseAdmissionResponse(value: unknown): AdmissionResponse {
  const body = expectObject(value, "response", ["conversation", "participantId"]);
  return {
    conversation: parseConversationRecord(body.conversation),
    participantId: parseUlid(body.participantId, "participant ID"),
  };
}
