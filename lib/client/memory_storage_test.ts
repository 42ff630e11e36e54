// MemoryStorage keeps the promises IdbStorage keeps, so Deno tests of the
// client meet the same refusals as a browser: nothing of a conversation is
// written once its record is deleted.
import assert from "node:assert/strict";
import { MemoryStorage } from "./memory_storage.ts";
import { ConversationGoneError, type StoredConversation, type StoredMessage } from "./storage.ts";

const CONVERSATION_ID = "01JGZ0000000000000000000C2";
const MESSAGE_ID = "01JGZ000000000000000000100";
const FILE_ID = "01JGZ000000000000000000101";

function conversation(writer?: string): StoredConversation {
  // Only the fields storage itself reads; the rest is opaque to it.
  return { id: CONVERSATION_ID, protocol: 3, writer } as unknown as StoredConversation;
}

function message(id = MESSAGE_ID): StoredMessage {
  return {
    conversationId: CONVERSATION_ID,
    id,
    direction: "in",
    kind: "text",
    text: "plaintext that must not come back",
  } as unknown as StoredMessage;
}

/** Everything the storage holds of the conversation. */
async function leftovers(storage: MemoryStorage) {
  return {
    conversation: await storage.getConversation(CONVERSATION_ID),
    messages: await storage.listMessages(CONVERSATION_ID),
    file: await storage.getFile(CONVERSATION_ID, FILE_ID),
    chunks: await storage.countChunks(CONVERSATION_ID, FILE_ID),
  };
}

const NOTHING = { conversation: undefined, messages: [], file: undefined, chunks: 0 };

Deno.test("memory storage: a message, file or chunk written after the conversation was deleted in settings is refused and leaves nothing", async () => {
  const storage = new MemoryStorage();
  await storage.putConversation(conversation());
  await storage.claimConversation(CONVERSATION_ID, "tab-1");
  await storage.putMessage(message());
  await storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1));
  await storage.deleteConversation(CONVERSATION_ID);

  await assert.rejects(() => storage.putMessage(message("01JGZ000000000000000000102")), {
    name: "ConversationGoneError",
    message: `Cannot save to conversation "${CONVERSATION_ID}": it was deleted from this browser`,
  });
  await assert.rejects(
    () => storage.putFile(CONVERSATION_ID, FILE_ID, new Blob(["file"])),
    ConversationGoneError,
  );
  await assert.rejects(
    () => storage.putChunk(CONVERSATION_ID, FILE_ID, 1, Uint8Array.of(2)),
    ConversationGoneError,
  );
  assert.deepEqual(await leftovers(storage), NOTHING);
});

Deno.test("memory storage: a stale tab's save cannot re-create a conversation deleted in settings", async () => {
  const storage = new MemoryStorage();
  await storage.putConversation(conversation());
  await storage.claimConversation(CONVERSATION_ID, "tab-1");
  await storage.deleteConversation(CONVERSATION_ID);
  await assert.rejects(
    () => storage.putConversation(conversation("tab-1"), { writer: "tab-1" }),
    ConversationGoneError,
  );
  assert.equal(await storage.claimConversation(CONVERSATION_ID, "tab-2"), undefined);
  assert.deepEqual(await leftovers(storage), NOTHING);
});

Deno.test("memory storage: the orphan sweep keeps the rows of kept conversations", async () => {
  const storage = new MemoryStorage();
  await storage.putConversation(conversation());
  await storage.putMessage(message());
  await storage.putFile(CONVERSATION_ID, FILE_ID, new Blob(["file"]));
  await storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1));
  await storage.sweepOrphans();
  const kept = await leftovers(storage);
  assert.equal(kept.messages.length, 1);
  assert.equal(await kept.file?.text(), "file");
  assert.equal(kept.chunks, 1);
});
