import { Notice } from "../../components/Notice.tsx";
import Chat from "../../islands/Chat.tsx";
import { isUlid } from "../../lib/protocol/validate.ts";
import { t } from "../../lib/i18n/i18n.ts";
import type { AppState } from "../../lib/server/app_state.ts";
import type { Handlers, PageProps } from "../../lib/web/types.ts";

export const title = () => t("pages.conversation_title");

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
      <Notice title={t("pages.conversation_not_found")} tone="error">
        <p>{t("pages.conversation_not_found_text")}</p>
      </Notice>
    );
  }
  return <Chat conversationId={params.id} maxLifetime={state.config.maxLifetime} />;
}
