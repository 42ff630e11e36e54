/**
 * The devices of a call: the camera and microphone (asked for only when a
 * call is placed or accepted), the video codec the frame encryption knows,
 * and the choice of speaker where the browser offers `setSinkId`.
 *
 * @module
 */
import type { CallMedia } from "../crypto/payload_call.ts";
import { t } from "../i18n/i18n.ts";

/** Opens the microphone, and the camera for a video call. */
export async function openLocalMedia(media: CallMedia): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new DOMException("this browser offers no camera or microphone here", "NotSupportedError");
  }
  return await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true },
    video: media === "video" ? { width: { ideal: 640 }, height: { ideal: 480 } } : false,
  });
}

/**
 * Offers VP8 only for video: the clear bytes the frame encryption leaves for
 * the packetizer are those of VP8's frame header.
 */
export function preferVp8(transceiver: RTCRtpTransceiver): void {
  const codecs = RTCRtpSender.getCapabilities?.("video")?.codecs ?? [];
  const vp8 = codecs.filter((c) => /^video\/(VP8|rtx|red|ulpfec)$/i.test(c.mimeType));
  if (vp8.some((c) => /vp8/i.test(c.mimeType)) && transceiver.setCodecPreferences) {
    transceiver.setCodecPreferences(vp8);
  }
}

/** Whether the browser lets a page choose the speaker. */
export function canChooseOutput(): boolean {
  return typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;
}

/** The speakers and headphones the page may choose from (labels once media is allowed). */
export async function listOutputs(): Promise<{ id: string; label: string }[]> {
  if (!canChooseOutput() || !navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === "audiooutput").map((d, i) => ({
    id: d.deviceId,
    label: d.label || t("call.speaker_n", { n: i + 1 }),
  }));
}

/** Plays `element` through the output device `id`. */
export async function setOutput(element: HTMLMediaElement, id: string): Promise<void> {
  await (element as HTMLMediaElement & { setSinkId(id: string): Promise<void> }).setSinkId(id);
}

/** Turns the `kind` tracks of `local` on or off (mute, camera off); returns `local`. */
export function enableTracks(
  local: MediaStream | null,
  kind: "audio" | "video",
  on: boolean,
): MediaStream | null {
  for (const track of local?.getTracks() ?? []) if (track.kind === kind) track.enabled = on;
  return local;
}
