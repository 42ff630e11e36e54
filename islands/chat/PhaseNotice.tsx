import { t } from "../../lib/i18n/i18n.ts";
import { Notice } from "../../components/Notice.tsx";

/** A state of the chat page that replaces the conversation with a notice. */
export type NoticePhase =
  | { name: "unsupported"; reason: string }
  | { name: "damaged" }
  | { name: "old_link" }
  | { name: "wrong_keys" }
  | { name: "not_found" }
  | { name: "not_here" }
  | { name: "invite_lost" }
  | { name: "full" }
  | { name: "failed"; message: string }
  | { name: "other_tab" }
  | { name: "taken_over" }
  | { name: "deleted_here" }
  | { name: "outdated" }
  | { name: "deleted"; server: boolean };

/** Props of {@linkcode PhaseNotice}. */
export interface PhaseNoticeProps {
  phase: NoticePhase;
  conversationId: string;
  /** Opens the conversation here although another tab has it. */
  onTakeOver(): void;
  /** Removes the conversation from this browser. */
  onRemove(): void;
}

/** Every page the chat shows instead of a conversation, in plain words. */
export function PhaseNotice({ phase: p, conversationId, onTakeOver, onRemove }: PhaseNoticeProps) {
  switch (p.name) {
    case "unsupported":
      return (
        <Notice title={t("chat.notice_unsupported_title")} tone="warning">
          <p>{p.reason}</p>
          <p>{t("chat.notice_unsupported_body")}</p>
        </Notice>
      );
    case "damaged":
      return (
        <Notice title={t("chat.notice_damaged_title")} tone="error">
          <p>{t("chat.notice_damaged_body")}</p>
        </Notice>
      );
    case "old_link":
      return (
        <Notice title={t("chat.notice_old_link_title")} tone="warning">
          <p>{t("chat.notice_old_link_body")}</p>
        </Notice>
      );
    case "wrong_keys":
      return (
        <Notice title={t("chat.notice_wrong_keys_title")} tone="error">
          <p>{t("chat.notice_wrong_keys_body")}</p>
          <p>{t("chat.notice_wrong_keys_advice")}</p>
        </Notice>
      );
    case "not_found":
      return (
        <Notice title={t("chat.notice_not_found_title")} tone="error">
          <p>{t("chat.notice_not_found_body")}</p>
        </Notice>
      );
    case "not_here":
      return (
        <Notice title={t("chat.notice_not_here_title")} tone="info">
          <p>{t("chat.notice_not_here_body")}</p>
        </Notice>
      );
    case "invite_lost":
      return (
        <Notice title={t("chat.notice_invite_lost_title")} tone="info">
          <p>{t("chat.notice_invite_lost_body")}</p>
        </Notice>
      );
    case "full":
      return (
        <Notice title={t("chat.notice_full_title")} tone="warning">
          <p>{t("chat.notice_full_body")}</p>
        </Notice>
      );
    case "failed":
      return (
        <Notice title={t("chat.notice_failed_title")} tone="error">
          <p>{p.message}</p>
        </Notice>
      );
    case "other_tab":
      return (
        <Notice
          title={t("chat.notice_other_tab_title")}
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel={t("chat.reload")}
        >
          <p>{t("chat.notice_other_tab_body")}</p>
          <button class="button primary" type="button" onClick={onTakeOver}>
            {t("chat.use_it_here_instead")}
          </button>
        </Notice>
      );
    case "taken_over":
      return (
        <Notice
          title={t("chat.notice_taken_over_title")}
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel={t("chat.use_it_here")}
        >
          <p>{t("chat.notice_taken_over_body")}</p>
        </Notice>
      );
    case "deleted_here":
      return (
        <Notice title={t("chat.notice_deleted_here_title")} tone="info">
          <p>{t("chat.notice_deleted_here_body")}</p>
        </Notice>
      );
    case "outdated":
      return (
        <Notice title={t("chat.notice_outdated_title")} tone="info">
          <p>{t("chat.notice_outdated_body")}</p>
          <button class="button" type="button" onClick={onRemove}>{t("chat.remove_here")}</button>
        </Notice>
      );
    case "deleted":
      return (
        <Notice title={t("chat.notice_deleted_title")} tone="info">
          <p>
            {p.server ? t("chat.notice_deleted_body") : t("chat.notice_deleted_body_local")}
          </p>
        </Notice>
      );
  }
}
