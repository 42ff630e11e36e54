import type { Config } from "./config.ts";
import type { ConversationStore } from "./conversation_store.ts";
import type { Logger } from "./log.ts";
import type { Readiness } from "./readiness.ts";
import type { RelayHub } from "./relay_hub.ts";
import type { RequestLimits } from "./request_limits.ts";

/** What every route handler reaches through `ctx.state`. */
export interface AppState {
  config: Config;
  store: ConversationStore;
  hub: RelayHub;
  log: Logger;
  /** Per-address rate limits; addresses stay in memory only. */
  limits: RequestLimits;
  /** Whether the instance should get traffic, for `GET /readyz`. */
  readiness: Readiness;
}
