/**
 * A conversation deleted in Settings while a client still has it open: the
 * real client and server, the client's storage deleted under it as the
 * settings page (another tab) deletes it. Nothing that arrives afterwards
 * is stored, shown or acknowledged.
 */
import assert from "node:assert/strict";
import { ConversationClient } from "../lib/client/conversation_client.ts";
import { securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

Deno.test("a message arriving after the conversation was deleted in settings is never stored, shown or acknowledged", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  // Eve's page, reopened so the test hears what it is told when the conversation is gone.
  eve.stop();
  let gone = 0;
  eve.client = await ConversationClient.open(eve.conversationId, {
    baseUrl: server.base,
    storage: eve.storage,
    onGone: () => gone++,
  });
  eve.client.start();
  await waitFor(() => adam.client!.view.peer === "online", "Eve back online");
  await adam.client!.send("before the delete");
  await waitFor(() => eve.texts().includes("before the delete"), "Eve receives");
  await waitFor(
    () => adam.client!.view.messages.at(-1)?.status === "delivered",
    "Adam sees delivered",
  );

  // Settings deletes the conversation from Eve's browser; her chat page is still open.
  await eve.storage.deleteConversation(eve.conversationId);
  const sent = await adam.client!.send("after the delete");
  await waitFor(() => gone === 1, "Eve's client learns the conversation is gone");

  assert.equal(eve.client.view.connection, "closed", "Eve's client stopped");
  assert.ok(!eve.texts().includes("after the delete"), "the late message is not shown");
  assert.deepEqual(eve.client.view.problems, []);
  assert.equal(await eve.storage.getConversation(eve.conversationId), undefined);
  assert.deepEqual(await eve.storage.listMessages(eve.conversationId), []);
  // No receipt went out: for Adam the message was sent, never delivered.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(adam.client!.view.messages.find((m) => m.id === sent.id)?.status, "sent");
  assert.equal(gone, 1);
});
