import { t } from "../../lib/i18n/i18n.ts";
import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import type { ConnectionState } from "../../lib/client/conversation_client.ts";

/** Props of {@linkcode OfflineNotice}. */
export interface OfflineNoticeProps {
  connection: ConnectionState;
}

/**
 * Says that the history shown is what this browser keeps, while the browser
 * is offline or the server cannot be reached: the page then opened from the
 * service worker's copy and the client from stored state.
 */
export function OfflineNotice({ connection }: OfflineNoticeProps) {
  const online = useSignal(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const update = () => online.value = navigator.onLine;
    globalThis.addEventListener("online", update);
    globalThis.addEventListener("offline", update);
    return () => {
      globalThis.removeEventListener("online", update);
      globalThis.removeEventListener("offline", update);
    };
  }, []);
  if (online.value && connection !== "reconnecting") return null;
  return (
    <p class="banner banner-info offline-notice" role="status" data-testid="offline">
      {online.value ? t("chat.offline_unreachable") : t("chat.offline_offline")}
    </p>
  );
}
