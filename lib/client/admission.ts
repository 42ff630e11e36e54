/**
 * Creating and joining a conversation from a browser: key generation, the
 * access-signed bundle, the HTTP call, and checking the server's answer
 * before anything is stored.
 *
 * @module
 */
import { type Bundle, bundlesEqual, createBundle } from "../crypto/bundle.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { generateIdentity } from "../crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../crypto/invite.ts";
import { detectKemBackend, type KemBackend } from "../crypto/kem.ts";
import { generatePrekeys } from "../crypto/prekeys.ts";
import { generateWrappingKey } from "../crypto/sealed_state.ts";
import {
  type ConversationRecord,
  parseConversationRecord,
} from "../protocol/conversation_record.ts";
import { type AdmissionResponse, parseAdmissionResponse } from "../protocol/server_frames.ts";
import { type ClientStorage, PROTOCOL_VERSION, type StoredConversation } from "./storage.ts";

/** Why a conversation could not be created or joined. */
export type AdmissionErrorCode =
  | "not_found"
  | "full"
  | "damaged"
  | "rejected"
  | "unreachable";

/** A failure to create or join, with a code the UI turns into a page. */
export class AdmissionError extends Error {
  readonly code: AdmissionErrorCode;
  constructor(code: AdmissionErrorCode, message: string) {
    super(message);
    this.name = "AdmissionError";
    this.code = code;
  }
}

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
  const kemBackend = options.kemBackend ?? await detectKemBackend();
  const prekeys = await generatePrekeys(kemBackend);
  const bundle = await createBundle(identity, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const accessKey = encodeBase64Url(access.publicKey);
  const response = await post(`${options.baseUrl}/api/conversations`, {
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
      "The server answered with a conversation already kept here",
    );
  }
  const conversation = await storedConversation(admission, {
    secret,
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

/**
 * Joins the conversation `conversationId` with the invite `secret`, unless
 * this browser already holds it, and returns what is stored.
 */
export async function joinConversation(
  options: AdmissionOptions & { conversationId: string; secret: Uint8Array },
): Promise<StoredConversation> {
  const known = await options.storage.getConversation(options.conversationId);
  if (known !== undefined) {
    if (known.secret !== encodeBase64Url(options.secret)) {
      throw new AdmissionError(
        "damaged",
        "This invite link does not match the conversation stored in this browser",
      );
    }
    return known;
  }
  const record = await fetchConversation(options.baseUrl, options.conversationId);
  if (record === null) {
    throw new AdmissionError("not_found", "This conversation does not exist or has expired");
  }
  if (record.id !== options.conversationId) {
    throw new AdmissionError("rejected", "The server answered with another conversation");
  }
  const access = await deriveAccessKey(options.secret);
  const accessKey = encodeBase64Url(access.publicKey);
  if (record.accessKey !== accessKey) {
    // Either the link lost characters, or the server is not telling the truth.
    throw new AdmissionError("damaged", "This invite link does not fit the conversation");
  }
  if (record.participants.length >= 2) {
    throw new AdmissionError("full", "This conversation already has two people in it");
  }
  const identity = await generateIdentity();
  const bundle = await createBundle(identity, access.privateKey);
  const response = await post(
    `${options.baseUrl}/api/conversations/${record.id}/participants`,
    { bundle },
  );
  const admission = await readAdmission(response);
  checkAdmission(admission, accessKey, bundle, 2);
  if (admission.conversation.id !== record.id) {
    throw new AdmissionError(
      "rejected",
      "The server admitted this browser to another conversation",
    );
  }
  const conversation = await storedConversation(admission, {
    secret: options.secret,
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

/** The server's record of a conversation, or null when it does not exist. */
export async function fetchConversation(
  baseUrl: string,
  id: string,
): Promise<ConversationRecord | null> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/conversations/${id}`, {
      headers: { accept: "application/json" },
    });
  } catch {
    throw new AdmissionError("unreachable", "The server cannot be reached");
  }
  if (response.status === 404 || response.status === 400) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AdmissionError("rejected", `The server answered ${response.status}`);
  }
  try {
    const body = await response.json();
    if (typeof body !== "object" || body === null) throw new TypeError("not an object");
    return parseConversationRecord((body as Record<string, unknown>).conversation);
  } catch (error) {
    throw new AdmissionError(
      "rejected",
      `The server's answer is malformed: ${(error as Error).message}`,
    );
  }
}

async function post(url: string, body: unknown): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AdmissionError("unreachable", "The server cannot be reached");
  }
}

async function readAdmission(response: Response): Promise<AdmissionResponse> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new AdmissionError("rejected", `The server answered ${response.status}`);
  }
  if (response.status !== 201) {
    const code = errorCode(body);
    if (code === "conversation_full") {
      throw new AdmissionError("full", "This conversation already has two people in it");
    }
    if (code === "not_found") {
      throw new AdmissionError("not_found", "This conversation does not exist or has expired");
    }
    if (code === "bad_access_signature") {
      throw new AdmissionError("damaged", "This invite link does not fit the conversation");
    }
    throw new AdmissionError("rejected", `The server refused: ${code ?? response.status}`);
  }
  try {
    return parseAdmissionResponse(body);
  } catch (error) {
    throw new AdmissionError(
      "rejected",
      `The server's answer is malformed: ${(error as Error).message}`,
    );
  }
}

function errorCode(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as Record<string, unknown>).error;
  if (typeof error !== "object" || error === null) return null;
  const code = (error as Record<string, unknown>).code;
  return typeof code === "string" ? code : null;
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
    throw new AdmissionError("rejected", "The server's answer does not match what was sent");
  }
}

async function storedConversation(
  admission: AdmissionResponse,
  fields: {
    secret: Uint8Array;
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
    secret: encodeBase64Url(fields.secret),
    role: fields.role,
    participantId: admission.participantId,
    signing: fields.identity.signing,
    dh: fields.identity.dh,
    bundle: fields.bundle,
    accessKey: fields.accessKey,
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
