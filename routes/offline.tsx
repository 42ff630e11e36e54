import { Notice } from "../components/Notice.tsx";

export const title = "Offline";

/**
 * Shown by the service worker when a page cannot be loaded without a
 * network. Conversations need the server to relay, so none opens offline.
 */
export default function OfflinePage() {
  return (
    <Notice title="You are offline" tone="info" actionHref="/" actionLabel="Try again">
      <p>
        This page needs a connection. Your conversations are safe in this browser; open them again
        when you are back online.
      </p>
    </Notice>
  );
}
