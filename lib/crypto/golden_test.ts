import assert from "node:assert/strict";
import golden from "../../tests/fixtures/golden_transcript.json" with { type: "json" };
import {
  GOLDEN_URL,
  type GoldenTranscript,
  makeGolden,
  replayGolden,
} from "../../tests/fixtures/golden.ts";
import { decodeBase64Url } from "./encoding.ts";
import { parseBundle, verifyBundle } from "./bundle.ts";
import { parseEnvelope } from "./envelope.ts";

function shouldUpdate(): boolean {
  const permission = Deno.permissions.querySync({ name: "env", variable: "UPDATE_GOLDEN" });
  return permission.state === "granted" && Deno.env.get("UPDATE_GOLDEN") === "1";
}

const frozen = golden as GoldenTranscript;

Deno.test("the wire format matches the frozen golden transcript", async () => {
  const actual = await makeGolden();
  if (shouldUpdate()) {
    await Deno.writeTextFile(GOLDEN_URL, JSON.stringify(actual, null, 2) + "\n");
    return;
  }
  assert.deepEqual(actual, frozen);
});

Deno.test({
  name: "every frozen envelope opens for its recipient in delivery order",
  // While regenerating, the imported transcript is the old one.
  ignore: shouldUpdate(),
}, async () => {
  const accessKey = decodeBase64Url(frozen.accessKey);
  for (const party of [frozen.creator, frozen.joiner]) {
    assert.equal(await verifyBundle(parseBundle(party.bundle), accessKey), true);
  }
  assert.ok(frozen.messages.length >= 6);
  const flags = frozen.messages.map((message) =>
    parseEnvelope(decodeBase64Url(message.envelope)).handshake !== null
  );
  assert.deepEqual(flags, frozen.messages.map((message) => message.hasHandshake));
  // The joiner's first messages carry the handshake; later ones do not.
  assert.deepEqual(flags, [true, true, false, false, false, false, false]);
  const payloads = await replayGolden(frozen);
  assert.deepEqual(payloads, frozen.messages.map((message) => message.payload));
});
