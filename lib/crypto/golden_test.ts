import assert from "node:assert/strict";
import golden from "../../tests/fixtures/golden_stage1.json" with {
  type: "json",
};
import { GOLDEN_STAGE1_URL, makeGoldenStage1 } from "../../tests/fixtures/golden_stage1.ts";
import { fixedIdentity } from "../../tests/fixtures/fixed_keys.ts";
import { decodeBase64Url } from "./encoding.ts";
import { decryptMessage } from "./envelope.ts";
import { parsePayload } from "./payload.ts";
import { deriveSession } from "./session.ts";
import { parseBundle, verifyBundle } from "./bundle.ts";

function shouldUpdate(): boolean {
  const permission = Deno.permissions.querySync({
    name: "env",
    variable: "UPDATE_GOLDEN",
  });
  return permission.state === "granted" &&
    Deno.env.get("UPDATE_GOLDEN") === "1";
}

Deno.test("the stage-1 wire format matches the frozen golden transcript", async () => {
  const actual = await makeGoldenStage1();
  if (shouldUpdate()) {
    await Deno.writeTextFile(
      GOLDEN_STAGE1_URL,
      JSON.stringify(actual, null, 2) + "\n",
    );
    return;
  }
  assert.deepEqual(actual, golden);
});

Deno.test({
  name: "every golden envelope decrypts to its payload for the recipient",
  // While regenerating, the imported transcript is the old one.
  ignore: shouldUpdate(),
}, async () => {
  const secret = decodeBase64Url(golden.secret);
  const accessKey = decodeBase64Url(golden.accessKey);
  const identities = new Map();
  for (const participant of golden.participants) {
    assert.equal(
      await verifyBundle(parseBundle(participant.bundle), accessKey),
      true,
    );
    identities.set(
      participant.id,
      await fixedIdentity(
        decodeBase64Url(participant.signSeed),
        decodeBase64Url(participant.dhSeed),
      ),
    );
  }
  assert.ok(golden.messages.length >= 4);
  for (const message of golden.messages) {
    const session = await deriveSession({
      ownId: message.to,
      peerId: message.from,
      ownDhPrivate: identities.get(message.to).dh.privateKey,
      peerDhPublic: identities.get(message.from).dhPublic,
      secret,
    });
    const { counter, plaintext } = await decryptMessage(session.receiveKey, {
      conversationId: golden.conversationId,
      from: message.from,
      to: message.to,
      envelope: decodeBase64Url(message.envelope),
    });
    assert.equal(counter, message.counter);
    assert.deepEqual(parsePayload(plaintext), message.payload);
  }
});
