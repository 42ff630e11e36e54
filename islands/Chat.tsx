import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { Notice } from "../components/Notice.tsx";
import { AdmissionError, creatorInviteLink, joinConversation } from "../lib/client/admission.ts";
import { readChat } from "../lib/client/preferences.ts";
import {
  type ClientPreferences,
  type ClientView,
  ConversationClient,
  OutdatedConversationError,
} from "../lib/client/conversation_client.ts";
import { IdbStorage } from "../lib/client/idb_storage.ts";
import type { StoredConversation } from "../lib/client/storage.ts";
import { checkBrowserSupport } from "../lib/client/support.ts";
import { acquireTabLock, type TabLock } from "../lib/client/tab_lock.ts";
import { type Invite, OutdatedInviteError, parseInviteFragment } from "../lib/crypto/invite.ts";
import { island } from "../lib/web/island.ts";
import { ChatView } from "./chat/ChatView.tsx";
import { useNewMessageAlerts } from "./chat/use_new_message_alerts.ts";

/** Props of the chat island: plain JSON, never a key or a secret. */
export interface ChatProps {
  conversationId: string;
}

type Phase =
  | { name: "opening" }
  | { name: "unsupported"; reason: string }
  | { name: "damaged" }
  | { name: "old_link" }
  | { name: "wrong_keys" }
  | { name: "not_found" }
  | { name: "not_here" }
  | { name: "full" }
  | { name: "failed"; message: string }
  | { name: "other_tab" }
  | { name: "taken_over" }
  | { name: "outdated" }
  | { name: "deleted"; server: boolean }
  | { name: "chat" };

