/**
 * The session reset: a fresh handshake between the same identities, which
 * either side starts when the session is broken (a chain gap past
 * `MAX_SKIP`, a restored older state whose messages the peer refuses as
 * already decrypted). The safety number stays: it depends on the identity
 * keys only.
 *
 * - **Start** ({@linkcode SessionReset.start}): this side makes fresh signed
 *   prekeys, drops its ratchet, and sends a reset offer (`reset_offer.ts`)
 *   signed by its identity key with the next generation number
 *   ({@linkcode nextGeneration}). The offer
 *   rides in an outgoing "reset" notice, resent like a message until the
 *   peer's receipt for it arrives under the new session.
 * - **Answer** ({@linkcode SessionReset.receive}): the peer verifies the
 *   offer against the pinned identity key, for this conversation and these
 *   two participants, and accepts only a generation above its session's
 *   (and above its own pending offer's; on a tie the participant whose ID
 *   sorts first wins). It runs the initiator's handshake, stores an
 *   incoming notice, acknowledges the offer under the new session and says
 *   hello; its messages carry the handshake until the offering side's
 *   receipt for one of them opens.
 * - Both sides then seal again, under the new session, every message they
 *   had sealed and the peer had not acknowledged; the receiver opens such a
 *   known ID and acknowledges it when the payload is the one it has.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { generatePrekeys } from "../crypto/prekeys.ts";
import {
  encodeResetOffer,
  parseResetOffer,
  type ResetOffer,
  signResetOffer,
  verifyResetOffer,
} from "../crypto/reset_offer.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import { NO_FLIGHT } from "./in_flight.ts";
import { isSettled, type Outbox } from "./outbox.ts";
import type { Receipts } from "./receipts.ts";
import { acceptReset } from "./secure_channel.ts";
import {
  type PendingReset,
  type StoredConversation,
  type StoredMessage,
  withMessageDefaults,
} from "./storage.ts";

/** The parts a reset works with. */
export interface SessionResetParts {
  state: ClientState;
  courier: Courier;
  outbox: Outbox;
  receipts: Receipts;
}

/**
 * Whether this side answered the peer's reset offer but its hello, which
 * tells the peer it holds the new session, is not waiting to go: a tab
 * closed between storing the offer's notice and adding the hello.
 */
function answerUnsaid(state: ClientState): boolean {
  const { handshake, generation, reset } = state.conversation;
  return handshake !== null && (generation ?? 0) > 0 && (reset ?? null) === null &&
    !state.messages.some((m) => m.direction === "out" && m.kind === "hello" && !isSettled(m));
}

/**
 * The generation of a new offer: the clock's seconds since the epoch, or one
 * more than this side's session or pending offer when that is higher. The
 * clock keeps it above the peer's even when this side's stored state came
 * back from a backup with an older number (clocks that disagree by a few
 * minutes delay that case by as much); the counter keeps it growing.
 */
export function nextGeneration(conversation: StoredConversation): number {
  const known = Math.max(conversation.generation ?? 0, conversation.reset?.generation ?? 0);
  return Math.max(known + 1, Math.floor(Date.now() / 1000));
}

/** Resets of one conversation's session, started here or by the peer. */
export class SessionReset {
  #parts: SessionResetParts;

  constructor(parts: SessionResetParts) {
    this.#parts = parts;
  }

