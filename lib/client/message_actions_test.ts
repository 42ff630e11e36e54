import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import {
  makeStoredPair,
  openAs,
  sealAs,
  type StoredSide,
} from "../../tests/fixtures/stored_pair.ts";
import type { Payload } from "../crypto/payload.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import { EDIT_WINDOW_MS } from "./action_state.ts";
import { viewOf } from "./client_view.ts";

type MessageFrame = Extract<ServerFrame, { type: "message" }>;
const SENT_AT = 1_700_000_000_000;

/** The creator's parts, online, and the joiner as a raw side that seals by hand. */
async function creatorOnline() {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  const socket = await parts.online();
  const receive = (frame: MessageFrame) => parts.state.serial(() => parts.inbox.receive(frame));
  /** The joiner seals `payload` and the relay hands it on. */
  const from = async (payload: Payload) => await receive(await sealAs(joiner, payload));
  return { parts, socket, joiner, receive, from };
}

/** Every payload the creator sent so far, opened by the joiner (receipts left out). */
async function sent(socket: FakeSocket, other: StoredSide, seen: Set<string>): Promise<Payload[]> {
  const result = [];
  for (const frame of socket.sends()) {
    if (seen.has(frame.id)) continue;
    seen.add(frame.id);
    const payload = await openAs(other, frame.body);
    if (payload.type !== "receipt") result.push(payload);
  }
  return result;
}

function problems(parts: ClientParts): string[] {
  return parts.state.problems.map((p) => p.message);
}

function editPayload(id: string, target: string, body: string, expiresIn = 0): Payload {
  return { v: 2, type: "edit", id, target, text: body, sentAt: SENT_AT, expiresIn };
}

function text(id: string, body: string, expiresIn = 0): Payload {
  return { v: 2, type: "text", id, text: body, sentAt: SENT_AT, expiresIn };
}

Deno.test("a reaction applies here at once and goes sealed; one per person, replaced or taken back", async () => {
  const { parts, socket, joiner, from } = await creatorOnline();
  await using _ = parts;
  const seen = new Set<string>();
  const theirs = parts.state.ulid();
  await from(text(theirs, "Lunch?"));
  await parts.actions.react(theirs, "👍");
  await parts.actions.react(theirs, "❤️");
  await parts.settle();
  assert.equal(parts.state.find(theirs)?.reactions?.out?.emoji, "❤️");
  const out = await sent(socket, joiner, seen);
  assert.deepEqual(
    out.map((p) => p.type === "reaction" && [p.target, p.emoji]),
    [[theirs, "👍"], [theirs, "❤️"]],
  );
  await parts.actions.react(theirs, "");
  await parts.settle();
  assert.equal(parts.state.find(theirs)?.reactions?.out?.emoji, "");
  // The hidden rows that carried them are never shown.
  assert.deepEqual(viewOf(parts).messages.map((m) => m.id), [theirs]);
  await assert.rejects(() => parts.actions.react(theirs, "🔥"), {
    name: "RangeError",
    message: /^Cannot react with "🔥": expected one of 👍/,
  });
});

Deno.test("the other person's reaction shows; an older one arriving late changes nothing", async () => {
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  const mine = message(parts.side, parts.state.ulid(), { direction: "out", status: "delivered" });
  await parts.state.serial(() => parts.state.append(mine));
  const older = parts.state.ulid();
  const newer = parts.state.ulid();
  await from({ v: 2, type: "reaction", id: newer, target: mine.id, emoji: "😂", sentAt: SENT_AT });
  await from({ v: 2, type: "reaction", id: older, target: mine.id, emoji: "😢", sentAt: SENT_AT });
  assert.deepEqual(parts.state.find(mine.id)?.reactions, { in: { emoji: "😂", id: newer } });
  assert.deepEqual(problems(parts), []);
});

