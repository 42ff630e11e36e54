/**
 * The `RTCPeerConnection` of a call: opened with the call's route (relayed
 * only with TURN) and frame encryption wired in, the callee's tracks put on
 * the offered transceivers, and the check of the negotiated DTLS
 * certificate against the fingerprint sent inside the session.
 *
 * @module
 */
import type { CallCandidate } from "../crypto/payload_call.ts";
import type { CallRoute } from "./calls.ts";
import { checkFingerprint, type StatsLike } from "./call_fingerprint.ts";
import { type CallFrames, frameApi, framesSupported } from "./call_frames.ts";
import { preferVp8 } from "./call_media.ts";

/** What the connection reports to its call. */
export interface PeerEvents {
  candidate(candidate: CallCandidate): void;
  track(track: MediaStreamTrack): void;
  state(state: RTCPeerConnectionState): void;
}

/** Opens the connection: relay-only with TURN, encoded streams where frames are sealed. */
export function openPeer(route: CallRoute, frames: CallFrames, events: PeerEvents) {
  const config = {
    iceServers: route.iceServers,
    iceTransportPolicy: route.relayOnly ? "relay" : "all",
    // Only for Chromium's createEncodedStreams(); a script transform needs nothing here.
    encodedInsertableStreams: frameApi() === "streams",
  } as RTCConfiguration;
  const pc = new RTCPeerConnection(config);
  pc.onicecandidate = (event) => {
    const c = event.candidate;
    if (c === null || !c.candidate || c.sdpMid === null) return;
    events.candidate({
      candidate: c.candidate,
      sdpMid: c.sdpMid,
      sdpMLineIndex: c.sdpMLineIndex ?? 0,
    });
  };
  pc.ontrack = (event) => {
    if (framesSupported()) frames.attachReceiver(event.receiver);
    events.track(event.track);
  };
  pc.onconnectionstatechange = () => events.state(pc.connectionState);
  return pc;
}

/** The caller's side: a transceiver per track, VP8 for video, frames sealed. */
export function sendAsCaller(pc: RTCPeerConnection, local: MediaStream, frames: CallFrames): void {
  for (const track of local.getTracks()) {
    const transceiver = pc.addTransceiver(track, { direction: "sendrecv", streams: [local] });
    if (track.kind === "video") preferVp8(transceiver);
    if (framesSupported()) frames.attachSender(transceiver.sender, track.kind as "audio" | "video");
  }
}

/** The caller's offer: its tracks on new transceivers; returns the offer's SDP. */
export async function makeOffer(
  pc: RTCPeerConnection,
  local: MediaStream,
  frames: CallFrames,
): Promise<string> {
  sendAsCaller(pc, local, frames);
  await pc.setLocalDescription(await pc.createOffer());
  return pc.localDescription!.sdp;
}

/** The callee's answer to the offer `sdp`, with its tracks on the offered transceivers. */
export async function answerOffer(
  pc: RTCPeerConnection,
  sdp: string,
  local: MediaStream,
  frames: CallFrames,
): Promise<string> {
  await pc.setRemoteDescription({ type: "offer", sdp });
  await sendOnOffered(pc, local, frames);
  await pc.setLocalDescription(await pc.createAnswer());
  return pc.localDescription!.sdp;
}

/** The callee's side: its tracks go out on the transceivers the offer made. */
export async function sendOnOffered(
  pc: RTCPeerConnection,
  local: MediaStream,
  frames: CallFrames,
): Promise<void> {
  for (const transceiver of pc.getTransceivers()) {
    const kind = transceiver.receiver.track.kind as "audio" | "video";
    const track = local.getTracks().find((t) => t.kind === kind) ?? null;
    await transceiver.sender.replaceTrack(track);
    transceiver.direction = "sendrecv";
    if (framesSupported()) frames.attachSender(transceiver.sender, kind);
  }
}

/**
 * Whether the certificate the connection negotiated is the one `expected`
 * (from the peer's sealed SDP). Waits up to two seconds for the statistics
 * to name it; unknown after that counts as a mismatch.
 */
export async function verifyPeer(pc: RTCPeerConnection, expected: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = checkFingerprint(await pc.getStats() as unknown as StatsLike, expected);
    if (result !== "unknown") return result === "match";
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
