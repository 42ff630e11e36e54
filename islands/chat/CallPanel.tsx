import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import type { Calls } from "../../lib/client/calls.ts";
import { canChooseOutput, listOutputs, setOutput } from "../../lib/client/call_media.ts";
import { CallSession, type CallSnapshot } from "../../lib/client/call_session.ts";
import type { CallMedia } from "../../lib/crypto/payload_call.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** What opened the panel: a call to place, or the one ringing here. */
export type CallRequest = { kind: "place"; media: CallMedia } | { kind: "answer" };

/** Props of {@linkcode CallPanel}. */
export interface CallPanelProps {
  calls: Calls;
  request: CallRequest;
  onClose(): void;
}

/** Where this browser keeps the person's consent to direct calls in one conversation. */
const consentKey = (conversationId: string) => `anonymous.directCalls.${conversationId}`;

function consented(conversationId: string): boolean {
  try {
    return localStorage.getItem(consentKey(conversationId)) === "yes";
  } catch {
    return false;
  }
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

function statusOf(call: CallSnapshot, now: number): string {
  const media = call.media;
  switch (call.phase) {
    case "calling":
      return t("call.status_calling", { media });
    case "ringing":
      return call.direction === "out"
        ? t("call.status_ringing")
        : t("call.status_incoming", { media });
    case "connecting":
      return t("call.status_connecting");
    case "connected":
      return t("call.status_connected", {
        duration: formatDuration(now - (call.connectedAt ?? now)),
      });
    case "reconnecting":
      return t("call.status_reconnecting");
    case "ended":
      return t("call.status_ended", { why: call.why ?? "" });
  }
}

/** The call: its state, the video, and the controls. Loaded only when a call starts or rings. */
export function CallPanel({ calls, request, onClose }: CallPanelProps) {
  const session = useRef<CallSession | null>(null);
  const call = useSignal<CallSnapshot | null>(null);
  const route = calls.route();
  const needsConsent = useSignal(
    request.kind === "place" && !route.relayOnly && !consented(calls.conversationId),
  );
  const error = useSignal<string | null>(null);
  const now = useSignal(Date.now());
  const outputs = useSignal<{ id: string; label: string }[]>([]);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const localVideo = useRef<HTMLVideoElement>(null);
  const onChange = () => call.value = session.current?.snapshot ?? null;
  const closed = useRef(false);

  const place = (media: CallMedia) => {
    CallSession.place(calls, media, route, onChange).then((placed) => {
      // Closed while the camera was being asked for: end it at once.
      if (closed.current) return placed.hangUp();
      session.current = placed;
      onChange();
    }).catch((e: Error) => error.value = e.message);
  };

  useEffect(() => {
    if (request.kind === "answer") {
      session.current = CallSession.receive(calls, route, onChange);
      if (session.current === null) return onClose();
      onChange();
    } else if (!needsConsent.value) {
      place(request.media);
    }
    const tick = setInterval(() => now.value = Date.now(), 1000);
    return () => {
      closed.current = true;
      clearInterval(tick);
      session.current?.hangUp();
    };
  }, []);

  const snapshot = call.value;
  useEffect(() => {
    if (remoteVideo.current && remoteVideo.current.srcObject !== snapshot?.remote) {
      remoteVideo.current.srcObject = snapshot?.remote ?? null;
    }
    if (localVideo.current && localVideo.current.srcObject !== snapshot?.local) {
      localVideo.current.srcObject = snapshot?.local ?? null;
    }
    if (snapshot?.local && canChooseOutput() && outputs.value.length === 0) {
      listOutputs().then((list) => outputs.value = list).catch(() => {});
    }
  }, [snapshot?.remote, snapshot?.local]);
  useEffect(() => {
    if (snapshot?.phase !== "ended") return;
    const timer = setTimeout(onClose, 6000);
    return () => clearTimeout(timer);
  }, [snapshot?.phase]);

  if (needsConsent.value && request.kind === "place") {
    return (
      <div
        class="call-panel"
        role="dialog"
        aria-label={t("call.consent_label")}
        data-testid="call-consent"
      >
        <p>{t("call.consent_text")}</p>
        <div class="call-controls">
          <button
            class="button primary"
            type="button"
            onClick={() => {
              try {
                localStorage.setItem(consentKey(calls.conversationId), "yes");
              } catch {
                // Private mode: asked again next time.
              }
              needsConsent.value = false;
              place(request.media);
            }}
          >
            {t("call.call_directly")}
          </button>
          <button class="button" type="button" onClick={onClose}>{t("call.cancel")}</button>
        </div>
      </div>
    );
  }
  const s = session.current;
  const video = snapshot?.media === "video";
  const active = snapshot !== null && snapshot.phase !== "ended";
  const incoming = snapshot?.direction === "in" && snapshot.phase === "ringing";
  return (
    <div
      class="call-panel"
      role="dialog"
      aria-label={t("call.panel_label")}
      data-testid="call-panel"
      data-phase={snapshot?.phase ?? (error.value ? "ended" : "starting")}
    >
      <p class="call-status" role="status" data-testid="call-status">
        {error.value ?? (snapshot ? statusOf(snapshot, now.value) : t("call.starting"))}
      </p>
      {snapshot?.protection && (
        <p
          class="call-protection muted"
          data-testid="call-protection"
          data-protection={snapshot.protection}
        >
          {snapshot.protection === "frames"
            ? t("call.protection_frames")
            : t("call.protection_dtls")}{" "}
          {route.relayOnly ? t("call.route_relay") : t("call.route_direct")}
        </p>
      )}
      {incoming && !route.relayOnly && (
        <p class="muted" data-testid="call-direct-notice">{t("call.direct_notice")}</p>
      )}
      <div class={video ? "call-media video" : "call-media"}>
        <video ref={remoteVideo} autoplay playsInline data-testid="remote-media" />
        {video && <video ref={localVideo} autoplay playsInline muted class="call-self" />}
      </div>
      <div class="call-controls">
        {incoming && (
          <>
            <button class="button primary" type="button" onClick={() => s?.accept()}>
              {t("call.accept")}
            </button>
            <button class="button danger" type="button" onClick={() => s?.decline()}>
              {t("call.decline")}
            </button>
          </>
        )}
        {active && !incoming && (
          <>
            <button
              class="button"
              type="button"
              aria-pressed={snapshot.muted}
              onClick={() => s?.setMuted(!snapshot.muted)}
            >
              {snapshot.muted ? t("call.unmute") : t("call.mute")}
            </button>
            {video && (
              <button
                class="button"
                type="button"
                aria-pressed={snapshot.cameraOff}
                onClick={() => s?.setCameraOff(!snapshot.cameraOff)}
              >
                {snapshot.cameraOff ? t("call.camera_on") : t("call.camera_off")}
              </button>
            )}
            {outputs.value.length > 1 && (
              <select
                aria-label={t("call.speaker")}
                onChange={(e) =>
                  remoteVideo.current &&
                  setOutput(remoteVideo.current, e.currentTarget.value).catch(() => {})}
              >
                {outputs.value.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
              </select>
            )}
            <button class="button danger" type="button" onClick={() => s?.hangUp()}>
              {t("call.hang_up")}
            </button>
          </>
        )}
        {!active && (
          <button class="button" type="button" onClick={onClose}>{t("call.close")}</button>
        )}
      </div>
    </div>
  );
}
