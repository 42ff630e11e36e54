import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { endIsNear, type ExtensionView, proposedEnd } from "../../lib/client/extension.ts";
import { formatRemaining } from "../../lib/client/format.ts";

/** Props of {@linkcode EndWarning}. */
export interface EndWarningProps {
  createdAt: string;
  expiresAt: string;
  /** The server's longest lifetime from creation, in seconds. */
  maxLifetime: number;
  extension: ExtensionView;
  /** True while both people are online with the session up: only then can both agree. */
  canAgree: boolean;
  onRequest(expiresAt: string): void;
  onAccept(): void;
  onDecline(): void;
}

function clock(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/**
 * The warning an hour and five minutes before the conversation ends, with
 * the offer to keep it longer when both people are there and the server
 * allows it; and the other person's request, whenever it comes.
 */
export function EndWarning(props: EndWarningProps) {
  // Re-rendered every 15 s, so the warning appears and counts down by itself.
  const now = useSignal(Date.now());
  useEffect(() => {
    const timer = setInterval(() => now.value = Date.now(), 15_000);
    return () => clearInterval(timer);
  }, []);
  const { extension } = props;
  const near = endIsNear(props.expiresAt, now.value);
  if (!near && extension.proposed === null) return null;
  const next = proposedEnd(props, props.maxLifetime);
  return (
    <div class="banner banner-warning end-warning" role="status" data-testid="end-warning">
      {near && (
        <p>
          <strong>This conversation ends {formatRemaining(props.expiresAt, now.value)}</strong> (at
          {" "}
          {clock(props.expiresAt)}). Then it is deleted from the server and can no longer be used.
        </p>
      )}
      {extension.proposed !== null
        ? (
          <div class="end-actions">
            <p>The other person asks to keep it until {clock(extension.proposed)}.</p>
            <button
              class="button primary"
              type="button"
              disabled={!props.canAgree}
              onClick={props.onAccept}
            >
              Keep it until {clock(extension.proposed)}
            </button>
            <button class="button" type="button" onClick={props.onDecline}>Not now</button>
          </div>
        )
        : extension.asked !== null
        ? <p data-testid="extension-asked">Waiting for the other person to agree…</p>
        : next === null
        ? <p>This server keeps conversations no longer.</p>
        : props.canAgree
        ? (
          <div class="end-actions">
            <button class="button primary" type="button" onClick={() => props.onRequest(next)}>
              Keep it until {clock(next)}
            </button>
            <span class="muted">Both of you must agree. The server learns only the new end.</span>
          </div>
        )
        : <p>It can be kept longer while both of you are here.</p>}
      {extension.error !== null && <p class="error" role="alert">{extension.error}</p>}
    </div>
  );
}
