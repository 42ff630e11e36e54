import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import {
  CREATOR_ID,
  JOINER_ID,
  makeSessionPair,
  type SessionPair,
} from "../../tests/fixtures/session_pair.ts";
import { impostorCreatorBundle } from "../../tests/fixtures/peer.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { inviteFingerprint } from "../crypto/invite_fingerprint.ts";
import { checkParticipant } from "./peer_check.ts";
import type { StoredConversation } from "./storage.ts";

/** The joiner's record as `checkParticipant()` reads it, before the creator is pinned. */
async function joinerRecord(pair: SessionPair): Promise<StoredConversation> {
  const record: Partial<StoredConversation> = {
    role: "joiner",
    participantId: JOINER_ID,
    bundle: pair.joinerBundle,
    accessKey: encodeBase64Url(pair.accessPublic),
    peer: null,
    inviteFingerprint: encodeBase64Url(await inviteFingerprint(pair.creator)),
  };
  // The check reads only the fields above; the rest would be keys and state.
  return record as StoredConversation;
}

Deno.test("checkParticipant() pins the creator whose keys the invite link names", async () => {
  const pair = await makeSessionPair();
  const own = await joinerRecord(pair);
  const check = await checkParticipant(own, { id: CREATOR_ID, bundle: pair.creatorBundle });
  assert.deepEqual(check, { result: "new", peer: { id: CREATOR_ID, bundle: pair.creatorBundle } });
});

Deno.test("checkParticipant() refuses a creator bundle signed with the invite but not named by the link", async () => {
  const pair = await makeSessionPair();
  const own = await joinerRecord(pair);
  const impostor = await impostorCreatorBundle(pair.secret);
  const check = await checkParticipant(own, { id: CREATOR_ID, bundle: impostor });
  assert.equal(check.result, "refused");
  assert.match(
    (check as { reason: string }).reason,
    /not the ones the invite link names; refused$/,
  );
});
