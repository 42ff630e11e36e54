import type { AppState } from "../../../../lib/server/app_state.ts";
import { requireConversation } from "../../../../lib/server/conversation_params.ts";
import { HttpError } from "../../../../lib/server/http_error.ts";
import type { Handlers } from "../../../../lib/web/types.ts";

export const handler: Handlers<AppState> = {
  /**
   * Upgrades to the relay socket; authentication happens on the socket. A
   * request that names no conversation (400, 404) or is no upgrade (426) is
   * refused before it counts against the connect limit.
   */
  async GET(ctx) {
    const { config, hub, limits } = ctx.state;
    // The one read of the record per connect: the hub trusts it at
    // authentication unless a join or a close came while it was read.
    const readAt = hub.changes;
    const conversation = await requireConversation(ctx.state, ctx.params);
    requireUpgrade(ctx.req);
    await limits.checkRequest("connect", ctx.req, ctx.info);
    if (hub.socketCount >= config.maxSockets) {
      throw new HttpError(
        429,
        "server_full",
        `Too many sockets: this server holds at most ${config.maxSockets} at once`,
        { headers: { "retry-after": "10" } },
      );
    }
    if (hub.closed) {
      throw new HttpError(503, "shutting_down", "The server is shutting down", {
        headers: { "retry-after": "10" },
      });
    }
    // From here to the upgrade nothing awaits, so no socket is accepted after shutdown.
    const release = limits.openSocket(ctx.req, ctx.info);
    try {
      const upgrade = upgradeSocket(ctx.req);
      // The hub releases the place exactly once: on close, at the
      // authentication deadline (even if the upgrade never completes), or at
      // shutdown.
      hub.accept(upgrade.socket, conversation, release, readAt);
      return upgrade.response;
    } catch (error) {
      release();
      throw error;
    }
  },
};

/** Throws a 426 `HttpError` unless `req` asks for a WebSocket upgrade. */
function requireUpgrade(req: Request): void {
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(
      426,
      "upgrade_required",
      "Expected a WebSocket upgrade request",
      { headers: { upgrade: "websocket" } },
    );
  }
}

/** Upgrades `req` to a WebSocket, or throws a 400 `HttpError`. */
function upgradeSocket(req: Request) {
  try {
    // The runtime's own pings are off (its default is 30 s): they clear and
    // arm a timer per socket on every frame. The hub's one liveness sweep
    // pings quiet sockets instead (`relay_liveness.ts`).
    return Deno.upgradeWebSocket(req, { idleTimeout: 0 });
  } catch (error) {
    throw new HttpError(
      400,
      "bad_upgrade",
      `Invalid WebSocket upgrade request: ${(error as Error).message}`,
    );
  }
}
