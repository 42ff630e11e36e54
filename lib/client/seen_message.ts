/**
 * The inbox's steps for a message whose ID was seen before: a resend whose
 * receipt was lost, the same message sealed again after a session reset, or
 * a substitute. Rare in ordinary use, so the inbox fetches this code the
 * first time such an ID arrives (`Inbox`, before any check of the message:
 * a failed fetch is never taken for a substitute, nor the message accepted).
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { Payload } from "../crypto/payload.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import type { Receipts } from "./receipts.ts";
import { canSeal } from "./channel_state.ts";
import { sendRefusal } from "./file_refusal.ts";
import type { Known } from "./resent.ts";
import type { StoredConversation } from "./storage.ts";

const SUBSTITUTE = "chat.problem_substitute";

/** The parts these steps use. */
export interface SeenParts {
  state: ClientState;
  receipts: Receipts;
  courier: Courier;
}

/**
 * Whether a message is new. A known ID with the same body is a resend
 * whose receipt was lost: acknowledged again, shown once ("done"). With
 * another body it may be the same message sealed again after a session
 * reset, to open and compare; so is any known message (but a reset offer)
 * while no session can seal: the tab closed after storing the first message
 * of a handshake and before saving the session it sets up. An ID of this
 * browser's own is the relay's doing. A refusal said again is sealed here,
 * in the queue: two replays never seal with one message number.
 */
export async function checkSeen(
  parts: SeenParts,
  id: string,
  bodyHash: string,
): Promise<"new" | "done" | Known> {
  const { state, receipts } = parts;
  const existing = state.find(id);
  if (existing !== undefined) {
    if (existing.direction === "out") {
      state.report("message", t("chat.problem_sent_back"));
    } else if (!canSeal(state.conversation) && existing.kind !== "reset") {
      return existing;
    } else if (existing.bodyHash === undefined || existing.bodyHash === bodyHash) {
      if (existing.status === "refused") {
        // The refusal went missing: say it again.
        await sendRefusal(state, parts.courier, id, existing.refusal ?? "too_large", {
          again: true,
        });
      } else if (existing.status !== "receiving") receipts.again(id);
    } else {
      return existing;
    }
    return "done";
  }
  const gone = state.conversation.gone?.find((g) => g.id === id);
  if (gone === undefined) return "new";
  // It disappeared here already; its sender missed the receipt.
  if (gone.bodyHash !== bodyHash) return gone;
  receipts.again(id);
  return "done";
}

/**
 * A known message under a new body: kept (and acknowledged) only when its
 * payload is the one already received, as after a session reset; then the
 * new body is what a resend of it will carry.
 */
export async function takeResealed(
  parts: SeenParts,
  known: Known,
  conversation: StoredConversation,
  payload: Payload,
  hashes: { bodyHash: string; payloadHash: string },
): Promise<void> {
  const { state, receipts } = parts;
  if (!samePayload(known, payload, hashes.payloadHash)) {
    return state.report("message", t(SUBSTITUTE));
  }
  if ("direction" in known) {
    await state.save(conversation);
    await state.update(known, hashes);
    // A refused file is refused again: a receipt would have it delivered.
    if (known.status === "refused") {
      await sendRefusal(state, parts.courier, known.id, known.refusal ?? "too_large");
    } else if (known.status !== "receiving") receipts.add(known.id);
  } else {
    const gone = (conversation.gone ?? []).map((g) => g.id === known.id ? { ...g, ...hashes } : g);
    await state.save({ ...conversation, gone });
    receipts.add(known.id);
  }
}

/**
 * Whether `payload` is the one `known` was received as: by hash, or for a
 * message stored before payload hashes were kept, by what it shows.
 */
export function samePayload(known: Known, payload: Payload, payloadHash: string): boolean {
  if (known.payloadHash !== undefined) return known.payloadHash === payloadHash;
  if (!("direction" in known) || known.kind !== payload.type) return false;
  if (known.sentAt !== payload.sentAt) return false;
  switch (payload.type) {
    case "text":
      return known.text === payload.text;
    case "timer":
      return known.timer === payload.seconds;
    case "file":
      return known.file?.sha256 === payload.sha256 && known.file.size === payload.size &&
        known.file.name === payload.name;
    default:
      return payload.type === "hello";
  }
}
