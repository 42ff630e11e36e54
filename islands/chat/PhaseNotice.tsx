import { Notice } from "../../components/Notice.tsx";

/** A state of the chat page that replaces the conversation with a notice. */
export type NoticePhase =
  | { name: "unsupported"; reason: string }
  | { name: "damaged" }
  | { name: "old_link" }
  | { name: "wrong_keys" }
  | { name: "not_found" }
  | { name: "not_here" }
  | { name: "invite_lost" }
  | { name: "full" }
  | { name: "failed"; message: string }
  | { name: "other_tab" }
  | { name: "taken_over" }
  | { name: "deleted_here" }
  | { name: "outdated" }
  | { name: "deleted"; server: boolean };

/** Props of {@linkcode PhaseNotice}. */
export interface PhaseNoticeProps {
  phase: NoticePhase;
  conversationId: string;
  /** Opens the conversation here although another tab has it. */
  onTakeOver(): void;
  /** Removes the conversation from this browser. */
  onRemove(): void;
}

/** Every page the chat shows instead of a conversation, in plain words. */
export function PhaseNotice({ phase: p, conversationId, onTakeOver, onRemove }: PhaseNoticeProps) {
  switch (p.name) {
    case "unsupported":
      return (
        <Notice title="This browser cannot open the conversation" tone="warning">
          <p>{p.reason}</p>
          <p>Open this page in an up-to-date browser, over HTTPS or on this computer.</p>
        </Notice>
      );
    case "damaged":
      return (
        <Notice title="This invite link is damaged" tone="error">
          <p>
            The link does not fit this conversation. It may have been cut short when it was copied.
            Ask for the link again, and copy all of it.
          </p>
        </Notice>
      );
    case "old_link":
      return (
        <Notice title="This invite link is from an older version" tone="warning">
          <p>
            Links made by the older version of The Anonymous do not name the keys of the person who
            invited you, so this version cannot check them and will not join. Ask them to start a
            new conversation and send you its link.
          </p>
        </Notice>
      );
    case "wrong_keys":
      return (
        <Notice title="These are not the keys of the person who invited you" tone="error">
          <p>
            The server presented keys for the person who invited you that this invite link does not
            name. Someone who has the link may be trying to listen in. Nothing was sent and you did
            not join.
          </p>
          <p>Ask for a new link over a channel you trust.</p>
        </Notice>
      );
    case "not_found":
      return (
        <Notice title="Conversation not found" tone="error">
          <p>This conversation has ended, was deleted, or never existed.</p>
        </Notice>
      );
    case "not_here":
      return (
        <Notice title="This browser is not part of this conversation" tone="info">
          <p>
            To join, open the full invite link you were sent, including everything after the “#”.
          </p>
        </Notice>
      );
    case "invite_lost":
      return (
        <Notice title="Open the invite link again" tone="info">
          <p>
            The invite is kept only in the open page until you press “Join conversation”, so
            reloading the page forgot it. You have not joined and nothing was sent. Open the full
            invite link you were sent once more.
          </p>
        </Notice>
      );
    case "full":
      return (
        <Notice title="This conversation is full" tone="warning">
          <p>Two people are already in it, and a conversation holds only two.</p>
        </Notice>
      );
    case "failed":
      return (
        <Notice title="The conversation could not be opened" tone="error">
          <p>{p.message}</p>
        </Notice>
      );
    case "other_tab":
      return (
        <Notice
          title="Open in another tab"
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel="Reload"
        >
          <p>This conversation is open in another tab of this browser.</p>
          <button class="button primary" type="button" onClick={onTakeOver}>
            Use it here instead
          </button>
        </Notice>
      );
    case "taken_over":
      return (
        <Notice
          title="Moved to another tab"
          tone="info"
          actionHref={`/c/${conversationId}`}
          actionLabel="Use it here"
        >
          <p>This conversation was opened in another tab, so it was closed here.</p>
        </Notice>
      );
    case "deleted_here":
      return (
        <Notice title="Deleted in another tab" tone="info">
          <p>
            This conversation was deleted from this browser in another tab, so it was closed here.
            Nothing more of it is received or kept in this browser.
          </p>
        </Notice>
      );
    case "outdated":
      return (
        <Notice title="Made with an older version" tone="info">
          <p>
            This conversation was made with an older version of The Anonymous, whose encryption this
            version no longer uses. Start a new conversation.
          </p>
          <button class="button" type="button" onClick={onRemove}>
            Remove it from this browser
          </button>
        </Notice>
      );
    case "deleted":
      return (
        <Notice title="Conversation deleted" tone="info">
          <p>
            {p.server
              ? "It is gone from the server and from this browser."
              : "It is gone from this browser. The server could not be reached, so it will be removed there when it expires."}
          </p>
        </Notice>
      );
  }
}
