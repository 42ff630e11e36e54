import { t, tx } from "../../lib/i18n/i18n.ts";
import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { endIsNear, type ExtensionView, proposedEnd } from "../../lib/client/extension_end.ts";
import { formatRemaining } from "../../lib/client/format.ts";
import { formatDate } from "../../lib/i18n/formats.ts";

/** Props of {@linkcode EndWarning}. */
export interface EndWarningProps {
  createdAt: string;
  expiresAt: string;
  /** The server's longest lifetime from creation, in seconds. */
  maxLifetime: number;
  extension: ExtensionView;
  /** True while both people are online with the session up: only then can both agree. */
  canAgree: boolean;
  onRequest(expiresAt: string): void;
  onAccept(): void;
  onDecline(): void;
}

function clock(iso: string): string {
  return formatDate(Date.parse(iso), {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/**
 * The warning an hour and five minutes before the conversation ends, with
 * the offer to keep it longer when both people are there and the server
 * allows it; and the other person's request, whenever it comes.
 */
export function EndWarning(props: EndWarningProps) {
  // Re-rendered every 15 s, so the warning appears and counts down by itself.
  const now = useSignal(Date.now());
  useEffect(() => {
    const timer = setInterval(() => now.value = Date.now(), 15_000);
    return () => clearInterval(timer);
  }, []);
  const { extension } = props;
  const near = endIsNear(props.expiresAt, now.value);
  if (!near && extension.proposed === null) return null;
  const next = proposedEnd(props, props.maxLifetime);
  return (
    <div class="banner banner-warning end-warning" role="status" data-testid="end-warning">
      {near && (
        <p>
          {tx("chat.end_warning", {
            ends: (
              <strong>
                {t("chat.end_warning_ends", { when: formatRemaining(props.expiresAt, now.value) })}
              </strong>
            ),
            time: clock(props.expiresAt),
          })}
        </p>
      )}
      {extension.proposed !== null
        ? (
          <div class="end-actions">
            <p>{t("chat.extension_asks", { time: clock(extension.proposed) })}</p>
            <button
              class="button primary"
              type="button"
              disabled={!props.canAgree}
              onClick={props.onAccept}
            >
              {t("chat.extension_keep_until", { time: clock(extension.proposed) })}
            </button>
            <button class="button" type="button" onClick={props.onDecline}>
              {t("chat.not_now")}
            </button>
          </div>
        )
        : extension.asked !== null
        ? <p data-testid="extension-asked">{t("chat.extension_waiting")}</p>
        : next === null
        ? <p>{t("chat.extension_at_limit")}</p>
        : props.canAgree
        ? (
          <div class="end-actions">
            <button class="button primary" type="button" onClick={() => props.onRequest(next)}>
              {t("chat.extension_keep_until", { time: clock(next) })}
            </button>
            <span class="muted">{t("chat.extension_both_agree")}</span>
          </div>
        )
        : <p>{t("chat.extension_when_both_here")}</p>}
      {extension.error !== null && <p class="error" role="alert">{extension.error}</p>}
    </div>
  );
}
