/**
 * Creating and joining a conversation from a browser: key generation, the
 * access-signed bundle, the HTTP call, and checking the server's answer
 * before anything is stored. A joiner checks the invite against the server's
 * record first ({@linkcode checkInvite}), so nothing is sent for a
 * conversation that is full or whose creator's keys the link does not name.
 *
 * @module
 */
// Re-exported so callers keep one place to import them from.
export { AdmissionError, type AdmissionErrorCode, fetchConversation } from "./admission_http.ts";
export { creatorInviteLink } from "./creator_link.ts";
import { type Bundle, bundlesEqual, createBundle } from "../crypto/bundle.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { generateIdentity } from "../crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret, type Invite } from "../crypto/invite.ts";
import { bundleMatchesFingerprint, inviteFingerprint } from "../crypto/invite_fingerprint.ts";
import { detectKemBackend, type KemBackend } from "../crypto/kem.ts";
import { generatePrekeys } from "../crypto/prekeys.ts";
import { generateWrappingKey } from "../crypto/sealed_state.ts";
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";
import { AdmissionError, fetchConversation } from "./admission_http.ts";
import { postJson, readAdmission } from "./admission_post.ts";
import { type ClientStorage, PROTOCOL_VERSION, type StoredConversation } from "./storage.ts";
import { t } from "../i18n/i18n.ts";

/** Options shared by the admission calls. */
export interface AdmissionOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  storage: ClientStorage;
  /** The ML-KEM implementation; by default WebCrypto's where the browser has it. */
  kemBackend?: KemBackend;
}

/** Creates a conversation and stores it, with its secret and keys. */
export async function createConversation(
  options: AdmissionOptions & { lifetime: number },
): Promise<StoredConversation> {
  const secret = generateInviteSecret();
  const access = await deriveAccessKey(secret);
  const identity = await generateIdentity();
  const fingerprint = await inviteFingerprint(identity);
  const kemBackend = options.kemBackend ?? await detectKemBackend();
  const prekeys = await generatePrekeys(kemBackend);
  const bundle = await createBundle(identity, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const accessKey = encodeBase64Url(access.publicKey);
  const response = await postJson(`${options.baseUrl}/api/conversations`, {
    accessKey,
    bundle,
    lifetime: options.lifetime,
  });
  const admission = await readAdmission(response);
  checkAdmission(admission, accessKey, bundle, 1);
  if (await options.storage.getConversation(admission.conversation.id) !== undefined) {
    // A server that names a conversation this browser holds would overwrite its keys.
    throw new AdmissionError(
      "rejected",
      t("errors.already_kept"),
    );
  }
  const conversation = await storedConversation(admission, {
    invite: { secret, fingerprint },
    role: "creator",
    identity,
    bundle,
    accessKey,
    kemBackend,
    prekeys: { spkPrivate: prekeys.spk.privateKey, pq: prekeys.pq },
  });
  await options.storage.putConversation(conversation);
  return conversation;
}

/** What {@linkcode checkInvite} needs: where to ask, and the invite. */
export interface InviteOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  conversationId: string;
  invite: Invite;
}

/**
 * Reads the conversation an invite names and checks it before anything is
 * sent: it exists, its access key is the one the secret derives, it has a
 * free seat, and its creator's identity keys have the link's fingerprint.
 * One GET; nothing changes on the server. Throws an {@linkcode AdmissionError}.
 */
export async function checkInvite(options: InviteOptions): Promise<ConversationRecord> {
  const record = await fetchConversation(options.baseUrl, options.conversationId);
  if (record === null) {
    throw new AdmissionError("not_found", t("errors.not_found_join"));
  }
  if (record.id !== options.conversationId) {
    throw new AdmissionError("rejected", t("errors.other_conversation"));
  }
  const access = await deriveAccessKey(options.invite.secret);
  if (record.accessKey !== encodeBase64Url(access.publicKey)) {
    // Either the link lost characters, or the server is not telling the truth.
    throw new AdmissionError("damaged", t("errors.bad_access_signature"));
  }
  if (record.participants.length >= 2) {
    throw new AdmissionError("full", t("errors.conversation_full"));
  }
  const creator = record.participants[0];
  if (
    creator === undefined ||
    !await bundleMatchesFingerprint(creator.bundle, options.invite.fingerprint)
  ) {
    // Only someone with the link and control of the server gets this far.
    throw new AdmissionError(
      "wrong_keys",
      t("errors.wrong_keys"),
    );
  }
  return record;
}

