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
  const who = message.direction === "out" ? "yourself" : "them";
  const said = message.file !== null ? `File: ${message.file.name}` : snippet(message.text, 80);
  return (
    <div class="composer-context" data-testid={`composer-${mode.kind}`}>
      <p>
        <strong>{mode.kind === "reply" ? `Replying to ${who}` : "Editing"}</strong>{" "}
        <span class="composer-context-text" dir="auto">{said}</span>
      </p>
      <button
        type="button"
        class="button"
        aria-label={mode.kind === "reply" ? "Cancel reply" : "Cancel editing"}
        onClick={onCancel}
      >
        ×
      </button>
    </div>
  );
}
