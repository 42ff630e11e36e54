import { useSignal } from "../../lib/web/use_signal.ts";
import type { ClientView, ConversationClient } from "../../lib/client/conversation_client.ts";
import { readNames, writeNames } from "../../lib/client/local_names.ts";
import type { StoredConversation } from "../../lib/client/storage.ts";
import { ChatView } from "./ChatView.tsx";

/** Props of {@linkcode OpenChat}. */
export interface OpenChatProps {
  /** The open client; null once it stopped (every action then does nothing). */
  client(): ConversationClient | null;
  view: ClientView;
  /** The conversation as the page keeps it (never the secret). */
  stored: StoredConversation;
  /** The creator's invite link while nobody joined. */
  inviteLink: string | null;
  /** The server's longest lifetime from creation, in seconds. */
  maxLifetime: number;
  safetyNumber: string | null;
  /** True when someone joined while this page was open (creator only). */
  joinedNotice: boolean;
  onDismissJoined(): void;
  /** The safety number panel opened: its number is wanted now. */
  onVerifying(): void;
  onDelete(): Promise<void>;
  onRemove(): Promise<void>;
}

/**
 * An open conversation: the chat view wired to the client's actions, with
 * what only this screen keeps (the last file error, the names given here).
 */
export function OpenChat(props: OpenChatProps) {
  const { client, stored } = props;
  const fileError = useSignal<string | null>(null);
  // Names given here, kept in this browser only (never sent).
  const names = useSignal(readNames(stored.id));
  return (
    <ChatView
      view={props.view}
      inviteLink={stored.role === "creator" ? props.inviteLink : null}
      expiresAt={props.view.expiresAt}
      createdAt={stored.createdAt}
      maxLifetime={props.maxLifetime}
      onRequestExtension={(at) => client()?.requestExtension(at)}
      onAcceptExtension={() => client()?.acceptExtension()}
      onDeclineExtension={() => client()?.declineExtension()}
      onRead={() => client()?.markRead()}
      onSend={async (text, replyTo) => {
        await client()!.send(text, { replyTo });
        // A file error is about the last attempt; a message that went out replaces it.
        fileError.value = null;
      }}
      messageActions={{
        react: (id, emoji) => client()!.react(id, emoji),
        edit: (id, text) => client()!.edit(id, text),
        deleteForMe: (id) => client()!.deleteForMe(id),
        deleteForBoth: (id) => client()!.deleteForBoth(id),
      }}
      onFiles={async (files) => {
        fileError.value = null;
        for (const file of files) {
          try {
            await client()!.sendFile(file, file.name);
          } catch (error) {
            fileError.value = (error as Error).message;
          }
        }
      }}
      fileError={fileError.value}
      onTyping={(active) => client()?.setTyping(active)}
      calls={client()?.calls ?? null}
      onTimer={(seconds) => client()?.setTimer(seconds)}
      getFile={(id) => client()?.getFile(id) ?? Promise.resolve(undefined)}
      cancelFile={(id, how) =>
        void (how === "decline" ? client()?.declineFile(id) : client()?.cancelFile(id))}
      onAcknowledge={() => {
        client()?.acknowledgeProblems();
        // Reading the warning is reading the page: reads paused with it go out.
        client()?.markRead();
      }}
      // Offered only when it may start; a failure on the way shows as a problem.
      onReset={() => client()?.resetSession().catch(() => {})}
      safetyNumber={props.safetyNumber}
      onVerifying={props.onVerifying}
      onVerify={(verified) => client()?.setVerified(verified)}
      onDelete={props.onDelete}
      joinedNotice={props.joinedNotice && stored.role === "creator"}
      onDismissJoined={props.onDismissJoined}
      onRemove={props.onRemove}
      names={names.value}
      onRename={(next) => names.value = writeNames(stored.id, next)}
    />
  );
}
