import { t } from "../../lib/i18n/i18n.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { snippet } from "./MessageBody.tsx";

/** What the composer is doing besides writing a new message. */
export interface ComposerMode {
  kind: "reply" | "edit";
  message: StoredMessage;
}

/** Props of {@linkcode ComposerContext}. */
export interface ComposerContextProps {
  mode: ComposerMode;
  onCancel(): void;
}

/** Above the message field: the message being answered or edited, and a way out. */
export function ComposerContext({ mode, onCancel }: ComposerContextProps) {
  const { message } = mode;
  const said = message.file !== null
    ? t("chat.file_named", { name: message.file.name })
    : snippet(message.text, 80);
  const heading = mode.kind === "edit"
    ? t("chat.editing")
    : t(message.direction === "out" ? "chat.replying_to_yourself" : "chat.replying_to_them");
  return (
    <div class="composer-context" data-testid={`composer-${mode.kind}`}>
      <p>
        <strong>{heading}</strong> <span class="composer-context-text" dir="auto">{said}</span>
      </p>
      <button
        type="button"
        class="button"
        aria-label={mode.kind === "reply" ? t("chat.cancel_reply") : t("chat.cancel_editing")}
        onClick={onCancel}
      >
        ×
      </button>
    </div>
  );
}