  /** True while this side's offer waits for the peer's answer. */
  get pending(): boolean {
    return (this.#parts.state.conversation.reset ?? null) !== null;
  }

  /**
   * Starts a reset: new prekeys and an offer, sent when the peer is online;
   * the old session is dropped at once. Dismisses the message problems (the
   * reset is the answer to them). Throws before the peer joined, after the
   * end, or while the peer's keys are in doubt.
   */
  async start(): Promise<void> {
    const { state, courier, outbox } = this.#parts;
    const action = "Cannot reset the secure session";
    if (state.conversation.peer === null) throw new Error(`${action}: nobody has joined yet`);
    if (state.conversation.closed !== null) throw new Error(`${action}: the conversation ended`);
    if (state.problems.some((p) => p.kind === "keys")) {
      throw new Error(`${action}: the other person's keys cannot be trusted`);
    }
    await state.serial(async () => {
      const conversation = state.conversation;
      const peer = conversation.peer!;
      const generation = nextGeneration(conversation);
      const prekeys = await generatePrekeys(conversation.kemBackend);
      // The notice's ID is signed with the offer: the relay cannot move it.
      const id = state.ulid();
      const offer = await signResetOffer(conversation.signing.privateKey, {
        conversationId: conversation.id,
        from: conversation.participantId,
        to: peer.id,
        noticeId: id,
      }, { generation, spk: prekeys.spk.publicKey, pqspk: prekeys.pq.publicKey });
      const reset: PendingReset = {
        generation,
        id,
        body: encodeBase64Url(encodeResetOffer(offer)),
        spk: prekeys.spk,
        pq: { backend: prekeys.pq.backend, privateKey: prekeys.pq.privateKey },
      };
      // Saved first: a crash before the notice is stored leaves an offer
      // that resume() sends; never a notice without its keys.
      await state.save({
        ...conversation,
        ratchet: null,
        handshake: null,
        prekeys: null,
        reset,
        flight: NO_FLIGHT,
      });
      courier.restart();
      await this.#renew();
      await this.resume();
      state.acknowledgeProblems();
      await outbox.flush();
    });
  }

  /**
   * Stores the notice of this side's pending offer if a crash lost it, and
   * drops the notice of an offer it superseded if a crash kept it; or, when
   * this side answered the peer's offer and a crash lost the hello that
   * says so, marks what the old session sealed to seal again and says it
   * (call in the queue).
   */
  async resume(): Promise<void> {
    const { state } = this.#parts;
    const reset = state.conversation.reset ?? null;
    if (reset === null) {
      if (!answerUnsaid(state)) return;
      // The tab closed between saving the answered session and the hello,
      // maybe before what the old session sealed was marked to seal again:
      // marked now, before anything goes, since the offer that would mark
      // it may come again only after the handshake is over.
      await this.#renew();
      return await this.#hello();
    }
    await this.#dropSuperseded();
    if (state.find(reset.id) !== undefined) return;
    await state.append(withMessageDefaults({
      conversationId: state.conversation.id,
      id: reset.id,
      direction: "out",
      kind: "reset",
      text: "",
      sentAt: Date.now(),
      status: "pending",
      envelope: reset.body,
    }));
    state.changed();
  }

  /**
   * Takes a reset offer from the relay (a new frame ID). A malformed or
   * forged one, or one under another ID than its sender signed, is a
   * problem; a stale or replayed one (its generation is not above this
   * session's) changes nothing; a valid one replaces the session.
   */
  async receive(frame: Extract<ServerFrame, { type: "message" }>, bodyHash: string): Promise<void> {
    const { state, courier, receipts } = this.#parts;
    const conversation = state.conversation;
    const peer = conversation.peer!;
    let offer: ResetOffer;
    try {
      offer = parseResetOffer(decodeBase64Url(frame.body));
    } catch {
      return state.report("message", t("chat.problem_reset_malformed"));
    }
    const verified = await verifyResetOffer(offer, {
      conversationId: conversation.id,
      from: peer.id,
      to: conversation.participantId,
      // Signed by its sender: an offer relabelled with another message's
      // ID (to have that message acknowledged unseen) does not verify.
      noticeId: frame.id,
      signPublic: decodeBase64Url(peer.bundle.sign),
    });
    if (!verified) {
      return state.report("message", t("chat.problem_reset_unverified"));
    }
    const current = conversation.generation ?? 0;
    if (offer.generation <= current) {
      // Stale, unless it is the offer this side answered and a crash lost
      // the notice before it was stored: the answer is what the peer awaits,
      // and what was sealed under the old session may not be marked yet.
      const answered = offer.generation === current && conversation.handshake !== null;
      const noted = state.messages.some((m) => m.kind === "reset" && m.bodyHash === bodyHash);
      if (answered && !noted) {
        await this.#renew();
        await this.#answer(frame.id, bodyHash);
      } else if (offer.generation === current && !noted) {
        // The offer of this session, come again once the handshake is
        // over, when a crash lost its notice (or one that lost to this
        // side's own offer): acknowledged, so its sender stops sending
        // it, but not shown, since which it is cannot be told now.
        receipts.again(frame.id);
      }
      return;
    }
    const own = conversation.reset ?? null;
    if (
      own !== null &&
      (offer.generation < own.generation ||
        (offer.generation === own.generation && peer.id > conversation.participantId))
    ) return; // This side's offer wins; the peer takes it.
    await state.save(await acceptReset(conversation, offer));
    courier.restart();
    await this.#renew();
    await this.#answer(frame.id, bodyHash);
  }

  /**
   * Stores the notice of the peer's offer, acknowledges it and says hello
   * under the new session: the peer's receipt for the hello tells this
   * side that the peer holds the new session, and it stops sending the
   * handshake.
   */
  async #answer(id: string, bodyHash: string): Promise<void> {
    const { state, outbox, receipts } = this.#parts;
    const conversationId = state.conversation.id;
    const fields = { conversationId, text: "", sentAt: Date.now() };
    await state.insert(withMessageDefaults({
      ...fields,
      id,
      direction: "in",
      kind: "reset",
      status: "received",
      envelope: null,
      bodyHash,
    }));
    // Not twice: a tab closed after the new session was saved may have said it.
    if (answerUnsaid(state)) await this.#hello();
    receipts.add(id);
    outbox.resendAll();
  }

  /** Says hello under the new session: the peer's first message ends the handshake. */
  async #hello(): Promise<void> {
    const { state } = this.#parts;
    await state.append(withMessageDefaults({
      conversationId: state.conversation.id,
      id: state.ulid(),
      direction: "out",
      kind: "hello",
      text: "",
      sentAt: Date.now(),
      status: "pending",
      envelope: null,
    }));
    state.changed();
  }

  /**
   * After a new session: drops the notices of this side's offers that it
   * superseded or lost (every one, should a crash have kept an older one),
   * and marks every outgoing message the peer has not acknowledged to be
   * sealed again.
   */
  async #renew(): Promise<void> {
    const { state, outbox } = this.#parts;
    await this.#dropSuperseded();
    const unacknowledged = state.messages.filter((m: StoredMessage) =>
      m.direction === "out" && m.kind !== "reset" && m.envelope !== null &&
      !isSettled(m)
    );
    for (const message of unacknowledged) await state.update(message, { envelope: null });
    outbox.resendAll();
  }

  /** Drops the notices of this side's offers, but the pending one, that the peer never acknowledged. */
  async #dropSuperseded(): Promise<void> {
    const { state } = this.#parts;
    const pending = state.conversation.reset?.id;
    const superseded = state.messages.filter((m: StoredMessage) =>
      m.direction === "out" && m.kind === "reset" && m.id !== pending && !isSettled(m)
    );
    if (superseded.length > 0) await state.remove(superseded);
  }
}
