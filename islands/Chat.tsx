import { t } from "../lib/i18n/i18n.ts";
import { useSignal } from "../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import { AdmissionError } from "../lib/client/admission_http.ts";
import { onConversationsDeleting } from "../lib/client/conversation_removal.ts";
import {
  type ClientView,
  ConversationClient,
  OutdatedConversationError,
} from "../lib/client/conversation_client.ts";
import { IdbStorage } from "../lib/client/idb_storage.ts";
import { forgetNames } from "../lib/client/local_names.ts";
import { forgetOfflinePages } from "../lib/client/offline_pages.ts";
import type { StoredConversation } from "../lib/client/storage.ts";
import { acquireTabLock, type TabLock } from "../lib/client/tab_lock.ts";
import type { Invite } from "../lib/crypto/invite.ts";
import { island } from "../lib/web/island.ts";
import { bootStep, type ChatPhase, isBusy } from "./chat/chat_phase.ts";
import { chatPreferences } from "./chat/chat_preferences.ts";
import { OpenChat } from "./chat/OpenChat.tsx";
import { failurePhase } from "./chat/failure_phase.ts";
import {
  FileBubble,
  InvitePanel,
  JoinInvite,
  PhaseNotice,
  preloadChatParts,
  whenIdle,
} from "./chat/lazy_parts.ts";
import { useNewMessageAlerts } from "./chat/use_new_message_alerts.ts";

/** Props of the chat island: plain JSON, never a key or a secret. */
export interface ChatProps {
  conversationId: string;
  /** The server's longest lifetime from creation, in seconds (for extensions). */
  maxLifetime: number;
}

