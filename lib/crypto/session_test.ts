import assert from "node:assert/strict";
import { makeSessionPair, PAIR_IDS } from "../../tests/fixtures/session_pair.ts";
import { utf8 } from "./encoding.ts";
import { DecryptionError, decryptMessage, encryptMessage } from "./envelope.ts";
import { generateIdentity } from "./identity.ts";
import { generateInviteSecret } from "./invite.ts";
import { deriveSession, type Session } from "./session.ts";

const { conversationId, alice: ALICE, bob: BOB } = PAIR_IDS;

async function send(session: Session, from: string, to: string) {
  return await encryptMessage(session.sendKey, {
    conversationId,
    from,
    to,
    counter: 0,
    plaintext: utf8("probe"),
  });
}

async function receive(
  session: Session,
  from: string,
  to: string,
  envelope: Uint8Array,
) {
  return await decryptMessage(session.receiveKey, {
    conversationId,
    from,
    to,
    envelope,
  });
}

Deno.test("deriveSession() gives each side the other's keys, swapped", async () => {
  const { alice, bob } = await makeSessionPair();
  const toBob = await send(alice, ALICE, BOB);
  assert.deepEqual(
    (await receive(bob, ALICE, BOB, toBob)).plaintext,
    utf8("probe"),
  );
  const toAlice = await send(bob, BOB, ALICE);
  assert.deepEqual(
    (await receive(alice, BOB, ALICE, toAlice)).plaintext,
    utf8("probe"),
  );
});

Deno.test("deriveSession() uses a different key for each direction", async () => {
  const { alice, bob } = await makeSessionPair();
  // Same AD, other direction's key: must not decrypt.
  const toBob = await send(alice, ALICE, BOB);
  await assert.rejects(receive(alice, ALICE, BOB, toBob), DecryptionError);
  const toAlice = await send(bob, BOB, ALICE);
  await assert.rejects(receive(bob, BOB, ALICE, toAlice), DecryptionError);
});

Deno.test("deriveSession() returns non-extractable keys limited to their use", async () => {
  const { alice } = await makeSessionPair();
  assert.equal(alice.sendKey.extractable, false);
  assert.equal(alice.receiveKey.extractable, false);
  assert.deepEqual(alice.sendKey.usages, ["encrypt"]);
  assert.deepEqual(alice.receiveKey.usages, ["decrypt"]);
  assert.deepEqual(alice.sendKey.algorithm, { name: "AES-GCM", length: 256 });
});

Deno.test("deriveSession() keys depend on the invite secret", async () => {
  const { aliceIdentity, bobIdentity, alice } = await makeSessionPair();
  // A relay that knows both DH keys but not the secret cannot derive Bob's side.
  const bobWithoutSecret = await deriveSession({
    ownId: BOB,
    peerId: ALICE,
    ownDhPrivate: bobIdentity.dh.privateKey,
    peerDhPublic: aliceIdentity.dhPublic,
    secret: generateInviteSecret(),
  });
  const toBob = await send(alice, ALICE, BOB);
  await assert.rejects(
    receive(bobWithoutSecret, ALICE, BOB, toBob),
    DecryptionError,
  );
});

Deno.test("deriveSession() keys depend on the participant IDs", async () => {
  const { secret, aliceIdentity, bobIdentity, alice } = await makeSessionPair();
  const bobWithOtherIds = await deriveSession({
    ownId: BOB,
    peerId: "01JGZ0000000000000000000A2",
    ownDhPrivate: bobIdentity.dh.privateKey,
    peerDhPublic: aliceIdentity.dhPublic,
    secret,
  });
  const toBob = await send(alice, ALICE, BOB);
  await assert.rejects(
    receive(bobWithOtherIds, ALICE, BOB, toBob),
    DecryptionError,
  );
});

Deno.test("deriveSession() rejects a low-order peer key", async () => {
  const own = await generateIdentity();
  const lowOrderPoints = [
    new Uint8Array(32),
    Uint8Array.of(1, ...new Uint8Array(31)),
  ];
  for (const peerDhPublic of lowOrderPoints) {
    await assert.rejects(
      deriveSession({
        ownId: ALICE,
        peerId: BOB,
        ownDhPrivate: own.dh.privateKey,
        peerDhPublic,
        secret: generateInviteSecret(),
      }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /^Cannot derive session with "/);
        return true;
      },
    );
  }
});

Deno.test("deriveSession() rejects its own ID as the peer's", async () => {
  const { aliceIdentity, bobIdentity, secret } = await makeSessionPair();
  await assert.rejects(
    deriveSession({
      ownId: ALICE,
      peerId: ALICE,
      ownDhPrivate: aliceIdentity.dh.privateKey,
      peerDhPublic: bobIdentity.dhPublic,
      secret,
    }),
    {
      name: "TypeError",
      message: `Cannot derive session with "${ALICE}": it is this participant's own ID`,
    },
  );
});
