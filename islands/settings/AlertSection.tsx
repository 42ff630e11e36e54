import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { Switch } from "../common/Switch.tsx";
import { t } from "../../lib/i18n/i18n.ts";
import { playAlertSound } from "../../lib/client/alert_sound.ts";
import {
  type DesktopPermission,
  desktopPermission,
  requestDesktopPermission,
} from "../../lib/client/desktop_notification.ts";
import {
  type AlertPreferences,
  DEFAULT_ALERTS,
  readAlerts,
  writeAlerts,
} from "../../lib/client/preferences.ts";

/** Switches for how new messages are announced while the page is away. */
export function AlertSection() {
  const alerts = useSignal<AlertPreferences>(DEFAULT_ALERTS);
  const permission = useSignal<DesktopPermission>("default");
  useEffect(() => {
    alerts.value = readAlerts();
    permission.value = desktopPermission();
  }, []);

  function set(change: Partial<AlertPreferences>) {
    alerts.value = { ...alerts.value, ...change };
    writeAlerts(alerts.value);
  }

  async function setDesktop(on: boolean) {
    if (on && permission.value !== "granted") {
      // The permission prompt comes only from this click, never on its own.
      permission.value = await requestDesktopPermission();
      if (permission.value !== "granted") return set({ desktop: false });
    }
    set({ desktop: on });
  }

  const desktopNote = permission.value === "unsupported"
    ? t("settings.desktop_unsupported")
    : permission.value === "denied"
    ? t("settings.desktop_denied")
    : t("settings.desktop_note");

  return (
    <section class="card settings-section" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t("settings.alerts_title")}</h2>
      <p class="muted">{t("settings.alerts_intro")}</p>
      <div class="switches">
        <Switch id="alert-badge" checked={alerts.value.badge} onChange={(badge) => set({ badge })}>
          {t("settings.alert_badge")}
        </Switch>
        <div class="switch-row">
          <Switch
            id="alert-sound"
            checked={alerts.value.sound}
            onChange={(sound) => set({ sound })}
          >
            {t("settings.alert_sound")}
          </Switch>
          <button class="button small" type="button" onClick={playAlertSound}>
            {t("settings.play_sound")}
          </button>
        </div>
        <Switch
          id="alert-desktop"
          checked={alerts.value.desktop && permission.value === "granted"}
          disabled={permission.value === "unsupported" || permission.value === "denied"}
          describedBy="alert-desktop-note"
          onChange={setDesktop}
        >
          {t("settings.alert_desktop")}
        </Switch>
        <p id="alert-desktop-note" class="hint">{desktopNote}</p>
      </div>
    </section>
  );
}
