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
      <strong>Security warning</strong>
      <ul>
        {problems.map((p) => <li key={p.id}>{p.message}</li>)}
      </ul>
      {onlyMessages
        ? (
          <>
            <p>
              Someone between you and the other person may be tampering with messages. Nothing that
              failed a check was shown.
            </p>
            <button class="button" type="button" onClick={onAcknowledge}>
              I understand, resume sending
            </button>
            {canReset && (
              <>
                <p>
                  If messages keep failing, the secure session may be broken. Resetting it makes new
                  session keys for the same two of you: the safety number stays the same, and
                  messages the other person has not received are sent again.
                </p>
                <button class="button" type="button" onClick={onReset}>
                  Reset secure session
                </button>
              </>
            )}
          </>
        )
        : (
          <p>
            The keys offered for this conversation cannot be trusted, so nothing can be sent. Start
            a new conversation and share its link another way.
          </p>
        )}
    </div>
  );
}
