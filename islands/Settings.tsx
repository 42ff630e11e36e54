import { useSignal } from "../lib/web/use_signal.ts";
import { Fragment } from "preact";
import { island } from "../lib/web/island.ts";
import { AlertSection } from "./settings/AlertSection.tsx";
import { ChatSection } from "./settings/ChatSection.tsx";
import { LanguageSection } from "./settings/LanguageSection.tsx";
import { StorageSection } from "./settings/StorageSection.tsx";
import { ThemeSection } from "./settings/ThemeSection.tsx";

/** Props of the settings island: none, everything is read in the browser. */
export type SettingsProps = Record<string, never>;

/** Language, theme, conversation choices, alerts and storage of this browser. */
function Settings(_props: SettingsProps) {
  // Bumped when "Delete everything" resets the settings: the sections read them again.
  const resets = useSignal(0);
  return (
    <>
      <Fragment key={resets.value}>
        <LanguageSection />
        <ThemeSection />
        <ChatSection />
        <AlertSection />
      </Fragment>
      <StorageSection onReset={() => resets.value++} />
    </>
  );
}

export default island("Settings", Settings);
