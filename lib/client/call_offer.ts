/**
 * Setting a call up: the devices, then the offer and answer, sealed in the
 * session. Each of the two carries the
 * sender's SDP (with its DTLS fingerprint), its fresh frame key and whether
 * its browser seals frames. Taking the peer's offer or answer sets the key
 * its frames open with, and whether frames are sealed at all (only when both
 * browsers can).
 *
 * @module
 */
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { CALL_KEY_BYTES, type CallMedia, type CallOfferPayload } from "../crypto/payload_call.ts";
import type { Calls } from "./calls.ts";
import { type CallFrames, framesSupported } from "./call_frames.ts";
import { openLocalMedia } from "./call_media.ts";
import { answerOffer, makeOffer } from "./call_peer.ts";
import type { CallSnapshot } from "./call_state.ts";

/** What the offer and answer need of their call. */
export interface OfferHost {
  call: string;
  calls: Calls;
  frames: CallFrames;
  /** This side's frame key, sent to the peer inside the session. */
  ownKey: Uint8Array<ArrayBuffer>;
}

/**
 * Starts the frame worker (where frames are sealed in one), then asks for the
 * camera or microphone; throws, with the devices let go, when the call
 * `ended()` meanwhile.
 */
export async function openMedia(
  frames: CallFrames,
  media: CallMedia,
  ended: () => boolean,
): Promise<MediaStream> {
  await frames.start();
  const local = await openLocalMedia(media);
  if (ended()) {
    for (const track of local.getTracks()) track.stop();
    throw new Error("the call has ended");
  }
  return local;
}

/**
 * Takes the peer's frame key and its word on sealing frames from its offer
 * or answer; returns the protection the call has: "frames" when both seal.
 */
export function takePeerKey(
  frames: CallFrames,
  peer: { key: string; frames: boolean },
): CallSnapshot["protection"] {
  frames.setPeerKey(decodeBase64Url(peer.key, { length: CALL_KEY_BYTES }));
  frames.enabled = peer.frames && framesSupported();
  return frames.enabled ? "frames" : "dtls";
}

/** Makes and sends the caller's offer; resolves whether it went out. */
export async function sendOffer(
  host: OfferHost,
  pc: RTCPeerConnection,
  local: MediaStream,
  media: CallMedia,
): Promise<boolean> {
  const sdp = await makeOffer(pc, local, host.frames);
  return await host.calls.send({
    type: "call-offer",
    call: host.call,
    media,
    sdp,
    key: encodeBase64Url(host.ownKey),
    frames: framesSupported(),
  });
}

/** Makes and sends the callee's answer to `offer`; resolves whether it went out. */
export async function sendAnswer(
  host: OfferHost,
  pc: RTCPeerConnection,
  offer: CallOfferPayload,
  local: MediaStream,
): Promise<boolean> {
  const sdp = await answerOffer(pc, offer.sdp, local, host.frames);
  return await host.calls.send({
    type: "call-answer",
    call: host.call,
    sdp,
    key: encodeBase64Url(host.ownKey),
    frames: host.frames.enabled,
  });
}
