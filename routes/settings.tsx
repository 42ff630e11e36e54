import Settings from "../islands/Settings.tsx";
import { t } from "../lib/i18n/i18n.ts";

export const title = () => t("settings.title");

/** Settings of this browser: theme, alerts, and what it stores. */
export default function SettingsPage() {
  return (
    <div class="settings">
      <h1>{t("settings.title")}</h1>
      <p class="lede">{t("settings.lede")}</p>
      <Settings />
    </div>
  );
}
