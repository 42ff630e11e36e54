import type { LazyCalls } from "../../lib/client/lazy_calls.ts";
import type { ClientView } from "../../lib/client/conversation_client.ts";
import { t } from "../../lib/i18n/i18n.ts";
import { Composer } from "./Composer.tsx";
import type { ComposerMode } from "./ComposerContext.tsx";
import type { MessageActionHandlers } from "./MessageActionsMenu.tsx";
import { MessageList } from "./MessageList.tsx";
import { NewMessagesButton } from "./NewMessagesButton.tsx";
import { useListScroll } from "./use_list_scroll.ts";
import { useMarkRead } from "./use_mark_read.ts";
import { useRef } from "preact/hooks";
import { useSignal } from "../../lib/web/use_signal.ts";
import type { LocalNames } from "../../lib/client/local_names.ts";
import { ChatHeader } from "./ChatHeader.tsx";
import { OfflineNotice } from "./OfflineNotice.tsx";
import { EndWarning, HistorySearch, InvitePanel, JoinedNotice, Problems } from "./lazy_parts.ts";
import { useEndNear } from "./use_end_near.ts";

/** Props of {@linkcode ChatView}. */
export interface ChatViewProps {
  view: ClientView;
  /** The invite link, shown to the creator while the peer has not joined. */
  inviteLink: string | null;
  expiresAt: string;
  /** Sends a text; with `replyTo`, as an answer to that message. */
  onSend(text: string, replyTo?: string): Promise<unknown>;
  /** Reactions, edits and deletes of messages. */
  messageActions: Pick<MessageActionHandlers, "react" | "deleteForMe" | "deleteForBoth"> & {
    edit(id: string, text: string): Promise<void>;
  };
  onFiles(files: File[]): void;
  /** Why the last file could not be sent, if it could not. */
  fileError: string | null;
  onTyping(active: boolean): void;
  /** Marks what came as read: called while the person can see the newest messages. */
  onRead(): void;
  onTimer(seconds: number): void;
  getFile(id: string): Promise<Blob | undefined>;
  /** Cancels a file on its way, on both sides. */
  cancelFile?(id: string, how?: "cancel" | "decline"): void;
  onAcknowledge(): void;
  /** Starts a session reset (offered with the warnings of a broken session). */
  onReset(): void;
  /** The safety number once the other person's keys are known. */
  safetyNumber: string | null;
  /** True when someone joined while this page was open (creator only). */
  joinedNotice: boolean;
  onDismissJoined(): void;
  onVerify(verified: boolean): void;
  /** The safety number panel opens: the number is wanted now. */
  onVerifying(): void;
  onDelete(): Promise<void>;
  onRemove(): Promise<void>;
  /** Call signalling of the open client (calls load their code on first use). */
  calls?: LazyCalls | null;
  /** When the conversation was created (for the longest extension). */
  createdAt: string;
  /** The server's longest lifetime from creation, in seconds. */
  maxLifetime: number;
  onRequestExtension(expiresAt: string): void;
  onAcceptExtension(): void;
  onDeclineExtension(): void;
  /** The names this browser gave the conversation and the other person. */
  names: LocalNames;
  onRename(names: LocalNames): void;
}

/** Why the conversation is over, as the person is told: catalogue keys. */
const CLOSED_LABELS = {
  deleted: "chat.closed_deleted",
  expired: "chat.closed_expired",
  ended: "chat.closed_ended",
};

/** The conversation screen: header, warnings, messages and composer. */

