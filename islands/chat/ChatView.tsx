import type { ClientView } from "../../lib/client/conversation_client.ts";
import { formatRemaining, TIMER_LABELS } from "../../lib/client/format.ts";
import { Composer } from "./Composer.tsx";
import { DeleteButton } from "./DeleteButton.tsx";
import { InvitePanel } from "./InvitePanel.tsx";
import { JoinedNotice } from "./JoinedNotice.tsx";
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
  onFiles(files: File[]): void;
  /** Why the last file could not be sent, if it could not. */
  fileError: string | null;
  onTyping(active: boolean): void;
  onTimer(seconds: number): void;
  getFile(id: string): Promise<Blob | undefined>;
  /** Cancels a file on its way, on both sides. */
  cancelFile?(id: string): void;
  onAcknowledge(): void;
  /** Starts a session reset (offered with the warnings of a broken session). */
  onReset(): void;
  /** The safety number once the other person's keys are known. */
  safetyNumber: string | null;
  /** True when someone joined while this page was open (creator only). */
  joinedNotice: boolean;
  onDismissJoined(): void;
  onVerify(verified: boolean): void;
  onDelete(): Promise<void>;
  onRemove(): Promise<void>;
}

const PEER_LABELS = {
  waiting: "Waiting for the other person to join",
  online: "Online",
  offline: "Offline · messages wait in this browser",
};

/** Why the conversation is over, as the person is told. */
const CLOSED_LABELS = {
  deleted: "The other person deleted this conversation.",
  expired: "This conversation has expired and is gone from the server.",
  ended: "This conversation is no longer on the server.",
};

/** The conversation screen: header, warnings, messages and composer. */

export function ChatView(props: ChatViewProps) {
  const { view } = props;
  const verifying = useSignal(false);
  const isVerified = props.safetyNumber !== null && view.verified === props.safetyNumber;
  const reconnecting = view.connection === "reconnecting" || view.connection === "connecting";
  const dragging = useSignal(false);
  return (
    <section
      class={dragging.value ? "chat dragging" : "chat"}
      aria-label="Conversation"
      onDragOver={(e) => {
        if (!view.canSend || !e.dataTransfer?.types.includes("Files")) return;
        e.preventDefault();
        dragging.value = true;
      }}
      onDragLeave={() => dragging.value = false}
      onDrop={(e) => {
        dragging.value = false;
        const files = [...(e.dataTransfer?.files ?? [])];
        if (files.length === 0 || !view.canSend) return;
        e.preventDefault();
        props.onFiles(files);
      }}
    >
      <header class="chat-header">
        <div class="peer">
          <span class={`dot dot-${view.peer}`} aria-hidden="true" />
          <div>
            <h1 class="peer-name">Conversation</h1>
            <p class="peer-state" role="status" data-testid="peer-state" data-state={view.peer}>
              {view.closed !== null
                ? "Ended"
                : reconnecting
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
          {view.peer !== "waiting" && view.closed === null && (
            <select
              class="timer-select"
              aria-label="Disappearing messages"
              title="Disappearing messages"
              value={String(view.timer)}
              disabled={!view.canSend}
              onChange={(e) => props.onTimer(Number(e.currentTarget.value))}
            >
              {Object.entries(TIMER_LABELS).map(([seconds, label]) => (
                <option key={seconds} value={seconds}>
                  {seconds === "0" ? "Disappearing: off" : `Disappearing: ${label}`}
                </option>
              ))}
            </select>
          )}
          {view.closed === null && (
            <span class="expiry" title={new Date(props.expiresAt).toLocaleString()}>
              Ends {formatRemaining(props.expiresAt)}
            </span>
          )}
          {view.closed === null && <DeleteButton onDelete={props.onDelete} />}
        </div>
      </header>
      {view.closed !== null && (
        <div class="banner banner-info" role="status" data-testid="closed">
          <p>
            {CLOSED_LABELS[view.closed]}
          </p>
          <button class="button" type="button" onClick={props.onRemove}>
            Remove it from this browser
          </button>
        </div>
      )}
      <Problems
        problems={view.problems}
        onAcknowledge={props.onAcknowledge}
        canReset={view.canReset}
        onReset={props.onReset}
      />
      {props.joinedNotice && view.peer !== "waiting" && !isVerified && (
        <JoinedNotice
          onCompare={() => {
            verifying.value = true;
            props.onDismissJoined();
          }}
          onDismiss={props.onDismissJoined}
        />
      )}
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
      <MessageList
        messages={view.messages}
        transfers={view.transfers}
        getFile={props.getFile}
        cancelFile={props.cancelFile}
      />
      <p class="typing" aria-live="polite" data-testid="typing">
        {view.peerTyping ? "The other person is typing…" : ""}
      </p>
      {props.fileError !== null && <p class="error file-error" role="alert">{props.fileError}</p>}
      <Composer
        disabled={!view.canSend}
        reason={view.closed !== null
          ? "This conversation has ended."
          : view.problems.length > 0
          ? "Sending is paused until the warning above is resolved."
          : null}
        onSend={props.onSend}
        onFiles={props.onFiles}
        onTyping={props.onTyping}
      />
    </section>
  );
}
