import { t } from "../../lib/i18n/i18n.ts";
import { shownReactions } from "../../lib/client/action_state.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { FileBubble } from "./lazy_parts.ts";
import { isEmojiOnly, linkify } from "./message_text.ts";

/** Props of {@linkcode MessageBody}. */
export interface MessageBodyProps {
  message: StoredMessage;
  /** The shown history, where a reply's quote is looked up. */
  messages: StoredMessage[];
  /** Chunks of an outgoing file sent so far, while it is going out. */
  sent: number | undefined;
  getFile(id: string): Promise<Blob | undefined>;
  /** Cancels a file on its way, on both sides. */
  cancelFile?(id: string, how?: "cancel" | "decline"): void;
}

/**
 * What a message says: "Message deleted" once deleted for both; else the
 * quote of the message it answers (from this browser's own copy), then the
 * file or the text, links clickable, emoji alone shown larger; then the
 * reactions.
 */
export function MessageBody(
  { message: m, messages, sent, getFile, cancelFile }: MessageBodyProps,
) {
  if (m.deleted === "both") {
    return <p class="text deleted" data-testid="deleted">{t("chat.message_deleted")}</p>;
  }
  return (
    <>
      {m.replyTo !== undefined && (
        <ReplyQuote
          original={messages.find((o) => o.id === m.replyTo)}
        />
      )}
      {m.kind === "file" && m.file !== null
        ? <FileBubble message={m} sent={sent} getFile={getFile} onCancel={cancelFile} />
        : <MessageText text={m.text} />}
      <Reactions message={m} />
    </>
  );
}

/** A text as written: links (http and https only) open in a new tab, never previewed. */
export function MessageText({ text }: { text: string }) {
  const large = isEmojiOnly(text);
  return (
    <p class={large ? "text emoji-only" : "text"} dir="auto">
      {linkify(text).map((part, i) =>
        part.href === undefined
          ? part.text
          : (
            <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
              {part.text}
            </a>
          )
      )}
    </p>
  );
}

/** The quote of the message a reply answers, from the local copy only. */
export function ReplyQuote({ original }: { original: StoredMessage | undefined }) {
  const who = original === undefined
    ? ""
    : t(original.direction === "out" ? "chat.reply_you" : "chat.reply_they");
  const said = original === undefined
    ? t("chat.original_unavailable")
    : original.deleted === "both"
    ? t("chat.message_deleted")
    : original.file !== null
    ? t("chat.file_named", { name: original.file.name })
    : snippet(original.text);
  return (
    <blockquote class="reply-quote" data-testid="reply-quote">
      {who !== "" && <span class="reply-who">{who}</span>}
      <span class="reply-said" dir="auto">{said}</span>
    </blockquote>
  );
}

/** Both people's reactions, if any; the words say whose. */
function Reactions({ message }: { message: StoredMessage }) {
  const shown = shownReactions(message);
  if (shown.length === 0) return null;
  return (
    <ul class="reactions" aria-label={t("chat.reactions")} data-testid="reactions">
      {shown.map((r) => (
        <li key={r.by} class={`reaction reaction-${r.by}`}>
          <span aria-hidden="true">{r.emoji}</span>
          <span class="visually-hidden">
            {t(r.by === "out" ? "chat.you_reacted" : "chat.they_reacted", { emoji: r.emoji })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The start of a text, for a quote. */
export function snippet(text: string, max = 120): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}
