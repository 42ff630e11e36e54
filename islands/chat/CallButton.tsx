import { useSignal } from "../../lib/web/use_signal.ts";
import type { ComponentType } from "preact";
import { useEffect } from "preact/hooks";
import type { Calls } from "../../lib/client/calls.ts";
import type { LazyCalls } from "../../lib/client/lazy_calls.ts";
import type { ClientView } from "../../lib/client/conversation_client.ts";
import { t } from "../../lib/i18n/i18n.ts";
import type { CallPanelProps, CallRequest } from "./CallPanel.tsx";

/** Props of {@linkcode CallButtons}. */
export interface CallButtonsProps {
  view: ClientView;
  /** The client's call signalling, once a client is open. */
  calls: LazyCalls | null;
}

let panel: Promise<ComponentType<CallPanelProps>> | null = null;

/** Loads the call code the first time a call starts or rings. */
function loadPanel(): Promise<ComponentType<CallPanelProps>> {
  panel ??= import("./CallPanel.tsx").then((m) => m.CallPanel, (error) => {
    panel = null;
    throw error;
  });
  return panel;
}

/** The call panel and the signalling it talks through, once both are loaded. */
interface LoadedCall {
  Panel: ComponentType<CallPanelProps>;
  calls: Calls;
}

/**
 * The audio and video call buttons of the header, and the call panel while a
 * call is placed or rings. The panel and everything a call needs load only
 * then, so the chat page stays light.
 */
export function CallButtons({ view, calls }: CallButtonsProps) {
  const request = useSignal<CallRequest | null>(null);
  const loaded = useSignal<LoadedCall | null>(null);
  const open = (next: CallRequest) => {
    request.value = next;
    if (calls === null) return;
    Promise.all([loadPanel(), calls.load()])
      .then(([Panel, signalling]) => loaded.value = { Panel, calls: signalling })
      .catch(() => request.value = null);
  };
  useEffect(() => {
    if (view.callRinging !== null && request.value === null) open({ kind: "answer" });
  }, [view.callRinging, request.value === null]);
  if (view.peer === "waiting" || view.closed !== null || calls === null) return null;
  const busy = request.value !== null;
  const blocked = view.callBlocked;
  const call = loaded.value;
  return (
    <>
      {(["audio", "video"] as const).map((media) => (
        <button
          key={media}
          class="button call-button"
          type="button"
          data-testid={`call-${media}`}
          disabled={busy || blocked !== null}
          title={blocked ?? t("call.title", { media })}
          onClick={() => open({ kind: "place", media })}
        >
          {media === "audio" ? t("call.button_audio") : t("call.button_video")}
        </button>
      ))}
      {request.value !== null && call !== null && (
        <call.Panel
          calls={call.calls}
          request={request.value}
          onClose={() => request.value = null}
        />
      )}
    </>
  );
}