export function ChatView(props: ChatViewProps) {
  const { view } = props;
  const verifying = useSignal(false);
  const isVerified = props.safetyNumber !== null && view.verified === props.safetyNumber;
  const dragging = useSignal(false);
  const mode = useSignal<ComposerMode | null>(null);
  const actions: MessageActionHandlers = {
    ...props.messageActions,
    canSend: view.canSend,
    onReply: (message) => mode.value = { kind: "reply", message },
    onEdit: (message) => mode.value = { kind: "edit", message },
  };
  // Only the message list scrolls: where it lands, and the "new messages" button.
  const list = useRef<HTMLDivElement>(null);
  const scroll = useListScroll(list, view.messages);
  useMarkRead(view, props.onRead, scroll);
  const searching = useSignal(false);
  const searchButton = useRef<HTMLButtonElement>(null);
  const endNear = useEndNear(props.expiresAt);
  return (
    <section
      class={dragging.value ? "chat dragging" : "chat"}
      aria-label={t("chat.conversation")}
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
      <ChatHeader
        view={view}
        names={props.names}
        onRename={props.onRename}
        calls={props.calls ?? null}
        searching={searching.value}
        searchButton={searchButton}
        onToggleSearch={() => searching.value = !searching.value}
        verifying={verifying.value}
        onVerifying={(open) => {
          verifying.value = open;
          if (open) props.onVerifying();
        }}
        safetyNumber={props.safetyNumber}
        onVerify={props.onVerify}
        expiresAt={props.expiresAt}
        onTimer={props.onTimer}
        onDelete={props.onDelete}
      />
      {searching.value && (
        <HistorySearch
          revision={view.messages.length}
          onClose={() => {
            searching.value = false;
            searchButton.current?.focus();
          }}
        />
      )}
      {view.closed === null && <OfflineNotice connection={view.connection} />}
      {view.closed === null && (endNear || view.extension.proposed !== null) && (
        <EndWarning
          createdAt={props.createdAt}
          expiresAt={props.expiresAt}
          maxLifetime={props.maxLifetime}
          extension={view.extension}
          canAgree={view.peer === "online" && view.connection === "online" && view.secure}
          onRequest={props.onRequestExtension}
          onAccept={props.onAcceptExtension}
          onDecline={props.onDeclineExtension}
        />
      )}
      {view.closed !== null && (
        <div class="banner banner-info" role="status" data-testid="closed">
          <p>
            {t(CLOSED_LABELS[view.closed])}
          </p>
          <button class="button" type="button" onClick={props.onRemove}>
            {t("chat.remove_here")}
          </button>
        </div>
      )}
      <Problems
        problems={view.problems}
        onAcknowledge={props.onAcknowledge}
        canReset={view.canReset}
        onReset={props.onReset}
      />
      {props.joinedNotice && view.peer !== "waiting" && !isVerified && view.closed === null && (
        <JoinedNotice
          onCompare={() => {
            verifying.value = true;
            props.onVerifying();
            props.onDismissJoined();
          }}
          onDismiss={props.onDismissJoined}
        />
      )}
      {props.inviteLink !== null && view.peer === "waiting" && view.closed === null && (
        <InvitePanel link={props.inviteLink} />
      )}
      <MessageList
        messages={view.messages}
        transfers={view.transfers}
        getFile={props.getFile}
        actions={actions}
        listRef={list}
        events={view.events}
        cancelFile={props.cancelFile}
      />
      <NewMessagesButton
        count={scroll.unseen}
        onClick={() => {
          scroll.toNewest();
          list.current?.focus({ preventScroll: true });
        }}
      />
      <p class="typing" aria-live="polite" data-testid="typing">
        {view.peerTyping ? t("chat.typing") : ""}
      </p>
      {props.fileError !== null && <p class="error file-error" role="alert">{props.fileError}</p>}
      <Composer
        disabled={!view.canSend}
        reason={view.closed !== null
          ? t("chat.reason_ended")
          : view.problems.length > 0
          ? t("chat.reason_paused")
          : null}
        onSend={async (text, current) => {
          if (current?.kind === "edit") await props.messageActions.edit(current.message.id, text);
          else await props.onSend(text, current?.message.id);
        }}
        onFiles={props.onFiles}
        onTyping={props.onTyping}
        mode={mode.value}
        onMode={(next) => mode.value = next}
      />
    </section>
  );
}
