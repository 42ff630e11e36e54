/**
 * Registers the service worker (`/sw.js`) for the islands build the page
 * runs, so the shell works offline and a new build brings a new worker. The
 * boot script of every page with islands runs it once the islands are
 * hydrated; a page without islands loads no script and needs no worker.
 *
 * @module
 */

/**
 * Registers `/sw.js?build=<id>` with scope `/` unless a worker of that build
 * is already registered. The build's ID is read from the boot script's
 * address (`/_islands/<id>/boot.js`). Offline, refused or unsupported, it
 * does nothing: the app works without the worker, only not offline.
 */
export async function registerServiceWorker(): Promise<void> {
  const boot = document.querySelector<HTMLScriptElement>('script[src^="/_islands/"]');
  const build = boot && new URL(boot.src).pathname.split("/")[2];
  if (!build || !("serviceWorker" in navigator)) return;
  const script = `/sw.js?build=${encodeURIComponent(build)}`;
  try {
    const current = await navigator.serviceWorker.getRegistration("/");
    const active = current?.active ?? current?.waiting ?? current?.installing;
    if (active && new URL(active.scriptURL).search === new URL(script, location.href).search) {
      return;
    }
    await navigator.serviceWorker.register(script, { scope: "/" });
  } catch {
    // Offline or refused: the app works without it, only not offline.
  }
}
