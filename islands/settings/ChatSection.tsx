import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { Switch } from "../common/Switch.tsx";
import { t } from "../../lib/i18n/i18n.ts";
import {
  type ChatPreferences,
  DEFAULT_CHAT,
  FILE_LIMIT_CHOICES,
  readChat,
  writeChat,
} from "../../lib/client/preferences.ts";

/** What this browser tells the other person, and what it accepts. */
export function ChatSection() {
  const chat = useSignal<ChatPreferences>(DEFAULT_CHAT);
  useEffect(() => {
    chat.value = readChat();
  }, []);

  function set(change: Partial<ChatPreferences>) {
    chat.value = { ...chat.value, ...change };
    writeChat(chat.value);
  }

  return (
    <section class="card settings-section" aria-labelledby="chat-title">
      <h2 id="chat-title">{t("settings.chat_title")}</h2>
      <div class="switches">
        <Switch
          id="typing-indicator"
          checked={chat.value.typingIndicator}
          onChange={(typingIndicator) => set({ typingIndicator })}
        >
          {t("settings.typing")}
        </Switch>
        <Switch
          id="read-receipts"
          checked={chat.value.readReceipts}
          onChange={(readReceipts) => set({ readReceipts })}
        >
          {t("settings.receipts")}
        </Switch>
      </div>
      <p class="field">
        <label for="file-limit">{t("settings.file_limit")}</label>{" "}
        <select
          id="file-limit"
          value={String(chat.value.maxFileMiB)}
          onChange={(e) => set({ maxFileMiB: Number(e.currentTarget.value) })}
        >
          {FILE_LIMIT_CHOICES.map((mib) => (
            <option key={mib} value={String(mib)}>
              {t("settings.file_limit_mib", { n: mib })}
            </option>
          ))}
        </select>
      </p>
      <p class="muted">{t("settings.chat_note")}</p>
    </section>
  );
}
