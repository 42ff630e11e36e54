import { Notice } from "../components/Notice.tsx";
import { t } from "../lib/i18n/i18n.ts";

export const title = () => t("common.not_found_title");

/** The page for any path that is not a route. */
export default function NotFound() {
  return (
    <Notice title={t("pages.not_found_heading")} tone="info">
      <p>{t("pages.not_found_text")}</p>
    </Notice>
  );
}