/** One conversation: joining by invite, then talking. */
function Chat({ conversationId }: ChatProps) {
  const phase = useSignal<Phase>({ name: "opening" });
  const view = useSignal<ClientView | null>(null);
  const conversation = useSignal<StoredConversation | null>(null);
  const client = useRef<ConversationClient | null>(null);
  const lock = useRef<TabLock | null>(null);
  const safety = useSignal<string | null>(null);
  const inviteLink = useSignal<string | null>(null);
  const fileError = useSignal<string | null>(null);

  // Messages count as read only while the page is in front of the person.
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState === "visible" && document.hasFocus()) {
        client.current?.markRead();
      }
    };
    markRead();
    globalThis.addEventListener("focus", markRead);
    document.addEventListener("visibilitychange", markRead);
    return () => {
      globalThis.removeEventListener("focus", markRead);
      document.removeEventListener("visibilitychange", markRead);
    };
  }, [view.value?.messages.length]);
  useNewMessageAlerts(view.value?.messages ?? null);

  async function run(steal: boolean) {
    const taken = await acquireTabLock(conversationId, { steal });
    if (taken === null) {
      phase.value = { name: "other_tab" };
      return;
    }
    lock.current = taken;
    taken.lost.then(() => {
      client.current?.stop();
      client.current = null;
      phase.value = { name: "taken_over" };
    });
    let opened: ConversationClient;
    try {
      opened = await ConversationClient.open(conversationId, {
        baseUrl: location.origin,
        storage: new IdbStorage(),
        preferences: chatPreferences,
        onChange: (next) => {
          view.value = next;
          // The safety number exists once the other person's keys are pinned.
          if (safety.value === null) opened?.safetyNumber()?.then((n) => safety.value = n);
        },
      });
    } catch (error) {
      if (!(error instanceof OutdatedConversationError)) throw error;
      taken.release();
      phase.value = { name: "outdated" };
      return;
    }
    opened.safetyNumber()?.then((n) => safety.value = n);
    if (opened.conversation.role === "creator") {
      inviteLink.value = await creatorInviteLink(location.origin, opened.conversation);
    }
    client.current = opened;
    conversation.value = opened.conversation;
    view.value = opened.view;
    phase.value = { name: "chat" };
    opened.start();
  }

  useEffect(() => {
    // The fragment holds the invite secret: read it, then drop it from the
    // address bar and the session history at once.
    const fragment = location.hash;
    if (fragment) history.replaceState(null, "", location.pathname + location.search);
    (async () => {
      const reason = await checkBrowserSupport();
      if (reason !== null) {
        phase.value = { name: "unsupported", reason };
        return;
      }
      const storage = new IdbStorage();
      let invite: Invite | null = null;
      if (fragment) {
        try {
          invite = parseInviteFragment(fragment);
        } catch (error) {
          phase.value = { name: error instanceof OutdatedInviteError ? "old_link" : "damaged" };
          return;
        }
      }
      const stored = await storage.getConversation(conversationId);
      if (stored === undefined && invite === null) {
        phase.value = { name: "not_here" };
        return;
      }
      if (invite !== null) {
        await joinConversation({ baseUrl: location.origin, storage, conversationId, invite });
      }
      await run(false);
    })().catch((error) => {
      if (error instanceof AdmissionError) {
        phase.value = error.code === "damaged"
          ? { name: "damaged" }
          : error.code === "wrong_keys"
          ? { name: "wrong_keys" }
          : error.code === "not_found"
          ? { name: "not_found" }
          : error.code === "full"
          ? { name: "full" }
          : { name: "failed", message: error.message };
      } else {
        phase.value = { name: "failed", message: (error as Error).message };
      }
    });
    return () => {
      client.current?.stop();
      lock.current?.release();
    };
  }, []);

  async function onDelete() {
    const current = client.current;
    if (current === null) return;
    const result = await current.deleteConversation();
    client.current = null;
    phase.value = { name: "deleted", server: result.server };
  }

  const p = phase.value;
  switch (p.name) {
    case "opening":
      return <p class="opening" role="status">Opening the conversation…</p>;
    case "unsupported":
      return (
        <Notice title="This browser cannot open the conversation" tone="warning">
          <p>{p.reason}</p>
          <p>Open this page in an up-to-date browser, over HTTPS or on this computer.</p>
        </Notice>
      );
    case "damaged":
      return (
        <Notice title="This invite link is damaged" tone="error">
          <p>
            The link does not fit this conversation. It may have been cut short when it was copied.
            Ask for the link again, and copy all of it.
          </p>
        </Notice>
      );
    case "old_link":
      return (
        <Notice title="This invite link is from an older version" tone="warning">
          <p>
            Links made by the older version of The Anonymous do not name the keys of the person who
            invited you, so this version cannot check them and will not join. Ask them to start a
            new conversation and send you its link.
          </p>
        </Notice>
      );
    case "wrong_keys":
      return (
        <Notice title="These are not the keys of the person who invited you" tone="error">
          <p>
            The server presented keys for the person who invited you that this invite link does not
            name. Someone who has the link may be trying to listen in. Nothing was sent and you did
            not join.
          </p>
          <p>Ask for a new link over a channel you trust.</p>
        </Notice>
      );
    case "not_found":
      return (
        <Notice title="Conversation not found" tone="error">
          <p>This conversation has ended, was deleted, or never existed.</p>
        </Notice>
      );
    case "not_here":
      return (
        <Notice title="This browser is not part of this conversation" tone="info">
          <p>
            To join, open the full invite link you were sent, including everything after the “#”.
          </p>
        </Notice>
      );
    case "full":
      return (
        <Notice title="This conversation is full" tone="warning">
          <p>Two people are already in it, and a conversation holds only two.</p>
        </Notice>
      );
    case "failed":
      return (
        <Notice title="The conversation could not be opened" tone="error">
          <p>{p.message}</p>
        </Notice>
      );
    case "other_tab":
      return (
        <Notice
          title="Open in another tab"
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel="Reload"
        >
          <p>This conversation is open in another tab of this browser.</p>
          <button class="button primary" type="button" onClick={() => run(true)}>
            Use it here instead
          </button>
        </Notice>
      );
    case "taken_over":
      return (
        <Notice
          title="Moved to another tab"
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel="Use it here"
        >
          <p>This conversation was opened in another tab, so it was closed here.</p>
        </Notice>
      );
    case "outdated":
      return (
        <Notice title="Made with an older version" tone="info">
          <p>
            This conversation was made with an older version of The Anonymous, whose encryption this
            version no longer uses. Start a new conversation.
          </p>
          <button
            class="button"
            type="button"
            onClick={async () => {
              await new IdbStorage().deleteConversation(conversationId);
              location.assign("/");
            }}
          >
            Remove it from this browser
          </button>
        </Notice>
      );
    case "deleted":
      return (
        <Notice title="Conversation deleted" tone="info">
          <p>
            {p.server
              ? "It is gone from the server and from this browser."
              : "It is gone from this browser. The server could not be reached, so it will be removed there when it expires."}
          </p>
        </Notice>
      );
    case "chat": {
      const stored = conversation.value!;
      return (
        <ChatView
          view={view.value!}
          inviteLink={stored.role === "creator" ? inviteLink.value : null}
          expiresAt={stored.expiresAt}
          onSend={(text) => client.current!.send(text)}
          onFiles={async (files) => {
            fileError.value = null;
            for (const file of files) {
              try {
                await client.current!.sendFile(file, file.name);
              } catch (error) {
                fileError.value = (error as Error).message;
              }
            }
          }}
          fileError={fileError.value}
          onTyping={(active) => client.current?.setTyping(active)}
          onTimer={(seconds) => client.current?.setTimer(seconds)}
          getFile={(id) => client.current?.getFile(id) ?? Promise.resolve(undefined)}
          onAcknowledge={() => client.current?.acknowledgeProblems()}
          safetyNumber={safety.value}
          onVerify={(verified) => client.current?.setVerified(verified)}
          onDelete={onDelete}
          onRemove={async () => {
            client.current?.stop();
            await new IdbStorage().deleteConversation(conversationId);
            location.assign("/");
          }}
        />
      );
    }
  }
}

/** The settings page's choices, as the client wants them; read at each use. */
function chatPreferences(): ClientPreferences {
  const chat = readChat();
  return {
    typingIndicator: chat.typingIndicator,
    readReceipts: chat.readReceipts,
    maxFileBytes: chat.maxFileMiB * 1024 * 1024,
  };
}

export default island("Chat", Chat);
