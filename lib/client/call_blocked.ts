/**
 * Why a call cannot start now: the one rule of `calls.ts` the chat page needs
 * before any call code is loaded, to offer the call buttons or say why not.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";

/**
 * Why a call cannot start now, in words for the person, or null when it can:
 * only while the conversation goes on, the peer is online and the session is
 * secure and unpaused.
 */
export function whyNoCall(
  parts: { state: ClientState; courier: Courier; connection: Connection },
): string | null {
  const { state, courier, connection } = parts;
  if (state.conversation.closed !== null) return t("call.blocked_ended");
  if (!connection.peerReady) return t("call.blocked_offline");
  if (!courier.canSeal) return t("call.blocked_setting_up");
  if (state.paused) return t("call.blocked_paused");
  return null;
}
