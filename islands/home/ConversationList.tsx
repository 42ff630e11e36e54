import { formatListTime } from "../../lib/client/conversation_summary.ts";
import { formatRemaining } from "../../lib/client/format.ts";
import { displayTitle, type LocalNames } from "../../lib/client/local_names.ts";
import { NameEditor } from "../common/NameEditor.tsx";
import { formatDate } from "../../lib/i18n/formats.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** One conversation of the list, as the home page read it from this browser. */
export interface ListedConversation {
  id: string;
  role: "creator" | "joiner";
  createdAt: string;
  expiresAt: string;
  ended: boolean;
  names: LocalNames;
  preview: string | null;
  previewFromMe: boolean;
  unread: number;
  lastAt: number;
}

/** Props of {@linkcode ConversationList}. */
export interface ConversationListProps {
  conversations: ListedConversation[];
  onRename(id: string, names: LocalNames): void;
}

/**
 * The conversations this browser keeps, newest activity first: the local
 * name, the last message, the unread count and its time, and Rename.
 */
export function ConversationList({ conversations, onRename }: ConversationListProps) {
  return (
    <ul class="conversation-list">
      {conversations.map((c) => {
        const title = displayTitle(
          c.names,
          t(c.role === "creator" ? "common.started_here" : "common.joined_here"),
        );
        return (
          <li key={c.id} class="conversation-item" data-id={c.id}>
            <a href={`/c/${c.id}`} class="conversation-link">
              <span class="conversation-main">
                <span class="conversation-name" dir="auto">{title}</span>
                {c.names.peer && c.names.conversation && (
                  <span class="conversation-peer" dir="auto">
                    {t("home.with_peer", { name: c.names.peer })}
                  </span>
                )}
                <span class="conversation-preview" data-testid="preview">
                  {c.preview === null ? <span class="muted">{t("home.no_messages")}</span> : (
                    <>
                      {c.previewFromMe && <span class="preview-who">{t("home.you_prefix")}</span>}
                      <span dir="auto">{c.preview}</span>
                    </>
                  )}
                </span>
              </span>
              <span class="conversation-side">
                <time
                  class="conversation-time"
                  dateTime={new Date(c.lastAt).toISOString()}
                  title={formatDate(c.lastAt, { dateStyle: "medium", timeStyle: "short" })}
                >
                  {formatListTime(c.lastAt)}
                </time>
                {c.unread > 0 && (
                  <span class="unread-count" data-testid="unread">
                    {c.unread}
                    <span class="visually-hidden">{t("home.unread", { n: c.unread })}</span>
                  </span>
                )}
                <span class={c.ended ? "badge ended" : "badge"}>
                  {c.ended
                    ? t("home.ended")
                    : t("home.ends", { when: formatRemaining(c.expiresAt) })}
                </span>
              </span>
            </a>
            <NameEditor
              names={c.names}
              idPrefix={`name-${c.id}`}
              label={t("home.rename_label", { title })}
              onSave={(names) => onRename(c.id, names)}
            />
          </li>
        );
      })}
    </ul>
  );
}
