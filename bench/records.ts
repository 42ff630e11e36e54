/**
 * Real keys and conversation files for the benchmark: one creator bundle
 * (with its X25519 and ML-KEM-768 prekeys) and one joiner bundle, signed
 * with one access key, and conversation files written straight into a data
 * directory before a server starts, so thousands of authenticated sockets or
 * a large expiry index cost no API round trips.
 *
 * @module
 */
import { monotonicFactory } from "ulid";
import { type Bundle, createBundle } from "../lib/crypto/bundle.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generateIdentity, type Identity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../lib/crypto/invite.ts";
import { generatePrekeys } from "../lib/crypto/prekeys.ts";
import type { ConversationRecord } from "../lib/protocol/conversation_record.ts";
import type { ParticipantPair } from "./relay_driver.ts";

/** The keys every benchmark conversation shares. */
export interface BenchKeys {
  /** The access public key, base64url, as a create request carries it. */
  accessKey: string;
  creator: Identity;
  joiner: Identity;
  /** The creator's bundle, with prekeys: what a real create sends. */
  creatorBundle: Bundle;
  /** The joiner's bundle, as a real join sends it. */
  joinerBundle: Bundle;
}

/** Makes the shared keys; the same bundles are valid in any number of conversations. */
export async function makeKeys(): Promise<BenchKeys> {
  const access = await deriveAccessKey(generateInviteSecret());
  const [creator, joiner, prekeys] = await Promise.all([
    generateIdentity(),
    generateIdentity(),
    generatePrekeys(),
  ]);
  return {
    accessKey: encodeBase64Url(access.publicKey),
    creator,
    joiner,
    creatorBundle: await createBundle(creator, access.privateKey, {
      spkPublic: prekeys.spk.publicKey,
      pqspkPublic: prekeys.pq.publicKey,
    }),
    joinerBundle: await createBundle(joiner, access.privateKey),
  };
}

/**
 * Writes `count` two-participant conversations into `dir` as the app stores
 * them; `expiresAt(i)` gives each one's expiry in ms since the epoch.
 * Returns the participants, ready for {@linkcode RelaySocket.open}.
 */
export async function writeConversations(
  dir: string,
  keys: BenchKeys,
  count: number,
  expiresAt: (index: number) => number,
): Promise<ParticipantPair[]> {
  const next = monotonicFactory();
  const now = new Date().toISOString();
  const pairs: ParticipantPair[] = [];
  for (let i = 0; i < count; i += 256) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(count, i + 256); j++) {
      const [id, creatorId, joinerId] = [next(), next(), next()];
      const record: ConversationRecord = {
        version: 1,
        id,
        createdAt: now,
        modifiedAt: now,
        expiresAt: new Date(expiresAt(j)).toISOString(),
        accessKey: keys.accessKey,
        participants: [
          { id: creatorId, bundle: keys.creatorBundle },
          { id: joinerId, bundle: keys.joinerBundle },
        ],
      };
      batch.push(Deno.writeTextFile(`${dir}/${id}.json`, JSON.stringify(record, null, 2) + "\n"));
      pairs.push([
        {
          conversationId: id,
          participantId: creatorId,
          signingKey: keys.creator.signing.privateKey,
        },
        { conversationId: id, participantId: joinerId, signingKey: keys.joiner.signing.privateKey },
      ]);
    }
    await Promise.all(batch);
  }
  return pairs;
}
