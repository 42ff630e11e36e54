import { Notice } from "../../components/Notice.tsx";
import Chat from "../../islands/Chat.tsx";
import { isUlid } from "../../lib/protocol/validate.ts";
import type { AppState } from "../../lib/server/app_state.ts";
import type { Handlers, PageProps } from "../../lib/web/types.ts";

export const title = "Conversation";

export const handler: Handlers = {
  GET(ctx) {
    // The page is the same for every conversation: whether it exists, and
    // whether this browser holds its keys, is found out in the browser.
    return ctx.render(null, { status: isUlid(ctx.params.id) ? 200 : 404 });
  },
};

/** The chat page; the invite secret is in the fragment, never sent here. */
export default function ChatPage({ params, state }: PageProps<unknown, AppState>) {
  if (!isUlid(params.id)) {
    return (
      <Notice title="Conversation not found" tone="error">
        <p>This link does not name a conversation. Check that it was copied whole.</p>
      </Notice>
    );
  }
  return <Chat conversationId={params.id} maxLifetime={state.config.maxLifetime} />;
}
