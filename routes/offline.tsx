import { Notice } from "../components/Notice.tsx";
import { t } from "../lib/i18n/i18n.ts";

export const title = () => t("pages.offline_title");

/**
 * Shown by the service worker when a page cannot be loaded without a
 * network. Conversations need the server to relay, so none opens offline.
 * The worker keeps it as rendered in the person's language.
 */
export default function OfflinePage() {
  return (
    <Notice
      title={t("pages.offline_heading")}
      tone="info"
      actionHref="/"
      actionLabel={t("pages.try_again")}
    >
      <p>{t("pages.offline_text")}</p>
    </Notice>
  );
}
