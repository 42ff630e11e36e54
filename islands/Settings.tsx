import { island } from "../lib/web/island.ts";
import { AlertSection } from "./settings/AlertSection.tsx";
import { StorageSection } from "./settings/StorageSection.tsx";
import { ThemeSection } from "./settings/ThemeSection.tsx";

/** Props of the settings island: none, everything is read in the browser. */
export type SettingsProps = Record<string, never>;

/** Theme, alerts and storage of this browser. */
function Settings(_props: SettingsProps) {
  return (
    <>
      <ThemeSection />
      <AlertSection />
      <StorageSection />
    </>
  );
}

export default island("Settings", Settings);
