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
 */
export function Problems({ problems, onAcknowledge, canReset, onReset }: ProblemsProps) {
  if (problems.length === 0) return null;
  const onlyMessages = problems.every((p) => p.kind === "message");
  return (
    <div class="banner banner-danger" role="alert" data-testid="problems">
      <strong>{t("chat.security_warning")}</strong>
      <ul>
        {problems.map((p) => <li key={p.id}>{p.message}</li>)}
      </ul>
      {onlyMessages
        ? (
          <>
            <p>{t("chat.problems_tampering")}</p>
            <button class="button" type="button" onClick={onAcknowledge}>
              {t("chat.problems_resume")}
            </button>
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
