import { t } from "../../lib/i18n/i18n.ts";
import type { Problem } from "../../lib/client/conversation_client.ts";

/** Props of {@linkcode Problems}. */
export interface ProblemsProps {
  problems: Problem[];
  onAcknowledge(): void;
  /** Whether the session may be reset (the peer's keys are not in doubt). */
  canReset: boolean;
  onReset(): void;
}

/**
 * Every failed check, in plain words; sending stays paused while any shows.
 * Where messages fail, the session may be broken: it can be reset there.
 * A part of the page that did not load is not a failed check: alone, it
 * shows as such, with a way to reload.
 */
export function Problems({ problems, onAcknowledge, canReset, onReset }: ProblemsProps) {
  if (problems.length === 0) return null;
  const checks = problems.filter((p) => p.kind !== "load");
  const onlyMessages = checks.every((p) => p.kind === "message");
  const resume = (
    <button class="button" type="button" onClick={onAcknowledge}>
      {t("chat.problems_resume")}
    </button>
  );
  return (
    <div
      class={checks.length === 0 ? "banner banner-warning" : "banner banner-danger"}
      role="alert"
      data-testid="problems"
    >
      <strong>
        {t(checks.length === 0 ? "chat.problems_load_heading" : "chat.security_warning")}
      </strong>
      <ul>
        {problems.map((p) => <li key={p.id}>{p.message}</li>)}
      </ul>
      {checks.length === 0
        ? (
          <>
            <p>{t("chat.problems_load_explained")}</p>
            <div class="problem-actions">
              <button class="button" type="button" onClick={() => location.reload()}>
                {t("chat.problems_reload")}
              </button>
              {resume}
            </div>
          </>
        )
        : onlyMessages
        ? (
          <>
            <p>{t("chat.problems_tampering")}</p>
            {resume}
            {canReset && (
              <>
                <p>{t("chat.problems_reset_explained")}</p>
                <button class="button" type="button" onClick={onReset}>
                  {t("chat.problems_reset")}
                </button>
              </>
            )}
          </>
        )
        : <p>{t("chat.problems_untrusted_keys")}</p>}
    </div>
  );
}
