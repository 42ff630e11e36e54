import assert from "node:assert/strict";
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { FileConversationStore } from "./conversation_store.ts";
import { RelayHub } from "./relay_hub.ts";

const AUTH_TIMEOUT_MS = 50;

/**
 * A real server-side WebSocket whose upgrade never completes, as Deno leaves
 * one whose client hung up before the 101: made outside `Deno.serve`, it
 * fires neither "open" nor "close" by itself.
 */
function hangingSocket(): WebSocket {
  const req = new Request("http://127.0.0.1/", {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    },
  });
  return Deno.upgradeWebSocket(req).socket;
}

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
  fn: (hub: RelayHub, logs: string[]) => void | Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const store = new FileConversationStore(dir);
  await store.open();
  const logs: string[] = [];
  const hub = new RelayHub({
    store,
    log: (event) => logs.push(event),
    maxFrameBytes: 4096,
    authTimeoutMs: AUTH_TIMEOUT_MS,
  });
  try {
    await fn(hub, logs);
  } finally {
    hub.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

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
