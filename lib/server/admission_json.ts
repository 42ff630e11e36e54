/**
 * A conversation record serialized once: the store writes the text to its
 * file and the API answers with the same text inside the admission, instead
 * of serializing the record (with its bundles) a second time.
 *
 * @module
 */
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";

/** Records are never changed once made, so their text can be kept beside them. */
const texts = new WeakMap<ConversationRecord, string>();

/** The record as compact JSON, made at most once per record object. */
export function recordJson(record: ConversationRecord): string {
  let text = texts.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    texts.set(record, text);
  }
  return text;
}

/** The 201 answer to a create or join, no-store like every API answer. */
export function admissionResponse(admission: AdmissionResponse): Response {
  const body = `{"conversation":${recordJson(admission.conversation)},"participantId":${
    JSON.stringify(admission.participantId)
  }}`;
  return new Response(body, {
    status: 201,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}
