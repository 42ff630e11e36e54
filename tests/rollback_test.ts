/**
 * A sender whose stored ratchet goes back in time (a restored backup or VM
 * snapshot, a write the disk lost in a crash) seals the next message with a
 * message key it has used before. The real client over a real server, with a
 * hostile relay watching the wire: no AES key and nonce repeat, and nothing
 * the relay forges from the two messages is shown.
 */
import assert from "node:assert/strict";
import type { StoredConversation } from "../lib/client/storage.ts";
import {
  bytesEqual,
  concatBytes,
  decodeBase64Url,
  encodeBase64Url,
} from "../lib/crypto/encoding.ts";
import {
  encodeEnvelope,
  encodeHeader,
  type Envelope,
  messageAd,
  parseEnvelope,
} from "../lib/crypto/envelope.ts";
import { pad } from "../lib/crypto/padding.ts";
import { encodePayload } from "../lib/crypto/payload.ts";
import { kdfChainKey, messageCipherKey } from "../lib/crypto/ratchet.ts";
import { openWithMessageKey } from "../lib/crypto/ratchet_aead.ts";
import { openState } from "../lib/crypto/sealed_state.ts";
import { type FrameContext, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

const FORGED_ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1F";
const TAG_BYTES = 16;

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  assert.equal(a.length, b.length);
  return a.map((byte, i) => byte ^ b[i]);
}

/** What the relay learns of one message, plus its plaintext recovered for the test. */
interface Observed {
  frame: Record<string, unknown>;
  envelope: Envelope;
  key: Uint8Array;
  iv: Uint8Array;
  plaintext: Uint8Array;
}

Deno.test("rollback: a sender restored to an older ratchet state never repeats a key and nonce, and the receiver shows no forgery built from the two messages", async () => {
  await using server = await startTestServer();
  const relay = await startHostileRelay(server.base);
  const { adam, eve, ids } = await securePair(relay.base);
  try {
    // The relay holds back every message from Adam and keeps a way to Eve.
    const held: Record<string, unknown>[] = [];
    let toEve: FrameContext["toClient"] | null = null;
    relay.frameAttack = (ctx) => {
      if (
        ctx.direction !== "toClient" || ctx.frame.type !== "message" || ctx.frame.from !== ids.adam
      ) {
        return;
      }
      toEve = ctx.toClient;
      if (!held.some((frame) => frame.id === ctx.frame.id && frame.body === ctx.frame.body)) {
        held.push(ctx.frame);
      }
      return [];
    };

    // A backup of Adam's stored conversation, sealed ratchet included.
    const snapshot: StoredConversation = structuredClone(
      (await adam.storage.getConversation(adam.conversationId))!,
    );
    await adam.client!.send("first, before the backup came back");
    await waitFor(() => held.length === 1, "the first message on the wire");

    // The backup is restored over the newer record; the page opens again.
    adam.stop();
    await adam.storage.putConversation(structuredClone(snapshot));
    await adam.start();
    await adam.client!.send("second, from the restored state");
    await waitFor(() => held.length === 2, "the second message on the wire");
    const [firstFrame, secondFrame] = held;
    const idOf = (text: string) => adam.client!.view.messages.find((m) => m.text === text)!.id;
    assert.equal(firstFrame.id, idOf("first, before the backup came back"));
    assert.equal(secondFrame.id, idOf("second, from the restored state"));

    // Both were sealed from the snapshot: the same ratchet key, the same
    // message number, so the same message key, recomputed here from it.
    const state = await openState(snapshot.wrappingKey, snapshot.ratchet!, snapshot.id);
    const { mk } = kdfChainKey(state.cks!);
    const ad = messageAd({
      conversationId: snapshot.id,
      from: ids.adam,
      to: ids.eve,
      fromSign: decodeBase64Url(snapshot.bundle.sign),
      toSign: decodeBase64Url(snapshot.peer!.bundle.sign),
    });
    const observe = async (frame: Record<string, unknown>): Promise<Observed> => {
      const envelope = parseEnvelope(decodeBase64Url(frame.body as string));
      assert.deepEqual(envelope.header.dh, state.dhs.publicKey);
      assert.equal(envelope.header.n, state.ns);
      const { key, iv } = await messageCipherKey(mk, envelope.header.salt);
      const aad = concatBytes(ad, encodeHeader(envelope.header));
      const plaintext = await openWithMessageKey(
        mk,
        envelope.header.salt,
        envelope.ciphertext,
        aad,
      );
      return { frame, envelope, key, iv, plaintext };
    };
    const first = await observe(firstFrame);
    const second = await observe(secondFrame);

    // No (key, nonce) pair repeats, and neither does the keystream.
    assert.ok(!bytesEqual(first.envelope.header.salt, second.envelope.header.salt));
    assert.ok(!bytesEqual(first.key, second.key), "the AES keys differ");
    assert.ok(!bytesEqual(first.iv, second.iv), "the nonces differ");
    const body = (o: Observed) => o.envelope.ciphertext.subarray(0, o.plaintext.length);
    const keystream1 = xor(body(first), first.plaintext);
    const keystream2 = xor(body(second), second.plaintext);
    assert.equal(keystream1.length, keystream2.length);
    assert.ok(!bytesEqual(keystream1, keystream2), "the keystreams differ");
    assert.ok(!bytesEqual(xor(body(first), body(second)), xor(first.plaintext, second.plaintext)));

    // The relay's forgeries: a known keystream reused for its own text,
    // under either tag and either header, sent to Eve as from Adam.
    const forged = pad(encodePayload({
      v: 2,
      type: "text",
      id: FORGED_ID,
      text: "forged by the relay",
      sentAt: Date.now(),
      expiresIn: 0,
    }));
    assert.equal(forged.length, first.plaintext.length);
    const tag = (o: Observed) => o.envelope.ciphertext.subarray(o.plaintext.length);
    let forgeries = 0;
    for (const base of [first, second]) {
      const forgedBody = xor(xor(body(base), base.plaintext), forged);
      for (const header of [first.envelope.header, second.envelope.header]) {
        for (const forgedTag of [tag(first), tag(second)]) {
          assert.equal(forgedTag.length, TAG_BYTES);
          const envelope = encodeEnvelope({
            header,
            ciphertext: concatBytes(forgedBody, forgedTag),
          });
          toEve!(JSON.stringify({
            type: "message",
            id: FORGED_ID,
            from: ids.adam,
            body: encodeBase64Url(envelope),
          }));
          forgeries++;
        }
      }
    }
    assert.equal(forgeries, 8);
    // The genuine first message, released after the forgeries, still opens:
    // none of them moved Eve's ratchet.
    toEve!(JSON.stringify(firstFrame));
    await waitFor(
      () => eve.texts().includes("first, before the backup came back"),
      "the genuine message after the forgeries",
    );
    assert.ok(!eve.texts().includes("forged by the relay"), "no forgery is shown");
    assert.ok(
      eve.client!.view.problems.some((p) => /failed verification/.test(p.message)),
      "the forgeries were noticed",
    );
    const stored = await eve.storage.getMessage(eve.conversationId, FORGED_ID);
    assert.equal(stored, undefined, "no forgery is stored");
    // The genuine second message reuses a number Eve has opened: it cannot
    // open either, and Eve is warned rather than shown anything.
    eve.client!.acknowledgeProblems();
    toEve!(JSON.stringify(secondFrame));
    await waitFor(() => eve.client!.view.problems.length > 0, "a warning for the reused number");
    assert.deepEqual(eve.texts(), ["first, before the backup came back"]);
  } finally {
    adam.stop();
    eve.stop();
    await relay.close();
  }
});