Deno.test("a reaction, edit or delete naming a message that is not a text or file is a problem and changes nothing", async () => {
  const { parts, socket, from } = await creatorOnline();
  await using _ = parts;
  const notice = parts.state.ulid();
  await from({ v: 2, type: "timer", id: notice, seconds: 300, sentAt: SENT_AT });
  const before = viewOf(parts).messages;
  const sends = socket.sends().length;
  await from({
    v: 2,
    type: "reaction",
    id: parts.state.ulid(),
    target: notice,
    emoji: "👍",
    sentAt: SENT_AT,
  });
  await from(editPayload(parts.state.ulid(), notice, "x"));
  await from({ v: 2, type: "delete", id: parts.state.ulid(), target: notice, sentAt: SENT_AT });
  assert.deepEqual(problems(parts), [
    "A reaction referred to a message that is not in this conversation; ignored",
    "An edit referred to a message that is not in this conversation; ignored",
    "A deletion referred to a message that is not in this conversation; ignored",
  ]);
  assert.deepEqual(viewOf(parts).messages, before);
  // Acknowledged all the same, so its sender stops resending it.
  assert.ok(socket.sends().length > sends);
});

Deno.test("a reaction, edit or delete naming a message not here (yet) waits for it without a warning, and shows nothing", async () => {
  const { parts, socket, from } = await creatorOnline();
  await using _ = parts;
  const nowhere = parts.state.ulid();
  await from({
    v: 2,
    type: "reaction",
    id: parts.state.ulid(),
    target: nowhere,
    emoji: "👍",
    sentAt: SENT_AT,
  });
  await from(editPayload(parts.state.ulid(), nowhere, "x"));
  await from({ v: 2, type: "delete", id: parts.state.ulid(), target: nowhere, sentAt: SENT_AT });
  assert.deepEqual(problems(parts), []);
  assert.deepEqual(viewOf(parts).messages, []);
  assert.equal(parts.state.messages.filter((m) => m.kind === "action").length, 3, "kept for it");
  // Acknowledged, so its sender stops resending it.
  assert.ok(socket.sends().length >= 1);
});

Deno.test("an edit or delete for both of a message this browser wrote is refused", async () => {
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  const mine = message(parts.side, parts.state.ulid(), {
    direction: "out",
    status: "delivered",
    text: "my words",
  });
  await parts.state.serial(() => parts.state.append(mine));
  await from(editPayload(parts.state.ulid(), mine.id, "theirs"));
  await from({ v: 2, type: "delete", id: parts.state.ulid(), target: mine.id, sentAt: SENT_AT });
  assert.deepEqual(problems(parts), [
    "An edit tried to change a message you wrote; ignored",
    "A deletion tried to change a message you wrote; ignored",
  ]);
  const kept = parts.state.find(mine.id);
  assert.equal(kept?.text, "my words");
  assert.equal(kept?.deleted, undefined);
});

Deno.test("an edit within the edit window shows as edited; after it, it is refused", async () => {
  using clock = new ManualClock();
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  await from(text(theirs, "See you at 6"));
  clock.advance(EDIT_WINDOW_MS - 1);
  const edit = parts.state.ulid();
  await from(editPayload(edit, theirs, "See you at 7"));
  const edited = parts.state.find(theirs);
  assert.equal(edited?.text, "See you at 7");
  assert.equal(edited?.edited?.id, edit);
  clock.advance(2);
  await from(editPayload(parts.state.ulid(), theirs, "at 8"));
  assert.equal(parts.state.find(theirs)?.text, "See you at 7");
  assert.deepEqual(problems(parts), ["An edit arrived after the 15-minute edit window; ignored"]);
});

