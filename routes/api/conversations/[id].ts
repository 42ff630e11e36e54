import type { AppState } from "../../../lib/server/app_state.ts";
import { requireConversation } from "../../../lib/server/conversation_params.ts";
import { jsonResponse } from "../../../lib/server/json_response.ts";
import type { Handlers } from "../../../lib/web/types.ts";

export const handler: Handlers<AppState> = {
  /** The stored record: public keys and timestamps only. */
  async GET(ctx) {
    const conversation = await requireConversation(ctx.state, ctx.params);
    return jsonResponse({ conversation }, 200);
  },
};
