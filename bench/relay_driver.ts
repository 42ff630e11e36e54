/**
 * Drives relay traffic from this process: admits conversations through the
 * HTTP API, opens authenticated sockets, and exchanges `send`/`ack` frames.
 * Shared by `bench/relay.ts` and `tests/load_test.ts`, and able to speak to
 * the bare relay of `bench/bare_relay.ts` for comparison.
 *
 * @module
 */
import { signAuth } from "../lib/crypto/auth.ts";
import { createBundle } from "../lib/crypto/bundle.ts";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../lib/crypto/invite.ts";
import { monotonicFactory } from "ulid";

/** One participant, as a socket needs it. */
export interface Participant {
  conversationId: string;
  participantId: string;
  signingKey: CryptoKey;
}

/** Which relay a socket talks to. */
export type RelayKind = "app" | "bare";

/** A conversation with its two participants. */
export type ParticipantPair = [Participant, Participant];

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status !== 201) {
    throw new Error(`Cannot POST "${url}": ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

/** Creates a conversation and joins it, through the app's HTTP API. */
export async function admitPair(base: string): Promise<ParticipantPair> {
  const secret = generateInviteSecret();
  const access = await deriveAccessKey(secret);
  const [first, second] = await Promise.all([generateIdentity(), generateIdentity()]);
  const created = await postJson(`${base}/api/conversations`, {
    accessKey: encodeBase64Url(access.publicKey),
    bundle: await createBundle(first, access.privateKey),
    lifetime: 3600,
  });
  const conversationId = (created.conversation as { id: string }).id;
  const joined = await postJson(`${base}/api/conversations/${conversationId}/participants`, {
    bundle: await createBundle(second, access.privateKey),
  });
  return [
    {
      conversationId,
      participantId: created.participantId as string,
      signingKey: first.signing.privateKey,
    },
    {
      conversationId,
      participantId: joined.participantId as string,
      signingKey: second.signing.privateKey,
    },
  ];
}

/** Made-up participants for the bare relay, which checks nothing. */
export function barePair(index: number): ParticipantPair {
  const conversationId = `room${index}`;
  return [
    { conversationId, participantId: `${conversationId}a`, signingKey: null! },
    { conversationId, participantId: `${conversationId}b`, signingKey: null! },
  ];
}

/** What a socket saw, for exactly-once checks and latency figures. */
export interface Tally {
  /** Message IDs received, with their count. */
  received: Map<string, number>;
  /** Message IDs whose ack came back, with their count. */
  acked: Map<string, number>;
  /** One-way latencies in milliseconds, send to receipt. */
  latencies: number[];
  /** Messages received and acks come back, counted whether or not IDs are kept. */
  receivedCount: number;
  ackedCount: number;
}

/** Send times by message ID, shared by every socket of one run. */
const sentAt = new Map<string, number>();

/**
 * An authenticated relay socket that acknowledges every message it gets,
 * as the real client does.
 */
export class RelaySocket {
  readonly socket: WebSocket;
  readonly self: Participant;
  readonly peer: Participant;
  readonly tally: Tally = {
    received: new Map(),
    acked: new Map(),
    latencies: [],
    receivedCount: 0,
    ackedCount: 0,
  };
  /**
   * Whether each message ID is kept in the tally, for exactly-once checks;
   * a latency run turns it off, as maps that grow by every message make the
   * load generator's garbage collections pause it for milliseconds.
   */
  keepIds = true;
  #ulid = monotonicFactory();

  private constructor(socket: WebSocket, self: Participant, peer: Participant) {
    this.socket = socket;
    this.self = self;
    this.peer = peer;
  }

  /** Opens a socket as `self` and waits until it is ready to relay. */
  static async open(
    base: string,
    kind: RelayKind,
    self: Participant,
    peer: Participant,
  ): Promise<RelaySocket> {
    const ws = base.replace(/^http/, "ws");
    const url = kind === "app"
      ? `${ws}/api/conversations/${self.conversationId}/socket`
      : `${ws}/relay/${self.conversationId}`;
    const socket = new WebSocket(url);
    const relay = new RelaySocket(socket, self, peer);
    const { promise: ready, resolve, reject } = Promise.withResolvers<void>();
    socket.addEventListener("error", () => reject(new Error(`Cannot open "${url}"`)));
    socket.addEventListener("close", (e) => reject(new Error(`Closed: ${e.code} ${e.reason}`)));
    if (kind === "bare") socket.addEventListener("open", () => resolve());
    socket.addEventListener("message", async (event) => {
      // The relayed frames, nearly all of them, are read at fixed places, as
      // the app's relay reads them: parsing a 16 KiB frame in full would
      // make this load generator, not the server, what the run measures.
      const id = typeof event.data === "string" ? relayedId(event.data) : null;
      if (id !== null) {
        if (event.data.charCodeAt(9) === 97) { // "a": an ack.
          relay.tally.ackedCount++;
          if (relay.keepIds) relay.tally.acked.set(id, (relay.tally.acked.get(id) ?? 0) + 1);
        } else relay.#onMessage(id);
        return;
      }
      const frame = JSON.parse(event.data);
      switch (frame.type) {
        case "challenge": {
          const signature = await signAuth(
            self.signingKey,
            self.conversationId,
            decodeBase64Url(frame.nonce),
          );
          socket.send(JSON.stringify({
            type: "auth",
            participantId: self.participantId,
            signature: encodeBase64Url(signature),
          }));
          return;
        }
        case "ready":
          return resolve();
        case "ping": // The app's liveness check, answered as the browser client does.
          return socket.send('{"type":"pong"}');
        case "message":
          relay.#onMessage(frame.id);
          return;
        case "send": // The bare relay forwards the frame as it was sent.
          relay.#onMessage(frame.frame.id);
          return;
        case "ack":
          relay.tally.ackedCount++;
          if (relay.keepIds) {
            relay.tally.acked.set(frame.id, (relay.tally.acked.get(frame.id) ?? 0) + 1);
          }
          return;
        case "error":
          if (frame.code === "peer_offline") return;
          return reject(new Error(`Relay error: ${frame.code}`));
      }
    });
    await ready;
    return relay;
  }

  /** Sends one message of `body` (base64url) to the peer; returns its ID. */
  send(body: string): string {
    const id = this.#ulid();
    sentAt.set(id, performance.now());
    // What JSON.stringify writes for these fields (ULIDs, a base64url body), made without it:
    // the send frame as browsers write it, carrying the message frame to pass on.
    this.socket.send(
      CARRIED_HEAD + this.peer.participantId + CARRIED_FRAME + id + FROM_KEY +
        this.self.participantId + BODY_KEY + body + CARRIED_TAIL,
    );
    return id;
  }

  /** Closes the socket and waits for it to close. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.addEventListener("close", resolve));
    this.socket.close();
    await closed;
  }

  #onMessage(id: string): void {
    const start = sentAt.get(id);
    if (start !== undefined) {
      this.tally.latencies.push(performance.now() - start);
      sentAt.delete(id);
    }
    this.tally.receivedCount++;
    if (this.keepIds) this.tally.received.set(id, (this.tally.received.get(id) ?? 0) + 1);
    this.socket.send(JSON.stringify({ type: "ack", id, to: this.peer.participantId }));
  }
}

const CARRIED_HEAD = '{"type":"send","to":"';
const CARRIED_FRAME = '","frame":{"type":"message","id":"';
const FROM_KEY = '","from":"';
const BODY_KEY = '","body":"';
const CARRIED_TAIL = '"}}';
/** Where the carried message's ID starts in a send frame. */
const CARRIED_ID = CARRIED_HEAD.length + 26 + CARRIED_FRAME.length;
/** The beginnings of the frames read at fixed places, each followed by the ID's 26 characters. */
const RELAYED_HEADS = ['{"type":"message","id":"', '{"type":"ack","id":"'];

/**
 * The message ID of a relayed frame (`message`, `ack`, or the `send` the
 * bare relay passes on) in the spelling both relays write, read at its
 * fixed place; null for any other frame, to be parsed.
 */
export function relayedId(text: string): string | null {
  for (const head of RELAYED_HEADS) {
    if (text.startsWith(head) && text.charCodeAt(head.length + 26) === 34) {
      return text.slice(head.length, head.length + 26);
    }
  }
  if (
    text.startsWith(CARRIED_HEAD) &&
    text.startsWith(CARRIED_FRAME, CARRIED_ID - CARRIED_FRAME.length) &&
    text.charCodeAt(CARRIED_ID + 26) === 34
  ) {
    return text.slice(CARRIED_ID, CARRIED_ID + 26);
  }
  return null;
}

/** A base64url body of `bytes` random bytes. */
export function randomBody(bytes: number): string {
  const data = new Uint8Array(bytes);
  for (let offset = 0; offset < bytes; offset += 65536) {
    crypto.getRandomValues(data.subarray(offset, Math.min(bytes, offset + 65536)));
  }
  return encodeBase64Url(data);
}

/** Resident memory of process `pid` in bytes (Linux), or null elsewhere. */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** The value below which `fraction` of `values` lie. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