/** One conversation: joining by invite, then talking. */
function Chat({ conversationId, maxLifetime }: ChatProps) {
  const phase = useSignal<ChatPhase>({ name: "opening" });
  const view = useSignal<ClientView | null>(null);
  const conversation = useSignal<StoredConversation | null>(null);
  const client = useRef<ConversationClient | null>(null);
  const lock = useRef<TabLock | null>(null);
  const safety = useSignal<string | null>(null);
  const inviteLink = useSignal<string | null>(null);
  // The safety number is computed once wanted (see `wantSafety`).
  const safetyWanted = useRef(false);
  // The invite of a page not yet joined: in memory only, never stored.
  const pending = useRef<Invite | null>(null);
  // The creator is told when the other person's keys appear while the page is open.
  const sawWaiting = useRef(false);
  const joinedNotice = useSignal(false);
  // Set once another tab (Settings) deletes this conversation; this tab then stays stopped.
  const deletedElsewhere = useRef(false);
  // Set while this tab deletes the conversation itself.
  const deletingHere = useRef(false);

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
      phase.value = { name: deletedElsewhere.current ? "deleted_here" : "taken_over" };
    });
    let opened: ConversationClient;
    try {
      opened = await ConversationClient.open(conversationId, {
        baseUrl: location.origin,
        storage: new IdbStorage(),
        preferences: chatPreferences,
        onGone: onDeletedElsewhere,
        onChange: (next) => {
          view.value = next;
          noteJoin(next);
          // The link (and the secret in it) is of no use once someone joined.
          if (next.peer !== "waiting") inviteLink.value = null;
          // The safety number exists once the other person's keys are pinned.
          if (safetyWanted.current) showSafety(opened);
        },
      });
    } catch (error) {
      if (!(error instanceof OutdatedConversationError)) throw error;
      taken.release();
      phase.value = { name: "outdated" };
      return;
    }
    if (deletedElsewhere.current) {
      taken.release();
      phase.value = { name: "deleted_here" };
      return;
    }
    // A verified conversation shows it at once; any other once idle or asked for.
    if (opened.conversation.verified !== null) wantSafety(opened);
    if (opened.conversation.role === "creator" && opened.conversation.secret !== null) {
      // Fetched only while the link is still kept (nobody has joined yet), and
      // shown with the conversation, not a moment after it.
      const { creatorInviteLink } = await import("../lib/client/creator_link.ts");
      inviteLink.value = creatorInviteLink(location.origin, opened.conversation);
      if (inviteLink.value !== null) await InvitePanel.preload().catch(() => {});
    }
    client.current = opened;
    // The page keeps what it shows; the secret stays with the client.
    conversation.value = { ...opened.conversation, secret: null };
    view.value = opened.view;
    noteJoin(opened.view);
    // A file in the history shows with it, not a moment after it.
    if (opened.view.messages.some((m) => m.file !== null)) {
      await FileBubble.preload().catch(() => {});
    }
    phase.value = { name: "chat" };
    opened.start();
    preloadChatParts();
    whenIdle(() => wantSafety(opened));
  }

  /** From now on, the safety number is computed (its code fetched) and shown. */
  function wantSafety(opened: ConversationClient) {
    safetyWanted.current = true;
    showSafety(opened);
  }

  function showSafety(opened: ConversationClient | undefined) {
    if (safety.value !== null) return;
    opened?.safetyNumber()?.then((n) => safety.value = n, () => {});
  }

  /** Notes the other person's arrival: from "waiting" to anything else. */
  function noteJoin(next: ClientView) {
    if (next.peer === "waiting") {
      sawWaiting.current = true;
    } else if (sawWaiting.current) {
      sawWaiting.current = false;
      joinedNotice.value = true;
    }
  }

  /**
   * Another tab deleted this conversation from this browser (or storage
   * refused a write because it is gone): stop at once, so nothing that
   * arrives later is written back, and say why.
   */
  function onDeletedElsewhere() {
    const name = phase.value.name;
    // An invite page keeps nothing here; a tab that deletes it says so itself.
    if (deletingHere.current || name === "invite" || name === "deleted") return;
    deletedElsewhere.current = true;
    client.current?.stop();
    client.current = null;
    phase.value = { name: "deleted_here" };
  }

  function fail(error: unknown) {
    phase.value = failurePhase(error);
  }

  /** Reads an invite fragment (or none) and shows what follows from it. */
  async function boot(fragment: string) {
    pending.current = null;
    const step = await bootStep(conversationId, fragment);
    if (step.next === "open") return await run(false);
    if (step.next === "offer") pending.current = step.invite;
    phase.value = step.phase;
  }

  useEffect(() => {
    // The fragment holds the invite secret: read it, then drop it from the
    // address bar and the session history at once.
    const takeFragment = () => {
      const fragment = location.hash;
      if (fragment) history.replaceState(null, "", location.pathname + location.search);
      return fragment;
    };
    boot(takeFragment()).catch(fail);
    // Opening the link again in this tab changes only the fragment: no new page load.
    const onHashChange = () => {
      const fragment = takeFragment();
      if (fragment && !isBusy(phase.value) && client.current === null) {
        phase.value = { name: "opening" };
        boot(fragment).catch(fail);
      }
    };
    globalThis.addEventListener("hashchange", onHashChange);
    const stopListening = onConversationsDeleting((ids) => {
      if (ids.includes(conversationId)) onDeletedElsewhere();
    });
    return () => {
      stopListening();
      globalThis.removeEventListener("hashchange", onHashChange);
      client.current?.stop();
      lock.current?.release();
    };
  }, []);

  async function onJoin() {
    const current = phase.value;
    const invite = pending.current;
    if (current.name !== "invite" || current.joining || invite === null) return;
    phase.value = { ...current, joining: true, error: null };
    try {
      // Fetched with the invite already (see `chat_phase.ts`); the key making is in it.
      const { joinConversation } = await import("./chat/invite_step.ts");
      await joinConversation({
        baseUrl: location.origin,
        storage: new IdbStorage(),
        conversationId,
        invite,
      });
    } catch (error) {
      if (error instanceof AdmissionError && error.code === "unreachable") {
        // Nothing changed: the same invite can be tried again.
        phase.value = { ...current, joining: false, error: error.message };
      } else {
        fail(error);
      }
      return;
    }
    pending.current = null;
    await run(false).catch(fail);
  }

  async function onDelete() {
    const current = client.current;
    if (current === null) return;
    deletingHere.current = true;
    const result = await current.deleteConversation();
    forgetNames([conversationId]);
    await forgetOfflinePages([conversationId]).catch(() => {});
    client.current = null;
    phase.value = { name: "deleted", server: result.server };
  }

  async function onRemove() {
    deletingHere.current = true;
    client.current?.stop();
    await new IdbStorage().deleteConversation(conversationId);
    forgetNames([conversationId]);
    await forgetOfflinePages([conversationId]).catch(() => {});
    location.assign("/");
  }

  const p = phase.value;
  switch (p.name) {
    case "opening":
      return <p class="opening" role="status">{t("chat.opening")}</p>;
    case "invite":
      return (
        <JoinInvite
          expiresAt={p.expiresAt}
          fingerprint={p.fingerprint}
          joining={p.joining}
          error={p.error}
          onJoin={onJoin}
        />
      );
    case "chat":
      return (
        <OpenChat
          client={() => client.current}
          view={view.value!}
          stored={conversation.value!}
          inviteLink={inviteLink.value}
          maxLifetime={maxLifetime}
          safetyNumber={safety.value}
          joinedNotice={joinedNotice.value}
          onDismissJoined={() => joinedNotice.value = false}
          onVerifying={() => client.current && wantSafety(client.current)}
          onDelete={onDelete}
          onRemove={onRemove}
        />
      );
    default:
      return (
        <PhaseNotice
          phase={p}
          conversationId={conversationId}
          onTakeOver={() => run(true).catch(fail)}
          onRemove={onRemove}
        />
      );
  }
}

export default island("Chat", Chat);
