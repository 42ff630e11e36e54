import { useSignal } from "../../lib/web/use_signal.ts";
import { parseInviteFragment } from "../../lib/crypto/invite.ts";
import { formatFingerprint } from "../../lib/crypto/invite_fingerprint.ts";
import { t, tx } from "../../lib/i18n/i18n.ts";
import { QrCode } from "./lazy_parts.ts";

/** Props of {@linkcode InvitePanel}. */
export interface InvitePanelProps {
  link: string;
}

/**
 * The invite link, shown until the other person joins: copy it, hand it to
 * the system share sheet where the browser has one, or show it as a QR code
 * for a phone nearby.
 */
export function InvitePanel({ link }: InvitePanelProps) {
  const status = useSignal("");
  // The link carries it; the person invited sees the same groups before joining.
  const fingerprint = formatFingerprint(parseInviteFragment(new URL(link).hash).fingerprint);
  // Rendered only in the browser (the chat opens after hydration), so the
  // browser's abilities can be read during render.
  const canShare = typeof navigator.share === "function";
  const wide = globalThis.matchMedia?.("(min-width: 40rem)").matches ?? true;

  async function copy(event: Event) {
    const input = (event.currentTarget as HTMLElement).closest(".invite")!
      .querySelector("input")!;
    try {
      await navigator.clipboard.writeText(link);
      status.value = t("invite.link_copied");
    } catch {
      // Clipboard access can be refused; selecting lets the user copy by hand.
      input.focus();
      input.select();
      status.value = t("invite.link_selected");
    }
    setTimeout(() => status.value = "", 3000);
  }

  async function share() {
    try {
      await navigator.share({
        title: t("common.product"),
        text: t("invite.share_text"),
        url: link,
      });
    } catch {
      // Closing the share sheet rejects; nothing to report.
    }
  }

  return (
    <section class="invite" aria-labelledby="invite-title">
      <div class="invite-main">
        <h2 id="invite-title">{t("invite.title")}</h2>
        <p class="muted">{t("invite.lede")}</p>
        <div class="invite-row">
          <input
            id="invite-link"
            type="text"
            dir="ltr"
            readOnly
            value={link}
            aria-label={t("invite.link_label")}
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
          />
          <div class="invite-buttons">
            <button class="button primary" type="button" onClick={copy} id="copy-invite">
              {status.value === t("invite.link_copied") ? t("invite.copied") : t("invite.copy")}
            </button>
            {canShare && (
              <button class="button" type="button" onClick={share} id="share-invite">
                {t("invite.share")}
              </button>
            )}
          </div>
        </div>
        <p class="visually-hidden" role="status">{status.value}</p>
        <p class="muted small">
          {tx("invite.own_fingerprint", {
            fingerprint: (
              <span class="fingerprint" dir="ltr" data-testid="own-fingerprint">{fingerprint}</span>
            ),
          })}
        </p>
      </div>
      <details class="invite-qr" open={wide}>
        <summary>{t("invite.qr_summary")}</summary>
        <QrCode value={link} label={t("invite.qr_label")} />
        <p class="hint">{t("invite.qr_hint")}</p>
      </details>
    </section>
  );
}
