import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { CancelPayload, ChunkPayload } from "../crypto/payload.ts";
import { describeFile } from "./file_info.ts";
import type { StoredMessage } from "./storage.ts";

const BYTES = new Uint8Array(100_000).fill(3);

/** The creator's parts, online, receiving a 3-chunk file from the joiner, one chunk in. */
async function receiving() {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  const socket = await parts.online();
  const info = await describeFile(new Blob([BYTES]), "report.pdf", 1024 * 1024);
  const id = parts.state.ulid();
  await parts.state.insert(
    message(creator, id, { kind: "file", text: "", status: "receiving", file: info }),
  );
  assert.equal(await parts.files.store(chunk(id, 0)), true);
  return { parts, socket, joiner, id };
}

function chunk(file: string, index: number): ChunkPayload {
  const data = encodeBase64Url(BYTES.subarray(index * 49152, (index + 1) * 49152));
  return { v: 2, type: "chunk", id: "01J0000000000000000000000Z", file, index, data, sentAt: 1 };
}

function cancelOf(file: string): CancelPayload {
  return { v: 2, type: "cancel", id: "01J0000000000000000000001Z", file, sentAt: 1 };
}

Deno.test("the other person's cancel is honoured only for a file still on its way, in either direction", async () => {
  const { parts, id } = await receiving();
  await using _ = parts;
  const text = message(parts.side, parts.state.ulid());
  await parts.state.insert(text);
  const done = message(parts.side, parts.state.ulid(), {
    kind: "file",
    status: "received",
    file: { ...parts.state.find(id)!.file! },
  });
  await parts.state.insert(done);
  const cancels = parts.files.cancels;
  // Not a file, no such message, a file already whole: nothing changes.
  assert.equal(await cancels.receive(cancelOf(text.id)), false);
  assert.equal(await cancels.receive(cancelOf(parts.state.ulid())), false);
  assert.equal(await cancels.receive(cancelOf(done.id)), false);
  assert.equal(parts.state.find(done.id)!.file!.cancelled, undefined);
  // An outgoing file is the other person's to cancel only once it was sent to them.
  const pending = await outgoing(parts, "pending");
  const sent = await outgoing(parts, "sent");
  const read = await outgoing(parts, "read");
  assert.equal(await cancels.receive(cancelOf(pending.id)), false);
  assert.equal(await cancels.receive(cancelOf(read.id)), false);
  assert.equal(await cancels.receive(cancelOf(sent.id)), true);
  assert.equal(parts.state.find(sent.id)!.file!.cancelled, "peer");
  // The file on its way here: cancelled, its chunk thrown away (in memory
  // too), later chunks refused.
  assert.equal(parts.files.inMemory, 1);
  assert.equal(await cancels.receive(cancelOf(id)), true);
  assert.equal(parts.files.inMemory, 0);
  assert.equal(parts.state.find(id)!.file!.cancelled, "peer");
  const conversationId = parts.state.conversation.id;
  assert.equal(await parts.side.storage.countChunks(conversationId, id), 0);
  assert.equal(await parts.files.store(chunk(id, 1)), false);
  // Once is enough: the same cancel again changes nothing.
  assert.equal(await cancels.receive(cancelOf(id)), false);
});

async function outgoing(parts: ClientParts, status: StoredMessage["status"]) {
  const info = await describeFile(new Blob([BYTES]), "out.bin", 1024 * 1024);
  const sent = message(parts.side, parts.state.ulid(), {
    direction: "out",
    kind: "file",
    text: "",
    status,
    file: info,
  });
  await parts.state.append(sent);
  return sent;
}

Deno.test("cancelling a file on its way here throws its chunks away, acknowledges it and tells the sender until a receipt comes", async () => {
  const { parts, socket, joiner, id } = await receiving();
  await using _ = parts;
  assert.equal(await parts.state.serial(() => parts.files.cancels.cancel(id)), true);
  assert.equal(await parts.state.serial(() => parts.files.cancels.cancel(id)), false);
  const file = parts.state.find(id)!.file!;
  assert.equal(file.cancelled, "me");
  assert.equal(file.told, false);
  const conversationId = parts.state.conversation.id;
  assert.equal(await parts.side.storage.countChunks(conversationId, id), 0);
  assert.equal(await parts.files.store(chunk(id, 1)), false);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await parts.settle();
  const payloads = [];
  for (const frame of socket.sends()) payloads.push(await openAs(joiner, frame.body));
  const cancel = payloads.find((p) => p.type === "cancel");
  assert.ok(cancel?.type === "cancel" && cancel.file === id, "a cancel naming the file");
  assert.ok(
    payloads.some((p) => p.type === "receipt" && p.ids.includes(id)),
    "the file is acknowledged, so its sender stops offering it",
  );
  // The sender's receipt for the cancel: it is told, and not sent again.
  socket.deliver(
    await sealAs(joiner, {
      v: 2,
      type: "receipt",
      id: "01J0000000000000000000002Z",
      ids: [cancel.id],
      sentAt: 1,
    }),
  );
  await parts.settle();
  assert.equal(parts.state.find(id)!.file!.told, true);
});

Deno.test("cancelling a file on its way here lets go of its bytes in memory and its kept chunks", async () => {
  const { parts, id } = await receiving();
  await using _ = parts;
  assert.equal(parts.files.inMemory, 1);
  assert.equal(await parts.files.cancels.cancel(id), true);
  assert.equal(parts.state.find(id)!.file!.cancelled, "me");
  assert.equal(parts.files.inMemory, 0);
  assert.equal(await parts.side.storage.countChunks(parts.state.conversation.id, id), 0);
  assert.equal(await parts.files.store(chunk(id, 1)), false);
  assert.equal(parts.files.inMemory, 0);
});

Deno.test("a cancel that comes while the file code cannot be fetched takes nothing, and is honoured when it comes again", async () => {
  const { parts, joiner, id } = await receiving();
  await using _ = parts;
  const frame = await sealAs(joiner, cancelOf(id));
  const { ratchet } = parts.state.conversation;
  const load = parts.files.load;
  parts.files.load = () => Promise.reject(new TypeError("Failed to fetch a module"));
  await parts.state.serial(() => parts.inbox.receive(frame)).catch(() => {});
  assert.deepEqual(parts.state.conversation.ratchet, ratchet, "its message key is not used up");
  assert.equal(parts.state.find(id)!.file!.cancelled, undefined);
  parts.files.load = load;
  await parts.state.serial(() => parts.inbox.receive(frame));
  assert.equal(parts.state.find(id)!.file!.cancelled, "peer");
});
