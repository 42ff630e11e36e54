import type { ClientView } from "../../lib/client/conversation_client.ts";
import { formatRemaining } from "../../lib/client/format.ts";
import { Composer } from "./Composer.tsx";
import { DeleteButton } from "./DeleteButton.tsx";
import { InvitePanel } from "./InvitePanel.tsx";
import { MessageList } from "./MessageList.tsx";
import { Problems } from "./Problems.tsx";
import { Verification } from "./Verification.tsx";
import { useSignal } from "@preact/signals";

/** Props of {@linkcode ChatView}. */
export interface ChatViewProps {
  view: ClientView;
  /** The invite link, shown to the creator while the peer has not joined. */
  inviteLink: string | null;
  expiresAt: string;
  onSend(text: string): Promise<unknown>;
  onAcknowledge(): void;
  /** The safety number once the other person's keys are known. */
  safetyNumber: string | null;
  onVerify(verified: boolean): void;
  onDelete(): Promise<void>;
  onRemove(): Promise<void>;
}

const PEER_LABELS = {
  waiting: "Waiting for the other person to join",
  online: "Online",
  offline: "Offline · messages wait in this browser",
};

/** The conversation screen: header, warnings, messages and composer. */
export function ChatView(props: ChatViewProps) {
  const { view } = props;
  const verifying = useSignal(false);
  const isVerified = props.safetyNumber !== null && view.verified === props.safetyNumber;
  const reconnecting = view.connection === "reconnecting" || view.connection === "connecting";
  return (
    <section class="chat" aria-label="Conversation">
      <header class="chat-header">
        <div class="peer">
          <span class={`dot dot-${view.peer}`} aria-hidden="true" />
          <div>
            <h1 class="peer-name">Conversation</h1>
            <p class="peer-state" role="status" data-testid="peer-state" data-state={view.peer}>
              {view.closed === null && reconnecting
                ? "Connecting to the server…"
                : view.peer !== "waiting" && !view.secure
                ? `${PEER_LABELS[view.peer]} · setting up encryption`
                : PEER_LABELS[view.peer]}
            </p>
          </div>
        </div>
        <div class="chat-actions">
          {view.peer !== "waiting" && (
            <button
              class={isVerified ? "button verified" : "button"}
              type="button"
              aria-expanded={verifying.value}
              onClick={() => verifying.value = !verifying.value}
            >
              {isVerified ? "✓ Verified" : "Verify"}
            </button>
          )}
          <span class="expiry" title={new Date(props.expiresAt).toLocaleString()}>
            Ends {formatRemaining(props.expiresAt)}
          </span>
          {view.closed === null && <DeleteButton onDelete={props.onDelete} />}
        </div>
      </header>
      {view.closed !== null && (
        <div class="banner banner-info" role="status" data-testid="closed">
          <p>
            {view.closed === "deleted"
              ? "The other person deleted this conversation. It is gone from the server."
              : "This conversation has expired and is gone from the server."}
          </p>
          <button class="button" type="button" onClick={props.onRemove}>
            Remove it from this browser
          </button>
        </div>
      )}
      <Problems problems={view.problems} onAcknowledge={props.onAcknowledge} />
      {verifying.value && view.peer !== "waiting" && (
        <Verification
          safetyNumber={props.safetyNumber}
          verified={view.verified}
          kemBackend={view.kemBackend}
          onVerify={props.onVerify}
          onClose={() => verifying.value = false}
        />
      )}
      {props.inviteLink !== null && view.peer === "waiting" && view.closed === null && (
        <InvitePanel link={props.inviteLink} />
      )}
      <MessageList messages={view.messages} />
      <Composer
        disabled={!view.canSend}
        reason={view.closed !== null
          ? "This conversation has ended."
          : view.problems.length > 0
          ? "Sending is paused until the warning above is resolved."
          : null}
        onSend={props.onSend}
      />
    </section>
  );
}
