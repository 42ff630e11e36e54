/**
 * Message actions: reactions, edits and deletes, sent and received. Each
 * one this browser makes applies here at once and goes to the other person
 * as a hidden "action" row of the outbox (sealed, padded, resent until
 * acknowledged, like any message). Each one the inbox receives is checked
 * against the rules of `action_state.ts` before it changes anything, kept
 * as a hidden row (so a resend or a replay is known by its ID) and
 * acknowledged, applied or not. Replies are plain texts with a `replyTo`:
 * the outbox and inbox carry them.
 *
 * @module
 */
import { MAX_TEXT_BYTES } from "../crypto/payload_limits.ts";
import { REACTION_EMOJI } from "../crypto/payload_actions.ts";
import { actionPayloadOf, type ChangePayload, isTheirActionOn } from "./action_state.ts";
import { canEdit, changesOf, deletedChanges, refusalOf } from "./action_rules.ts";
import type { ClientState } from "./client_state.ts";
import { stricterTimer } from "./expiry.ts";
import type { Outbox } from "./outbox.ts";
import type { Receipts } from "./receipts.ts";
import { type StoredConversation, type StoredMessage, withMessageDefaults } from "./storage.ts";

/** The parts message actions work with. */
export interface ActionParts {
  state: ClientState;
  outbox: Outbox;
  receipts: Receipts;
}

/** Reactions, edits and deletes of one conversation. */
export class MessageActions {
  #parts: ActionParts;

  constructor(parts: ActionParts) {
    this.#parts = parts;
  }

  /** Reacts to a message of either person; "" takes this person's reaction back. */
  async react(target: string, emoji: string): Promise<void> {
    if (emoji !== "" && !REACTION_EMOJI.includes(emoji)) {
      throw new RangeError(
        `Cannot react with "${emoji}": expected one of ${REACTION_EMOJI.join(" ")}`,
      );
    }
    await this.#send({ type: "reaction", target, emoji }, "react to", (m) => m.kind !== "action");
  }

