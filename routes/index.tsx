import Home from "../islands/Home.tsx";
import type { AppState } from "../lib/server/app_state.ts";
import type { PageProps } from "../lib/web/types.ts";

export const title = "Private conversations";

/** The home page: start a conversation, or reopen one kept in this browser. */
export default function HomePage({ state }: PageProps<unknown, AppState>) {
  return (
    <div class="home">
      <section class="hero">
        <h1>Talk privately. Leave nothing behind.</h1>
        <p class="lede">
          A conversation for two, encrypted in your browsers. This server relays sealed messages and
          forgets them; the history lives only with the two of you.
        </p>
      </section>
      <Home maxLifetime={state.config.maxLifetime} />
      <section class="facts" aria-label="How it works">
        <div>
          <h2>Keys stay with you</h2>
          <p>
            Each browser makes its own keys. The invite link carries a secret the server never sees,
            so it cannot slip in keys of its own.
          </p>
        </div>
        <div>
          <h2>Nothing kept on the server</h2>
          <p>
            The server stores only public keys and dates, and deletes even those when the
            conversation ends.
          </p>
        </div>
        <div>
          <h2>Offline is fine</h2>
          <p>
            Messages for someone who is away wait in your browser, not on the server, and go out
            when they come back.
          </p>
        </div>
      </section>
    </div>
  );
}
