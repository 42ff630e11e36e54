/**
 * Where each frame from the relay goes once the connection has taken what
 * it needs: membership to the peer keys, messages to the inbox, the end of
 * the conversation to its ending, and a reason to flush to the outbox.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { LazyCalls } from "./lazy_calls.ts";
import type { ClientState } from "./client_state.ts";
import type { Ending } from "./ending.ts";
import type { LazyExtension } from "./lazy_extension.ts";
import type { LazyInbox } from "./lazy_inbox.ts";
import type { Outbox } from "./outbox.ts";
import type { PeerKeys } from "./peer_keys.ts";
import type { Signals } from "./signals.ts";

/** The parts frames are routed to. */
export interface RouterParts {
  state: ClientState;
  peers: PeerKeys;
  inbox: LazyInbox;
  outbox: Outbox;
  signals: Signals;
  ending: Ending;
  calls: LazyCalls;
  extension: LazyExtension;
}

/**
 * Hands one parsed frame to the part that owns it. Runs in the client's
 * queue; reads of the server's record go aside (see `PeerKeys.refreshAside`)
 * so the relay cannot hold the queue by asking for them.
 */
export async function routeFrame(parts: RouterParts, frame: ServerFrame): Promise<void> {
  const { state, peers, inbox, outbox, signals, ending, extension } = parts;
  /** Reads the record aside, then sends what its news made sendable. */
  const refreshThenFlush = () => {
    aside(peers.refreshAside().then(() => state.serial(() => outbox.flush())));
  };
  switch (frame.type) {
    case "ready":
      refreshThenFlush();
      state.changed();
      return await outbox.flush();
    case "joined":
      await peers.adopt(frame.participant);
      state.changed();
      return;
    case "presence":
      if (frame.participantId !== state.conversation.peer?.id) refreshThenFlush();
      if (!frame.online && frame.participantId === state.conversation.peer?.id) {
        signals.onPeerTyping(false);
      }
      state.changed();
      return await outbox.flush();
    case "message":
      return await inbox.receive(frame);
    case "closed":
      // Only a hint: the relay could send it while the conversation goes on.
      aside(ending.check());
      return;
    case "turn":
      // Only ever used for relayed call routes; the media stays sealed end to end.
      parts.calls.setTurn({
        urls: frame.urls,
        username: frame.username,
        credential: frame.credential,
      });
      return;
    case "extend_requested":
    case "extended":
      return await extension.onFrame(frame);
    case "error":
      await extension.onFrame(frame);
      if (frame.code === "auth_failed") {
        // Also only a hint: the record's check of this browser's own keys
        // raises the lasting warning if the server really replaced them.
        aside(peers.refreshAside());
        state.report("message", t("chat.problem_sign_in_refused"));
      }
      state.changed();
      return;
  }
}

/** Work left to run by itself: its errors already show as problems through the queue. */
function aside(work: Promise<unknown>): void {
  work.catch(() => {});
}
