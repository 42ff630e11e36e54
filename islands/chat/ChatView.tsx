import type { ClientView } from "../../lib/client/conversation_client.ts";
import { formatRemaining } from "../../lib/client/format.ts";
import { Composer } from "./Composer.tsx";
import { DeleteButton } from "./DeleteButton.tsx";
import { InvitePanel } from "./InvitePanel.tsx";
import { MessageList } from "./MessageList.tsx";
import { Problems } from "./Problems.tsx";

/** Props of {@linkcode ChatView}. */
export interface ChatViewProps {
  view: ClientView;
  /** The invite link, shown to the creator while the peer has not joined. */
  inviteLink: string | null;
  expiresAt: string;
  onSend(text: string): Promise<unknown>;
  onAcknowledge(): void;
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
                : PEER_LABELS[view.peer]}
            </p>
          </div>
        </div>
        <div class="chat-actions">
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
