import assert from "node:assert/strict";
import { signAuth } from "../crypto/auth.ts";
import { createBundle } from "../crypto/bundle.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { generateIdentity, type Identity } from "../crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../crypto/invite.ts";
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { FileConversationStore } from "./conversation_store.ts";
import { RelayHub } from "./relay_hub.ts";
import { hangingSocket } from "../../tests/fixtures/hanging_socket.ts";

const AUTH_TIMEOUT_MS = 50;

function conversation(): ConversationRecord {
  const now = Date.now();
  return {
    version: 1,
    id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
    createdAt: new Date(now).toISOString(),
    modifiedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    accessKey: "A".repeat(43),
    participants: [],
  };
}

async function withHub(
  fn: (
    hub: RelayHub,
    logs: string[],
    store: FileConversationStore,
    dir: string,
  ) => void | Promise<void>,
  authTimeoutMs = AUTH_TIMEOUT_MS,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const store = new FileConversationStore(dir);
  await store.open();
  const logs: string[] = [];
  const hub = new RelayHub({
    store,
    log: (event) => logs.push(event),
    maxFrameBytes: 4096,
    authTimeoutMs,
  });
  try {
    await fn(hub, logs, store, dir);
  } finally {
    hub.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Deadline of the tests that authenticate: they sign and verify on a busy machine. */
const AUTH_TEST_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("a socket whose upgrade never completes gives back its place at the authentication deadline", async () => {
  await withHub(async (hub, logs) => {
    let released = 0;
    hub.accept(hangingSocket(), conversation(), () => released++);
    assert.equal(hub.socketCount, 1);
    assert.equal(hub.conversationCount, 1);
    assert.equal(hub.upgradingCount, 1);
    await sleep(AUTH_TIMEOUT_MS * 3);
    assert.equal(released, 1);
    assert.equal(hub.socketCount, 0);
    assert.equal(hub.conversationCount, 0);
    // Deno still holds the upgrade; only a forced shutdown ends it.
    assert.equal(hub.upgradingCount, 1);
    assert.deepEqual(logs, ["upgrade_abandoned"]);
  });
});

/** Every order of `items`. */
function orders(items: string[]): string[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])
  );
}

Deno.test("a socket's place is given back exactly once whatever order close, error, deadline and shutdown come in", async () => {
  for (const order of orders(["close", "error", "deadline", "shutdown"])) {
    await withHub(async (hub) => {
      let released = 0;
      const socket = hangingSocket();
      hub.accept(socket, conversation(), () => released++);
      for (const step of order) {
        if (step === "close") socket.dispatchEvent(new CloseEvent("close"));
        if (step === "error") socket.dispatchEvent(new Event("error"));
        if (step === "deadline") await sleep(AUTH_TIMEOUT_MS * 2);
        if (step === "shutdown") hub.close();
        assert.equal(released, 1, `${order.join(", ")}: after ${step}`);
        assert.equal(hub.socketCount, 0, `${order.join(", ")}: after ${step}`);
      }
    });
  }
});

Deno.test("shutdown gives back the place of every socket, connecting or not, and accepts none after", async () => {
  await withHub((hub) => {
    let released = 0;
    hub.accept(hangingSocket(), conversation(), () => released++);
    hub.accept(hangingSocket(), conversation(), () => released++);
    hub.close();
    assert.equal(released, 2);
    assert.equal(hub.socketCount, 0);
    assert.equal(hub.conversationCount, 0);
    assert.ok(hub.closed);
    assert.throws(() => hub.accept(hangingSocket(), conversation()), /relay is closed/);
  });
});

/**
 * A real server whose socket route hands each upgrade to `hub` with the
 * record and change count `next()` gives, as the app's route does after its
 * one read.
 */
function serveHub(hub: RelayHub, next: () => { record: ConversationRecord; readAt: number }) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    const { record, readAt } = next();
    hub.accept(socket, record, undefined, readAt);
    return response;
  });
}

/**
 * Opens a socket, answers the challenge as `participantId` holding
 * `identity`, and returns the type of the answer, or its code if an error.
 */
