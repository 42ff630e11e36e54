/**
 * The parts of the chat page that only some visits show, each fetched the
 * first time it is shown: the QR code (of the invite link, or of the safety
 * number), whose encoder is a third of the page's code, the notices that
 * replace the conversation (a damaged link, another tab, an ended
 * conversation…), the invite offer, and the panels a person opens (search,
 * verification, a message's actions, an image) or that show in some states
 * only (the invite link, the end warning, a warning, a file). Code they share with the page
 * stays in the page's one file (see `lib/web/chunk_merge.ts`).
 *
 * Once the conversation is open, {@linkcode preloadChatParts} fetches the
 * panels a person may open while the browser is idle, so opening one shows
 * it at once.
 *
 * @module
 */
import { channelCode } from "../../lib/client/channel_code.ts";
import { inboxCode } from "../../lib/client/lazy_inbox.ts";
import { lazy } from "../common/lazy.ts";
import { ConfirmQuestion, NameForm } from "../common/lazy_forms.ts";
import type { ComposerContextProps } from "./ComposerContext.tsx";
import type { EndWarningProps } from "./EndWarning.tsx";
import type { FileBubbleProps } from "./FileBubble.tsx";
import type { HistorySearchProps } from "./HistorySearch.tsx";
import type { ImageViewerProps } from "./ImageViewer.tsx";
import type { InvitePanelProps } from "./InvitePanel.tsx";
import type { JoinInviteProps } from "./JoinInvite.tsx";
import type { JoinedNoticeProps } from "./JoinedNotice.tsx";
import type { MessageActionsPanelProps } from "./MessageActionsPanel.tsx";
import type { VerificationProps } from "./Verification.tsx";
import type { PhaseNoticeProps } from "./PhaseNotice.tsx";
import type { ProblemsProps } from "./Problems.tsx";
import type { QrCodeProps } from "./QrCode.tsx";

/** `QrCode` of `QrCode.tsx`, fetched when first shown. */
export const QrCode = lazy<QrCodeProps>(() =>
  import("./QrCode.tsx").then((module) => module.QrCode)
);

/** `PhaseNotice` of `PhaseNotice.tsx`, fetched when first shown. */
export const PhaseNotice = lazy<PhaseNoticeProps>(() =>
  import("./PhaseNotice.tsx").then((module) => module.PhaseNotice)
);

/** `JoinInvite` of `JoinInvite.tsx`, fetched with an invite link (`invite_step.ts`). */
export const JoinInvite = lazy<JoinInviteProps>(() =>
  import("./JoinInvite.tsx").then((module) => module.JoinInvite)
);

/** `HistorySearch` of `HistorySearch.tsx`, fetched when the search opens. */
export const HistorySearch = lazy<HistorySearchProps>(() =>
  import("./HistorySearch.tsx").then((module) => module.HistorySearch)
);

/** `Verification` of `Verification.tsx`, fetched when the panel opens. */
export const Verification = lazy<VerificationProps>(() =>
  import("./Verification.tsx").then((module) => module.Verification)
);

/** `InvitePanel` of `InvitePanel.tsx`: the creator's link while nobody joined. */
export const InvitePanel = lazy<InvitePanelProps>(() =>
  import("./InvitePanel.tsx").then((module) => module.InvitePanel)
);

/** `EndWarning` of `EndWarning.tsx`, fetched when the end is near or a request comes. */
export const EndWarning = lazy<EndWarningProps>(() =>
  import("./EndWarning.tsx").then((module) => module.EndWarning)
);

/** `MessageActionsPanel` of `MessageActionsPanel.tsx`: what the "…" beside a message opens. */
export const MessageActionsPanel = lazy<MessageActionsPanelProps>(() =>
  import("./MessageActionsPanel.tsx").then((module) => module.MessageActionsPanel)
);

/** `ImageViewer` of `ImageViewer.tsx`, fetched when an image is opened. */
export const ImageViewer = lazy<ImageViewerProps>(() =>
  import("./ImageViewer.tsx").then((module) => module.ImageViewer)
);

/**
 * `ComposerContext` of `ComposerContext.tsx`: the message answered or edited,
 * above the message field. Fetched when a message's actions open (where a
 * reply or an edit starts), else when first shown.
 */
export const ComposerContext = lazy<ComposerContextProps>(() =>
  import("./ComposerContext.tsx").then((module) => module.ComposerContext)
);

/** `Problems` of `Problems.tsx`: the warnings that pause sending, fetched when one comes. */
export const Problems = lazy<ProblemsProps>(() =>
  import("./Problems.tsx").then((module) => module.Problems)
);

/** `JoinedNotice` of `JoinedNotice.tsx`: told to the creator when someone joins. */
export const JoinedNotice = lazy<JoinedNoticeProps>(() =>
  import("./JoinedNotice.tsx").then((module) => module.JoinedNotice)
);

/**
 * `FileBubble` of `FileBubble.tsx`: a file in the history. Fetched with the
 * conversation when its history holds a file (see the chat island), else
 * when the first file comes or goes.
 */
export const FileBubble = lazy<FileBubbleProps>(() =>
  import("./FileBubble.tsx").then((module) => module.FileBubble)
);

/**
 * Fetches, while the browser is idle, the panels and forms a person may open
 * in an open conversation (renaming, the question before deleting). A
 * failure is left for the panel to report when shown.
 */
export function preloadChatParts(): void {
  const parts = [
    MessageActionsPanel,
    FileBubble,
    Problems,
    HistorySearch,
    Verification,
    ImageViewer,
    EndWarning,
    JoinedNotice,
    NameForm,
    ConfirmQuestion,
  ];
  whenIdle(() => {
    // The code that seals, opens and takes messages, so the first one goes at once.
    channelCode().catch(() => {});
    inboxCode().catch(() => {});
    for (const part of parts) part.preload().catch(() => {});
  });
}

/** Runs `work` once the browser is idle (after a short wait where it cannot say). */
export function whenIdle(work: () => void): void {
  const idle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
  idle(() => work());
}
