import assert from "node:assert/strict";
import golden from "../../tests/fixtures/golden_stage2.json" with { type: "json" };
import {
  GOLDEN_STAGE2_URL,
  type GoldenStage2,
  makeGoldenStage2,
  replayGoldenStage2,
} from "../../tests/fixtures/golden_stage2.ts";
import { decodeBase64Url } from "./encoding.ts";
import { parseBundleV2, verifyBundle } from "./bundle.ts";
import { parseEnvelopeV2 } from "./envelope_v2.ts";

function shouldUpdate(): boolean {
  const permission = Deno.permissions.querySync({ name: "env", variable: "UPDATE_GOLDEN" });
  return permission.state === "granted" && Deno.env.get("UPDATE_GOLDEN") === "1";
}

const frozen = golden as GoldenStage2;

Deno.test("the stage-2 wire format matches the frozen golden transcript", async () => {
  const actual = await makeGoldenStage2();
  if (shouldUpdate()) {
    await Deno.writeTextFile(GOLDEN_STAGE2_URL, JSON.stringify(actual, null, 2) + "\n");
    return;
  }
  assert.deepEqual(actual, frozen);
});

Deno.test({
  name: "every frozen stage-2 envelope opens for its recipient in delivery order",
  // While regenerating, the imported transcript is the old one.
  ignore: shouldUpdate(),
}, async () => {
  const accessKey = decodeBase64Url(frozen.accessKey);
  for (const party of [frozen.creator, frozen.joiner]) {
    assert.equal(await verifyBundle(parseBundleV2(party.bundle), accessKey), true);
  }
  assert.ok(frozen.messages.length >= 6);
  const flags = frozen.messages.map((message) =>
    parseEnvelopeV2(decodeBase64Url(message.envelope)).handshake !== null
  );
  assert.deepEqual(flags, frozen.messages.map((message) => message.hasHandshake));
  // The joiner's first messages carry the handshake; later ones do not.
  assert.deepEqual(flags, [true, true, false, false, false, false, false]);
  const payloads = await replayGoldenStage2(frozen);
  assert.deepEqual(payloads, frozen.messages.map((message) => message.payload));
});
