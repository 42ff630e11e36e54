import { t } from "../../lib/i18n/i18n.ts";
/** Props of {@linkcode JoinedNotice}. */
export interface JoinedNoticeProps {
  /** Opens the safety number panel. */
  onCompare(): void;
  onDismiss(): void;
}

/**
 * Tells the creator that someone took the seat, and asks them to compare the
 * safety number: the link can be spent by whoever opens it first.
 */
export function JoinedNotice(props: JoinedNoticeProps) {
  return (
    <div class="banner banner-info" role="status" data-testid="joined-notice">
      <p>{t("chat.joined_notice")}</p>
      <div class="confirm-actions">
        <button class="button primary" type="button" onClick={props.onCompare}>
          {t("chat.compare_safety_numbers")}
        </button>
        <button class="button" type="button" onClick={props.onDismiss}>
          {t("chat.dismiss")}
        </button>
      </div>
    </div>
  );
}
