import type { Config } from "./config.ts";
import type { ConversationStore } from "./conversation_store.ts";
import type { Logger } from "./log.ts";
import type { RelayHub } from "./relay_hub.ts";

/** What every route handler reaches through `ctx.state`. */
export interface AppState {
  config: Config;
  store: ConversationStore;
  hub: RelayHub;
  log: Logger;
}
