import { formatRemaining } from "../../lib/client/format.ts";
import { formatDate } from "../../lib/i18n/formats.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode JoinInvite}. */
export interface JoinInviteProps {
  /** When the conversation ends, from the server's record. */
  expiresAt: string;
  /** The creator's key fingerprint from the link, as people read it. */
  fingerprint: string;
  /** True while the join is under way. */
  joining: boolean;
  /** Why the last attempt failed, when it can be tried again. */
  error: string | null;
  onJoin(): void;
}

/**
 * What the person who opened an invite link sees before anything is sent:
 * who invited them (as far as anyone can tell: the keys the link names),
 * when the conversation ends, and a button to join. A link scanner or a
 * preview that loads the page therefore takes no seat.
 */
export function JoinInvite(props: JoinInviteProps) {
  const ends = new Date(props.expiresAt);
  return (
    <section class="notice notice-info join-invite" aria-labelledby="notice-title">
      <div class="notice-icon" aria-hidden="true">+</div>
      <h1 id="notice-title">{t("invite.join_title")}</h1>
      <div class="notice-body">
        <p>{t("invite.join_lede")}</p>
        <dl class="invite-facts">
          <div>
            <dt>{t("invite.ends")}</dt>
            <dd>
              <time dateTime={props.expiresAt}>
                {t("invite.ends_at", {
                  remaining: formatRemaining(props.expiresAt),
                  date: formatDate(ends.getTime(), { dateStyle: "medium", timeStyle: "short" }),
                })}
              </time>
            </dd>
          </div>
          <div>
            <dt>{t("invite.invited_by")}</dt>
            <dd class="fingerprint" dir="ltr" data-testid="invite-fingerprint">
              {props.fingerprint}
            </dd>
          </div>
        </dl>
        <p class="small">{t("invite.keys_checked")}</p>
      </div>
      <button
        class="button primary"
        type="button"
        id="join"
        disabled={props.joining}
        onClick={props.onJoin}
      >
        {props.joining ? t("invite.joining") : t("invite.join")}
      </button>
      {props.error !== null && <p class="error" role="alert">{props.error}</p>}
      <p class="muted small">{t("invite.kept_in_page")}</p>
    </section>
  );
}
