/**
 * Which notice a failure to open or join shows. Apart from `PhaseNotice.tsx`
 * so the chat page can name the notice before fetching the notices' code.
 *
 * @module
 */
import { AdmissionError } from "../../lib/client/admission_http.ts";
import { t } from "../../lib/i18n/i18n.ts";
import type { NoticePhase } from "./PhaseNotice.tsx";

/**
 * The page for a failure to open or join: a named one for each admission
 * error. The sentence under it is in the active language: the server's own
 * (translated by its code) when it refused, a plain one otherwise; an
 * unexpected error's English text goes to the console, not the page.
 */
export function failurePhase(error: unknown): NoticePhase {
  if (!(error instanceof AdmissionError)) {
    console.error(error);
    return { name: "failed", message: t("chat.failed_unexpected") };
  }
  switch (error.code) {
    case "damaged":
    case "wrong_keys":
    case "not_found":
    case "full":
      return { name: error.code };
    case "unreachable":
      return { name: "failed", message: t("chat.failed_unreachable") };
    default:
      return { name: "failed", message: error.message };
  }
}