  /** Replaces the text of one of this person's texts, within the edit window. */
  async edit(target: string, text: string): Promise<void> {
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      throw new RangeError(`Cannot edit message: longer than ${MAX_TEXT_BYTES} bytes`);
    }
    // A message's timer never changes; #send checks the message is there.
    const expiresIn = this.#parts.state.find(target)?.expiresIn ?? 0;
    await this.#send({ type: "edit", target, text, expiresIn }, "edit", (m) => canEdit(m));
  }

  /** Deletes one of this person's messages on both sides ("message deleted"). */
  async deleteForBoth(target: string): Promise<void> {
    const { state } = this.#parts;
    const message = state.find(target);
    if (message?.direction === "out" && message.envelope === null) {
      // Never sealed, so never seen by the other person: gone without a
      // word. Decided in the queue, where a flush ahead of this may have
      // sealed and sent it meanwhile: then the delete goes too.
      const removed = await state.serial(async () => {
        const current = state.find(target);
        if (current === undefined) return true;
        if (current.envelope !== null) return false;
        await state.remove([current, ...this.#rowsFor(target)]);
        return true;
      });
      if (removed) return;
    }
    await this.#send({ type: "delete", target }, "delete", (m) => m.direction === "out");
  }

  /** Removes a message from this browser only; the other person keeps theirs. */
  async deleteForMe(target: string): Promise<void> {
    const { state, receipts } = this.#parts;
    // Checked before the queue: an error thrown in it would show as a problem.
    if (state.find(target)?.kind === undefined) {
      throw new Error(`Cannot delete message "${target}": not in this conversation`);
    }
    await state.serial(async () => {
      const message = state.find(target);
      if (message === undefined || message.deleted === "me") return;
      if (message.direction === "out" && message.envelope === null) {
        // Never sealed: it is not sent at all.
        return await state.remove([message, ...this.#rowsFor(target)]);
      }
      await state.storage.deleteMessage(state.conversation.id, target);
      const receiving = message.status === "receiving";
      await state.update(message, {
        ...deletedChanges(),
        deleted: "me",
        ...(receiving ? { status: "received" } : {}),
      });
      // A file still arriving is acknowledged, so its sender stops sending it.
      if (receiving) receipts.add(target);
    });
  }

  /**
   * Takes a reaction, edit or delete from the other person, opened from
   * frame `id`; stores it as a hidden row with `conversation` (the ratchet
   * moved on) and acknowledges it. A refused one becomes a problem; one
   * whose message is not here yet waits for it quietly.
   */
  async receive(
    id: string,
    conversation: StoredConversation,
    payload: ChangePayload,
    hashes: { bodyHash: string; payloadHash: string },
  ): Promise<void> {
    const { state, receipts } = this.#parts;
    const now = Date.now();
    const target = state.find(payload.target);
    // Disappeared here already (or never to be shown): nothing to change.
    const gone = target === undefined &&
      (state.conversation.gone ?? []).some((g) => g.id === payload.target);
    // Before its message (held back by the relay, or lost and resent): kept
    // without a word, and checked when its message comes (see `early`).
    const early = target === undefined && !gone;
    // A delete for both supersedes every edit of its message (written before
    // it, or doing nothing after it): an early edit's text is not kept past
    // an early delete, in case the message never comes (its writer deleted it).
    const before = early ? state.messages.filter((m) => isTheirActionOn(m, payload.target)) : [];
    const deletedFirst = before.some((m) => m.action?.type === "delete");
    if (early && payload.type === "delete") {
      for (const row of before) {
        if (row.action?.type === "edit" && row.text !== "") await state.update(row, { text: "" });
      }
    }
    // Applied before a tab closed and come again (see below): not refused late.
    const applied = target?.edited?.id === payload.id || target?.reactions?.in?.id === payload.id;
    const refusal = target === undefined || applied ? null : refusalOf(payload, target, now);
    // An early one goes with its message, or if that never comes by the
    // stricter of this side's timer and, for an edit, the message's own.
    const timer = stricterTimer(
      payload.type === "edit" ? payload.expiresIn : 0,
      state.conversation.timer,
    );
    // Applied before its row is stored: a tab closed in between leaves the
    // action to come again (a change that applied once changes nothing
    // then), never a row known by its ID whose change is lost.
    const changes = refusal === null && target !== undefined
      ? changesOf(target, payload, "in", now)
      : null;
    if (changes !== null) await this.#apply(target!, changes);
    await state.insert(withMessageDefaults({
      conversationId: state.conversation.id,
      id,
      direction: "in",
      kind: "action",
      // An early edit keeps its text until its message arrives, then drops it.
      text: early && payload.type === "edit" && !deletedFirst ? payload.text : "",
      sentAt: payload.sentAt,
      // Never counted as unread, never read-receipted.
      status: "read",
      envelope: null,
      expiresIn: payload.type === "edit" ? payload.expiresIn : 0,
      expiresAt: target?.expiresAt ?? (early && timer > 0 ? now + timer * 1000 : null),
      receivedAt: now,
      action: storedAction(payload),
      ...hashes,
    }));
    await state.save(conversation);
    receipts.add(id);
    if (refusal !== null) state.report("message", refusal);
  }

  /**
   * A message from the other person about to be stored, as it is to be
   * stored: the reactions, edits and deletes of it that came first (the
   * relay held the message back, or it was resent after a lost receipt)
   * apply to it, in the order they were written, under the same rules as on
   * arrival; so a held-back message shows as its writer left it, never in
   * full after they deleted it, even if the tab closes once it is stored.
   */
  early(message: StoredMessage): StoredMessage {
    const { state } = this.#parts;
    let current = message;
    for (const row of this.#early(message)) {
      const payload = actionPayloadOf(row) as ChangePayload;
      const now = Date.now();
      const refusal = refusalOf(payload, current, now);
      const changes = refusal === null ? changesOf(current, payload, "in", now) : null;
      if (refusal !== null) state.report("message", refusal);
      else if (changes !== null) {
        // A file deleted while announced is acknowledged with its message.
        const whole = changes.deleted === "both" && current.status === "receiving";
        current = { ...current, ...changes, ...(whole ? { status: "received" } : {}) };
      }
    }
    return current;
  }

  /**
   * A message just stored from the other person, its early actions applied
   * (see {@linkcode early}): their rows then go with the message, and an
   * edit's text is dropped.
   */
  async arrived(message: StoredMessage): Promise<void> {
    for (const row of this.#early(message)) {
      await this.#parts.state.update(row, { text: "", expiresAt: message.expiresAt });
    }
  }

  /** The other person's actions on incoming `message` that came before it, oldest first. */
  #early(message: StoredMessage): StoredMessage[] {
    if (message.direction !== "in") return [];
    return this.#parts.state.messages.filter((m) => isTheirActionOn(m, message.id))
      .sort((a, b) => a.id < b.id ? -1 : 1);
  }

  /** Applies an action of this person's here, then hands it to the outbox. */
  async #send(
    fields: DistributiveOmit<ChangePayload, "v" | "id" | "sentAt">,
    verb: string,
    allowed: (m: StoredMessage) => boolean,
  ): Promise<void> {
    const { state, outbox } = this.#parts;
    const id = state.ulid();
    const payload = { ...fields, v: 2, id, sentAt: Date.now() } as ChangePayload;
    const usable = () => {
      const message = visible(state.find(payload.target));
      return message !== undefined && allowed(message) ? message : undefined;
    };
    // Checked before the queue (an error thrown in it would show as a
    // problem), and again in it, where a change in between drops it.
    if (usable() === undefined) {
      throw new Error(`Cannot ${verb} message "${payload.target}": not allowed for this message`);
    }
    const target = await state.serial(async () => {
      const message = usable();
      if (message === undefined) return undefined;
      const changes = changesOf(message, payload, "out", Date.now());
      if (changes !== null) await this.#apply(message, changes);
      return message;
    });
    if (target === undefined) return;
    await outbox.write({
      kind: "action",
      text: payload.type === "edit" ? payload.text : "",
      action: storedAction(payload),
      // Goes when the message it changes goes; an edit tells that message's timer.
      expiresIn: payload.type === "edit" ? payload.expiresIn : 0,
      expiresAt: target.expiresAt,
    }, id);
  }

  /** Stores the changes to a message; a delete also drops its file and pending edits. */
  async #apply(message: StoredMessage, changes: Partial<StoredMessage>): Promise<void> {
    const { state, receipts } = this.#parts;
    if (changes.deleted !== "both") return await state.update(message, changes);
    await state.storage.deleteMessage(state.conversation.id, message.id);
    const receiving = message.status === "receiving";
    await state.update(message, { ...changes, ...(receiving ? { status: "received" } : {}) });
    if (receiving) receipts.add(message.id);
    for (const row of this.#rowsFor(message.id)) {
      // Edits already sealed need their text no more; unsealed ones are not sent.
      if (row.action?.type !== "edit") continue;
      if (row.envelope === null) await state.remove([row]);
      else await state.update(row, { text: "" });
    }
  }

  /** This browser's action rows that change message `target`. */
  #rowsFor(target: string): StoredMessage[] {
    return this.#parts.state.messages.filter((m) =>
      m.kind === "action" && m.direction === "out" && m.action?.target === target
    );
  }
}

/** A message shown in the history, or undefined. */
function visible(message: StoredMessage | undefined): StoredMessage | undefined {
  if (message === undefined || message.deleted !== undefined) return undefined;
  return message.kind === "text" || message.kind === "file" ? message : undefined;
}

function storedAction(payload: ChangePayload): NonNullable<StoredMessage["action"]> {
  return payload.type === "reaction"
    ? { type: "reaction", target: payload.target, emoji: payload.emoji }
    : { type: payload.type, target: payload.target };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
