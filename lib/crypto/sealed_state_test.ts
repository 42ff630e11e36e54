import assert from "node:assert/strict";
import { CONVERSATION_ID, makeSessionPair } from "../../tests/fixtures/session_pair.ts";
import { utf8 } from "./encoding.ts";
import { ratchetDecrypt, ratchetEncrypt, type RatchetState } from "./ratchet.ts";
import {
  deserializeRatchetState,
  generateWrappingKey,
  openState,
  SealedStateError,
  sealState,
  serializeRatchetState,
} from "./sealed_state.ts";

async function busyState(): Promise<RatchetState> {
  const pair = await makeSessionPair();
  const ad = new Uint8Array();
  let alice = pair.alice;
  const sent = [];
  for (let i = 0; i < 4; i++) {
    const result = await ratchetEncrypt(alice, utf8(`m${i}`), ad);
    alice = result.state;
    sent.push(result);
  }
  // Bob skips two messages, so his state has every kind of field set.
  const { state } = await ratchetDecrypt(pair.bob, sent[3].header, sent[3].ciphertext, ad);
  assert.equal(state.skipped.length, 3);
  return state;
}

Deno.test("a sealed state opens to an equal state under the same key and context", async () => {
  const key = await generateWrappingKey();
  assert.equal(key.extractable, false);
  const pair = await makeSessionPair();
  for (const state of [pair.alice, pair.bob, await busyState()]) {
    const sealed = await sealState(key, state, CONVERSATION_ID);
    assert.deepEqual(await openState(key, sealed, CONVERSATION_ID), state);
    // A fresh nonce every time: sealing twice never gives the same bytes.
    assert.notDeepEqual(await sealState(key, state, CONVERSATION_ID), sealed);
  }
});

Deno.test("serializeRatchetState() is deterministic and deserializes strictly", async () => {
  const state = await busyState();
  const bytes = serializeRatchetState(state);
  assert.deepEqual(serializeRatchetState(state), bytes);
  assert.deepEqual(deserializeRatchetState(bytes), state);
  const json = JSON.parse(new TextDecoder().decode(bytes));
  const cases: [unknown, RegExp][] = [
    [{ ...json, v: 2 }, /^Unsupported ratchet state version 2$/],
    [{ ...json, extra: 1 }, /unexpected keys/],
    [{ ...json, rk: "AAAA" }, /expected 32 bytes/],
    [{ ...json, ns: -1 }, /"ns" must be an integer/],
    [{ ...json, dhs: [json.dhs[0]] }, /"dhs" must be a key pair/],
    [{ ...json, skipped: [[1, 2]] }, /malformed key/],
    [{ ...json, skipped: [[json.dhs[0], 1.5, json.rk]] }, /"skipped n"/],
    [[], /expected an object/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => deserializeRatchetState(utf8(JSON.stringify(value))), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("openState() refuses a tampered state, another key or another context", async () => {
  const key = await generateWrappingKey();
  const state = await busyState();
  const sealed = await sealState(key, state, CONVERSATION_ID);
  const refusals: [CryptoKey, Uint8Array, string][] = [
    [await generateWrappingKey(), sealed, CONVERSATION_ID],
    [key, sealed, "01JGZ0000000000000000000C9"],
    [key, sealed.subarray(0, 27), CONVERSATION_ID],
  ];
  for (const index of [0, 11, 12, sealed.length - 1]) {
    const tampered = sealed.slice();
    tampered[index] ^= 1;
    refusals.push([key, tampered, CONVERSATION_ID]);
  }
  for (const [wrappingKey, bytes, context] of refusals) {
    await assert.rejects(openState(wrappingKey, bytes, context), SealedStateError);
  }
  await assert.rejects(sealState(key, state, ""), TypeError);
});