Deno.test("a replayed edit or reaction is applied once, and acknowledged again", async () => {
  using clock = new ManualClock();
  const { parts, joiner, receive, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  await from(text(theirs, "v1"));
  const first = await sealAs(joiner, editPayload(parts.state.ulid(), theirs, "v2"));
  await receive(first);
  await from(editPayload(parts.state.ulid(), theirs, "v3"));
  clock.advance(1000);
  await receive(first);
  assert.equal(parts.state.find(theirs)?.text, "v3");
  assert.deepEqual(problems(parts), []);
});

Deno.test("a delete for both from the writer removes text and file data and shows message deleted", async () => {
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  const file = message(parts.side, parts.state.ulid(), {
    kind: "file",
    text: "",
    file: { name: "a.txt", mime: "text/plain", size: 2, sha256: "x", chunks: 1, received: 1 },
  });
  await parts.state.serial(async () => {
    await parts.state.insert(file);
    await parts.state.storage.putFile(file.conversationId, file.id, new Blob(["hi"]));
  });
  await from({ v: 2, type: "delete", id: parts.state.ulid(), target: file.id, sentAt: SENT_AT });
  const shown = viewOf(parts).messages.find((m) => m.id === file.id);
  assert.equal(shown?.deleted, "both");
  assert.equal(shown?.file, null);
  assert.equal(await parts.state.storage.getFile(file.conversationId, file.id), undefined);
  assert.equal((await parts.stored(file.id))?.deleted, "both");
  assert.deepEqual(problems(parts), []);
});

Deno.test("this browser's delete for both is sent; delete for me stays here and sends nothing", async () => {
  const { parts, socket, joiner, from } = await creatorOnline();
  await using _ = parts;
  const seen = new Set<string>();
  const theirs = parts.state.ulid();
  await from(text(theirs, "secret"));
  const mine = await parts.state.serial(async () => {
    const m = message(parts.side, parts.state.ulid(), {
      direction: "out",
      status: "delivered",
      envelope: "sealed-before",
    });
    await parts.state.append(m);
    return m;
  });
  await sent(socket, joiner, seen);
  await parts.actions.deleteForMe(theirs);
  await parts.settle();
  assert.deepEqual(await sent(socket, joiner, seen), []);
  assert.equal((await parts.stored(theirs))?.text, "");
  assert.deepEqual(viewOf(parts).messages.map((m) => m.id), [mine.id]);
  await parts.actions.deleteForBoth(mine.id);
  await parts.settle();
  const out = await sent(socket, joiner, seen);
  assert.deepEqual(out.map((p) => p.type === "delete" && p.target), [mine.id]);
  assert.equal(parts.state.find(mine.id)?.deleted, "both");
  await assert.rejects(() => parts.actions.deleteForBoth(theirs), /^Error: Cannot delete message/);
  // Refused before anything is queued: no problem blocks sending.
  assert.deepEqual(problems(parts), []);
});

Deno.test("a reply names the message it answers and is shown from the local copy", async () => {
  const { parts, socket, joiner, from } = await creatorOnline();
  await using _ = parts;
  const seen = new Set<string>();
  const theirs = parts.state.ulid();
  await from(text(theirs, "Which train?"));
  const reply = await parts.outbox.write(
    { kind: "text", text: "The 8:15", replyTo: theirs },
    parts.state.ulid(),
  );
  const out = await sent(socket, joiner, seen);
  assert.deepEqual(out.at(-1), {
    v: 2,
    type: "reply",
    id: reply.id,
    text: "The 8:15",
    replyTo: theirs,
    sentAt: reply.sentAt,
    expiresIn: 0,
  });
  const answer = parts.state.ulid();
  await from({
    v: 2,
    type: "reply",
    id: answer,
    text: "ok",
    replyTo: reply.id,
    sentAt: 1,
    expiresIn: 0,
  });
  const stored = parts.state.find(answer);
  assert.equal(stored?.kind, "text");
  assert.equal(stored?.replyTo, reply.id);
});

Deno.test("an edit of a disappearing message disappears with it", async () => {
  using clock = new ManualClock();
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  await from(text(theirs, "gone in 5 minutes", 300));
  const expiresAt = parts.state.find(theirs)?.expiresAt;
  await from(editPayload(parts.state.ulid(), theirs, "edited"));
  assert.equal(parts.state.find(theirs)?.expiresAt, expiresAt);
  clock.advance(300_000);
  await parts.state.serial(() => parts.expiry.removeExpired());
  // The message and the hidden edit row are both gone.
  assert.deepEqual(parts.state.messages.filter((m) => m.kind !== "hello"), []);
});

Deno.test("a message stored before actions existed reads as before and takes reactions", async () => {
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  // Exactly the fields an older version stored: none of the action fields.
  const old = message(parts.side, parts.state.ulid(), { text: "from last year" });
  await parts.state.serial(() => parts.state.insert(old));
  assert.deepEqual(viewOf(parts).messages, [old]);
  await from({
    v: 2,
    type: "reaction",
    id: parts.state.ulid(),
    target: old.id,
    emoji: "🙏",
    sentAt: 1,
  });
  assert.equal(parts.state.find(old.id)?.reactions?.in?.emoji, "🙏");
  // Without an arrival time there is no edit window to measure: refused.
  await from(editPayload(parts.state.ulid(), old.id, "x"));
  assert.equal(parts.state.find(old.id)?.text, "from last year");
});

Deno.test("deleting a message never sealed removes it and sends nothing, for me or for both", async () => {
  const { creator } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  await using _ = parts;
  // Offline: the messages wait unsealed.
  const first = await parts.outbox.write({ kind: "text", text: "draft one" }, parts.state.ulid());
  const second = await parts.outbox.write({ kind: "text", text: "draft two" }, parts.state.ulid());
  await parts.actions.deleteForBoth(first.id);
  await parts.actions.deleteForMe(second.id);
  assert.deepEqual(parts.state.messages.filter((m) => m.direction === "out"), []);
  assert.equal(await parts.stored(first.id), undefined);
  const socket = await parts.online();
  assert.deepEqual(socket.sends(), []);
});

Deno.test("a delete for both asked while its message waited unsealed still goes when the message was sealed first", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  await using _ = parts;
  // Offline: the message waits unsealed.
  const written = await parts.outbox.write({ kind: "text", text: "secret" }, parts.state.ulid());
  // The queue is busy (as while the code that seals is fetched) when the
  // other person comes online, so the flush that seals waits in it...
  const gate = Promise.withResolvers<void>();
  const held = parts.state.serial(() => gate.promise);
  const connecting = parts.online();
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
  // ...and the delete, asked now, sees the message unsealed and waits behind it.
  assert.equal(parts.state.find(written.id)?.envelope, null);
  const deleting = parts.actions.deleteForBoth(written.id);
  gate.resolve();
  await held;
  await deleting;
  const socket = await connecting;
  await parts.settle();
  const payloads = await sent(socket, joiner, new Set());
  assert.deepEqual(
    payloads.map((p) => p.type === "delete" ? `delete ${p.target}` : p.type),
    ["text", `delete ${written.id}`],
  );
  assert.equal(parts.state.find(written.id)?.deleted, "both");
});

