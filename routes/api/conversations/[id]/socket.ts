import type { AppState } from "../../../../lib/server/app_state.ts";
import { requireConversation } from "../../../../lib/server/conversation_params.ts";
import { HttpError } from "../../../../lib/server/http_error.ts";
import type { Handlers } from "../../../../lib/web/types.ts";

export const handler: Handlers<AppState> = {
  /** Upgrades to the relay socket; authentication happens on the socket. */
  async GET(ctx) {
    const conversation = await requireConversation(ctx.state, ctx.params);
    if (ctx.req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      throw new HttpError(
        426,
        "upgrade_required",
        "Expected a WebSocket upgrade request",
        { headers: { upgrade: "websocket" } },
      );
    }
    const { socket, response } = Deno.upgradeWebSocket(ctx.req);
    ctx.state.hub.accept(socket, conversation);
    return response;
  },
};