async function authenticate(
  port: number,
  id: string,
  [participantId, identity]: [string, Identity],
): Promise<string> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
  const frames: Record<string, string>[] = [];
  let wake = () => {};
  socket.onmessage = (event) => {
    frames.push(JSON.parse(event.data));
    wake();
  };
  const nextFrame = async () => {
    while (frames.length === 0) await new Promise<void>((resolve) => wake = resolve);
    return frames.shift()!;
  };
  try {
    const challenge = await nextFrame();
    const signature = await signAuth(
      identity.signing.privateKey,
      id,
      decodeBase64Url(challenge.nonce),
    );
    socket.send(JSON.stringify({
      type: "auth",
      participantId,
      signature: encodeBase64Url(signature),
    }));
    const answer = await nextFrame();
    return answer.type === "error" ? answer.code : answer.type;
  } finally {
    const closed = new Promise((resolve) => socket.onclose = resolve);
    socket.close();
    await closed;
  }
}

/** A stored conversation of one participant, and a join the hub is told of. */
async function storedConversation(hub: RelayHub, store: FileConversationStore) {
  const access = await deriveAccessKey(generateInviteSecret());
  const [adam, eve] = [await generateIdentity(), await generateIdentity()];
  const created = await store.create({
    accessKey: encodeBase64Url(access.publicKey),
    bundle: await createBundle(adam, access.privateKey),
    lifetime: 3600,
  });
  const join = async (): Promise<[string, Identity]> => {
    const joined = await store.join(
      created.conversation.id,
      await createBundle(eve, access.privateKey),
    );
    hub.notifyJoined(joined.conversation, joined.conversation.participants[1]);
    return [joined.participantId, eve];
  };
  return {
    record: created.conversation,
    adam: [created.participantId, adam] as [string, Identity],
    join,
  };
}

Deno.test("a participant who joined while the record was being read for the socket still authenticates", async () => {
  await withHub(async (hub, _logs, store) => {
    const { record, join } = await storedConversation(hub, store);
    // The route read the record (one participant), then the join landed
    // before the socket was accepted, when the hub had no room to tell.
    const readAt = hub.changes;
    const eve = await join();
    await using server = serveHub(hub, () => ({ record, readAt }));
    assert.equal(await authenticate(server.addr.port, record.id, eve), "ready");
  }, AUTH_TEST_TIMEOUT_MS);
});

Deno.test("a socket accepted with a current record authenticates without the record being read again", async () => {
  await withHub(async (hub, _logs, store, dir) => {
    const { record, adam } = await storedConversation(hub, store);
    const readAt = hub.changes;
    // A damaged file reads as absent: only a second read would refuse.
    await Deno.writeTextFile(`${dir}/${record.id}.json`, "{ damaged");
    await using server = serveHub(hub, () => ({ record, readAt }));
    assert.equal(await authenticate(server.addr.port, record.id, adam), "ready");
  }, AUTH_TEST_TIMEOUT_MS);
});

Deno.test("a socket accepted with a record of unknown age reads it again at authentication", async () => {
  await withHub(async (hub, _logs, store, dir) => {
    const { record, adam } = await storedConversation(hub, store);
    const readAt = hub.changes - 1;
    await Deno.writeTextFile(`${dir}/${record.id}.json`, "{ damaged");
    await using server = serveHub(hub, () => ({ record, readAt }));
    assert.equal(await authenticate(server.addr.port, record.id, adam), "not_found");
  }, AUTH_TEST_TIMEOUT_MS);
});

Deno.test("a socket whose conversation file was removed from outside cannot authenticate, even with a current record", async () => {
  await withHub(async (hub, _logs, store, dir) => {
    const { record, adam } = await storedConversation(hub, store);
    const readAt = hub.changes;
    await Deno.remove(`${dir}/${record.id}.json`);
    await using server = serveHub(hub, () => ({ record, readAt }));
    assert.equal(await authenticate(server.addr.port, record.id, adam), "not_found");
  }, AUTH_TEST_TIMEOUT_MS);
});
