import type { RefObject } from "preact";
import type { LazyCalls } from "../../lib/client/lazy_calls.ts";
import type { ClientView } from "../../lib/client/conversation_client.ts";
import { formatRemaining } from "../../lib/client/format.ts";
import { displayTitle, type LocalNames } from "../../lib/client/local_names.ts";
import { t } from "../../lib/i18n/i18n.ts";
import { formatDate } from "../../lib/i18n/formats.ts";
import { useSignal } from "../../lib/web/use_signal.ts";
import { NameEditor } from "../common/NameEditor.tsx";
import { CallButtons } from "./CallButton.tsx";
import { DeleteButton } from "./DeleteButton.tsx";
import { Verification } from "./lazy_parts.ts";
import { TimerSelect } from "./TimerSelect.tsx";

/** Props of {@linkcode ChatHeader}. */
export interface ChatHeaderProps {
  view: ClientView;
  /** The names this browser gave the conversation and the other person. */
  names: LocalNames;
  onRename(names: LocalNames): void;
  /** Call signalling of the open client (calls load their code on first use). */
  calls: LazyCalls | null;
  /** Whether the history search is open (it shows below the header). */
  searching: boolean;
  searchButton: RefObject<HTMLButtonElement | null>;
  onToggleSearch(): void;
  /** Whether the safety number panel is open. */
  verifying: boolean;
  onVerifying(open: boolean): void;
  /** The safety number once it is computed. */
  safetyNumber: string | null;
  onVerify(verified: boolean): void;
  expiresAt: string;
  onTimer(seconds: number): void;
  onDelete(): Promise<void>;
}

/** How the other person is, as the person is told: catalogue keys. */
const PEER_LABELS = {
  waiting: "chat.peer_waiting",
  online: "chat.peer_online",
  offline: "chat.peer_offline",
};

/** The same while the secure session is being set up. */
const SECURING_LABELS = {
  online: "chat.peer_online_securing",
  offline: "chat.peer_offline_securing",
};

/**
 * The conversation's header: who it is with and how they are, the call,
 * rename, search and verify buttons with the safety number panel, the
 * timer, when it ends, and Delete.
 *
 * On a phone-wide screen the header keeps to the person, the calls and when
 * the conversation ends; "More" shows the rest (a disclosure: its controls
 * stay in the page's order and in Tab order once shown). Wider, "More" is
 * not shown and every control is.
 */
export function ChatHeader(props: ChatHeaderProps) {
  const { view } = props;
  const more = useSignal(false);
  const isVerified = props.safetyNumber !== null && view.verified === props.safetyNumber;
  const reconnecting = view.connection === "reconnecting" || view.connection === "connecting";
  return (
    <header class={more.value ? "chat-header more-open" : "chat-header"}>
      <div class="peer">
        <span class={`dot dot-${view.peer}`} aria-hidden="true" />
        <div>
          <h1 class="peer-name" dir="auto" data-testid="chat-title">
            {displayTitle(props.names, t("chat.conversation"))}
            {props.names.conversation && props.names.peer && (
              <>
                {" "}
                <span class="peer-alias" dir="auto">
                  {t("chat.with_peer", { name: props.names.peer })}
                </span>
              </>
            )}
          </h1>
          <p class="peer-state" role="status" data-testid="peer-state" data-state={view.peer}>
            {view.closed !== null
              ? t("chat.ended")
              : reconnecting
              ? t("chat.connecting")
              : view.peer !== "waiting" && !view.secure
              ? t(SECURING_LABELS[view.peer])
              : t(PEER_LABELS[view.peer])}
          </p>
        </div>
      </div>
      <div class="chat-actions">
        <CallButtons view={view} calls={props.calls} />
        <button
          class="button more-toggle"
          type="button"
          aria-expanded={more.value}
          onClick={() => more.value = !more.value}
        >
          {t("chat.more")}
        </button>
        <div class="chat-more">
          <NameEditor
            names={props.names}
            idPrefix="chat-name"
            label={t("chat.rename")}
            onSave={props.onRename}
          />
          <button
            ref={props.searchButton}
            class="button"
            type="button"
            aria-expanded={props.searching}
            onClick={props.onToggleSearch}
          >
            {t("chat.search")}
          </button>
          {view.peer !== "waiting" && (
            <button
              class={isVerified ? "button verified" : "button"}
              type="button"
              aria-expanded={props.verifying}
              aria-controls="verification"
              onClick={() => props.onVerifying(!props.verifying)}
            >
              {isVerified ? t("chat.verified") : t("chat.verify")}
            </button>
          )}
        </div>
      </div>
      {
        /* The panel comes right after its button, before the timer and
        Delete, in the page and in Tab order. */
      }
      {props.verifying && view.peer !== "waiting" && (
        <Verification
          safetyNumber={props.safetyNumber}
          verified={view.verified}
          kemBackend={view.kemBackend}
          onVerify={props.onVerify}
          onClose={() => props.onVerifying(false)}
        />
      )}
      <div class="chat-actions chat-actions-end">
        {view.peer !== "waiting" && view.closed === null && (
          <TimerSelect
            value={view.timer}
            disabled={!view.canSend}
            onCommit={props.onTimer}
          />
        )}
        {view.closed === null && (
          <span
            class="expiry"
            title={formatDate(Date.parse(props.expiresAt), {
              dateStyle: "medium",
              timeStyle: "short",
            })}
          >
            {t("time.ends", { when: formatRemaining(props.expiresAt) })}
          </span>
        )}
        {view.closed === null && <DeleteButton onDelete={props.onDelete} />}
      </div>
    </header>
  );
}