Deno.test("edits and a reaction that arrive before their message apply when it comes, in the order written, and go with it", async () => {
  const { parts, joiner, receive, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  const held = await sealAs(joiner, text(theirs, "first version", 300));
  // The relay holds the message back and passes the edits and reaction that
  // followed it, the later edit first.
  const [edit1, edit2, reaction] = [parts.state.ulid(), parts.state.ulid(), parts.state.ulid()];
  await from(editPayload(edit2, theirs, "third"));
  await from(editPayload(edit1, theirs, "second"));
  await from({
    v: 2,
    type: "reaction",
    id: reaction,
    target: theirs,
    emoji: "👍",
    sentAt: SENT_AT,
  });
  assert.deepEqual(problems(parts), [], "no warning: their message may still come");
  await receive(held);
  const shown = parts.state.find(theirs)!;
  assert.equal(shown.text, "third", "the later edit wins");
  assert.equal(shown.edited?.id, edit2);
  assert.equal(shown.reactions?.in?.emoji, "👍");
  assert.deepEqual(problems(parts), []);
  // The rows keep no text once applied, and disappear with their message.
  for (const id of [edit1, edit2, reaction]) {
    const row = await parts.stored(id);
    assert.equal(row?.text, "", id);
    assert.equal(row?.expiresAt, shown.expiresAt, id);
  }
  assert.ok(shown.expiresAt !== null);
});

Deno.test("an early edit whose message never comes disappears by this side's timer, its text with it", async () => {
  const { parts, from } = await creatorOnline();
  await using _ = parts;
  await parts.state.save({ ...parts.state.conversation, timer: 300 });
  const edit = parts.state.ulid();
  const before = Date.now();
  await from(editPayload(edit, parts.state.ulid(), "x"));
  const row = (await parts.stored(edit))!;
  assert.equal(row.text, "x", "kept for its message");
  assert.ok(row.expiresAt !== null && row.expiresAt >= before + 300_000);
  assert.ok(row.expiresAt <= Date.now() + 300_000);
});

Deno.test("a delete for both that arrives before its message still deletes it when it comes", async () => {
  const { parts, joiner, receive, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  // The relay holds the message back and passes the delete that followed it.
  const held = await sealAs(joiner, text(theirs, "sent to the wrong person"));
  await from({ v: 2, type: "delete", id: parts.state.ulid(), target: theirs, sentAt: SENT_AT });
  assert.deepEqual(problems(parts), []);
  await receive(held);
  const shown = parts.state.find(theirs);
  assert.equal(shown?.deleted, "both");
  assert.equal(shown?.text, "");
  assert.equal((await parts.stored(theirs))?.text, "");
});

Deno.test("a message whose early edit needs code that cannot be fetched takes nothing, and gets the edit when it comes again", async () => {
  const { parts, joiner, receive, from } = await creatorOnline();
  await using _ = parts;
  const theirs = parts.state.ulid();
  const held = await sealAs(joiner, text(theirs, "first version"));
  const edit = parts.state.ulid();
  await from(editPayload(edit, theirs, "second"));
  parts.state.acknowledgeProblems();
  const { ratchet } = parts.state.conversation;
  const prepare = parts.actions.prepare;
  parts.actions.prepare = () => Promise.reject(new TypeError("Failed to fetch a module"));
  await receive(held).catch(() => {});
  assert.deepEqual(parts.state.conversation.ratchet, ratchet, "its message key is not used up");
  assert.equal(parts.state.find(theirs), undefined, "nothing stored");
  parts.actions.prepare = prepare;
  await receive(held);
  assert.equal(parts.state.find(theirs)?.text, "second");
  assert.equal(parts.state.find(theirs)?.edited?.id, edit);
});

Deno.test("an early edit is kept no longer than its message's own timer, even with this side's timer off", async () => {
  const { parts, joiner, from } = await creatorOnline();
  await using _ = parts;
  assert.equal(parts.state.conversation.timer, 0, "this side keeps messages");
  const theirs = parts.state.ulid();
  // The relay holds back the 5-minute message and passes its edit.
  await sealAs(joiner, text(theirs, "secret v1", 300));
  const edit = parts.state.ulid();
  const before = Date.now();
  await from(editPayload(edit, theirs, "secret v2", 300));
  const row = (await parts.stored(edit))!;
  assert.equal(row.text, "secret v2", "kept for its message");
  assert.ok(row.expiresAt !== null && row.expiresAt >= before + 300_000, "by the message's timer");
  assert.ok(row.expiresAt <= Date.now() + 300_000);
});

Deno.test("an edit tells the timer of the message it changes", async () => {
  const { parts, socket, joiner } = await creatorOnline();
  await using _ = parts;
  await parts.state.save({ ...parts.state.conversation, timer: 3600 });
  const mine = await parts.outbox.write({ kind: "text", text: "see you at 6" }, parts.state.ulid());
  await parts.state.save({ ...parts.state.conversation, timer: 0 });
  await parts.actions.edit(mine.id, "see you at 7");
  await parts.settle();
  const edit = (await sent(socket, joiner, new Set())).find((p) => p.type === "edit");
  assert.equal(edit?.type === "edit" && edit.expiresIn, 3600);
});

Deno.test("an early edit's text is not kept past an early delete of the same message, whichever came first; the message still shows deleted when it comes", async () => {
  const { parts, joiner, receive, from } = await creatorOnline();
  await using _ = parts;
  for (const deleteFirst of [false, true]) {
    const theirs = parts.state.ulid();
    const held = await sealAs(joiner, text(theirs, "first version"));
    const [edit, del] = [parts.state.ulid(), parts.state.ulid()];
    const editing = () => from(editPayload(edit, theirs, "the secret, edited"));
    const deleting = () => from({ v: 2, type: "delete", id: del, target: theirs, sentAt: SENT_AT });
    if (deleteFirst) {
      await deleting();
      await editing();
    } else {
      await editing();
      await deleting();
    }
    assert.deepEqual(problems(parts), []);
    assert.equal((await parts.stored(edit))?.text, "", `delete first: ${deleteFirst}`);
    assert.ok(!parts.state.messages.some((m) => m.text.includes("secret")));
    await receive(held);
    assert.equal(parts.state.find(theirs)?.deleted, "both");
    assert.equal((await parts.stored(theirs))?.text, "");
  }
});
