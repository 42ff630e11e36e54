import Settings from "../islands/Settings.tsx";

export const title = "Settings";

/** Settings of this browser: theme, alerts, and what it stores. */
export default function SettingsPage() {
  return (
    <div class="settings">
      <h1>Settings</h1>
      <p class="lede">These choices and everything listed here stay in this browser.</p>
      <Settings />
    </div>
  );
}
