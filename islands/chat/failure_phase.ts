/**
 * Which notice a failure to open or join shows. Apart from `PhaseNotice.tsx`
 * so the chat page can name the notice before fetching the notices' code.
 *
 * @module
 */
import { AdmissionError } from "../../lib/client/admission_http.ts";
import type { NoticePhase } from "./PhaseNotice.tsx";

/** The page for a failure to open or join: a named one for each admission error. */
export function failurePhase(error: unknown): NoticePhase {
  if (!(error instanceof AdmissionError)) {
    return { name: "failed", message: (error as Error).message };
  }
  switch (error.code) {
    case "damaged":
    case "wrong_keys":
    case "not_found":
    case "full":
      return { name: error.code };
    default:
      return { name: "failed", message: error.message };
  }
}
