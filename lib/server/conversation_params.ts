import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { isUlid } from "../protocol/validate.ts";
import type { AppState } from "./app_state.ts";
import { HttpError } from "./http_error.ts";

/** The `:id` route parameter, checked to be a ULID before any other use. */
export function conversationIdParam(params: Record<string, string>): string {
  const id = params.id;
  if (!isUlid(id)) {
    throw new HttpError(400, "invalid_id", "Invalid conversation ID: expected a ULID");
  }
  return id;
}

/** The conversation named by the route, or a 404. */
export async function requireConversation(
  state: AppState,
  params: Record<string, string>,
): Promise<ConversationRecord> {
  const id = conversationIdParam(params);
  const conversation = await state.store.get(id);
  if (conversation === null) {
    throw new HttpError(
      404,
      "not_found",
      `Cannot find conversation "${id}": it does not exist or has expired`,
    );
  }
  return conversation;
}