/**
 * Joins the conversation `conversationId` with the `invite`, unless this
 * browser already holds it, and returns what is stored. The invite is
 * checked first with {@linkcode checkInvite}.
 */
export async function joinConversation(
  options: AdmissionOptions & InviteOptions,
): Promise<StoredConversation> {
  const { invite } = options;
  const known = await options.storage.getConversation(options.conversationId);
  if (known !== undefined) {
    // Compared through the access key: the secret itself is deleted here
    // once the handshake is complete.
    const access = await deriveAccessKey(invite.secret);
    if (
      known.accessKey !== encodeBase64Url(access.publicKey) ||
      known.inviteFingerprint !== encodeBase64Url(invite.fingerprint)
    ) {
      throw new AdmissionError(
        "damaged",
        t("errors.invite_mismatch"),
      );
    }
    return known;
  }
  const record = await checkInvite(options);
  const access = await deriveAccessKey(invite.secret);
  const accessKey = encodeBase64Url(access.publicKey);
  const identity = await generateIdentity();
  const bundle = await createBundle(identity, access.privateKey);
  const response = await postJson(
    `${options.baseUrl}/api/conversations/${record.id}/participants`,
    { bundle },
  );
  const admission = await readAdmission(response, "join");
  checkAdmission(admission, accessKey, bundle, 2);
  if (admission.conversation.id !== record.id) {
    throw new AdmissionError(
      "rejected",
      t("errors.admitted_elsewhere"),
    );
  }
  const conversation = await storedConversation(admission, {
    invite,
    role: "joiner",
    identity,
    bundle,
    accessKey,
    kemBackend: options.kemBackend ?? await detectKemBackend(),
    prekeys: null,
  });
  await options.storage.putConversation(conversation);
  return conversation;
}

/** Checks that the server admitted exactly what was sent. */
function checkAdmission(
  admission: AdmissionResponse,
  accessKey: string,
  bundle: Bundle,
  position: number,
): void {
  const own = admission.conversation.participants.find((p) => p.id === admission.participantId);
  if (
    admission.conversation.accessKey !== accessKey || own === undefined ||
    !bundlesEqual(own.bundle, bundle) ||
    admission.conversation.participants.length !== position
  ) {
    throw new AdmissionError("rejected", t("errors.answer_mismatch"));
  }
}

/** The record a browser keeps of a conversation it was just admitted to, before a peer is known. */
export async function storedConversation(
  admission: AdmissionResponse,
  fields: {
    invite: Invite;
    role: "creator" | "joiner";
    identity: { signing: CryptoKeyPair; dh: CryptoKeyPair };
    bundle: Bundle;
    accessKey: string;
    kemBackend: KemBackend;
    prekeys: StoredConversation["prekeys"];
  },
): Promise<StoredConversation> {
  return {
    protocol: PROTOCOL_VERSION,
    id: admission.conversation.id,
    secret: encodeBase64Url(fields.invite.secret),
    role: fields.role,
    participantId: admission.participantId,
    signing: fields.identity.signing,
    dh: fields.identity.dh,
    bundle: fields.bundle,
    accessKey: fields.accessKey,
    inviteFingerprint: encodeBase64Url(fields.invite.fingerprint),
    peer: null,
    prekeys: fields.prekeys,
    handshake: null,
    ratchet: null,
    wrappingKey: await generateWrappingKey(),
    kemBackend: fields.kemBackend,
    verified: null,
    timer: 0,
    timerId: null,
    createdAt: admission.conversation.createdAt,
    expiresAt: admission.conversation.expiresAt,
    closed: null,
  };
}
