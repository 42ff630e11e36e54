import type { ClientPreferences } from "../../lib/client/conversation_client.ts";
import { readChat } from "../../lib/client/preferences.ts";

/** The settings page's choices, as the client wants them; read at each use. */
export function chatPreferences(): ClientPreferences {
  const chat = readChat();
  return {
    typingIndicator: chat.typingIndicator,
    readReceipts: chat.readReceipts,
    maxFileBytes: chat.maxFileMiB * 1024 * 1024,
  };
}
