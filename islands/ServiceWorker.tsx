import { useEffect } from "preact/hooks";
import { island } from "../lib/web/island.ts";

/** Props of the service worker island: none. */
export type ServiceWorkerProps = Record<string, never>;

/**
 * Registers `/sw.js` for the islands build this page runs, so the shell
 * works offline and a new build brings a new worker. Renders nothing.
 */
function ServiceWorker(_props: ServiceWorkerProps) {
  useEffect(() => {
    const boot = document.querySelector<HTMLScriptElement>('script[src^="/_islands/"]');
    const build = boot && new URL(boot.src).pathname.split("/")[2];
    if (!build || !("serviceWorker" in navigator)) return;
    const script = `/sw.js?build=${encodeURIComponent(build)}`;
    navigator.serviceWorker.getRegistration("/").then((current) => {
      const active = current?.active ?? current?.waiting ?? current?.installing;
      if (active && new URL(active.scriptURL).search === new URL(script, location.href).search) {
        return;
      }
      return navigator.serviceWorker.register(script, { scope: "/" });
    }).catch(() => {
      // Offline or refused: the app works without it, only not offline.
    });
  }, []);
  return null;
}

export default island("ServiceWorker", ServiceWorker);
