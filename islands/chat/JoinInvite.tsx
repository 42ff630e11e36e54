import { formatRemaining } from "../../lib/client/format.ts";

/** Props of {@linkcode JoinInvite}. */
export interface JoinInviteProps {
  /** When the conversation ends, from the server's record. */
  expiresAt: string;
  /** The creator's key fingerprint from the link, as people read it. */
  fingerprint: string;
  /** True while the join is under way. */
  joining: boolean;
  /** Why the last attempt failed, when it can be tried again. */
  error: string | null;
  onJoin(): void;
}

/**
 * What the person who opened an invite link sees before anything is sent:
 * who invited them (as far as anyone can tell: the keys the link names),
 * when the conversation ends, and a button to join. A link scanner or a
 * preview that loads the page therefore takes no seat.
 */
export function JoinInvite(props: JoinInviteProps) {
  const ends = new Date(props.expiresAt);
  return (
    <section class="notice notice-info join-invite" aria-labelledby="notice-title">
      <div class="notice-icon" aria-hidden="true">+</div>
      <h1 id="notice-title">You were invited to a private conversation</h1>
      <div class="notice-body">
        <p>
          An end-to-end encrypted conversation for two people. You have not joined yet and nothing
          has been sent: join only if you expected this invitation.
        </p>
        <dl class="invite-facts">
          <div>
            <dt>Ends</dt>
            <dd>
              <time dateTime={props.expiresAt}>
                {formatRemaining(props.expiresAt)} ({ends.toLocaleString()})
              </time>
            </dd>
          </div>
          <div>
            <dt>Invited by the keys</dt>
            <dd class="fingerprint" data-testid="invite-fingerprint">{props.fingerprint}</dd>
          </div>
        </dl>
        <p class="small">
          The link names these keys, and this browser has checked that the server offers exactly
          them. Once you have joined, compare the safety number with the person who invited you.
        </p>
      </div>
      <button
        class="button primary"
        type="button"
        id="join"
        disabled={props.joining}
        onClick={props.onJoin}
      >
        {props.joining ? "Joining…" : "Join conversation"}
      </button>
      {props.error !== null && <p class="error" role="alert">{props.error}</p>}
      <p class="muted small">
        The invite is kept only in this page: if you reload it before joining, open the invite link
        again.
      </p>
    </section>
  );
}
