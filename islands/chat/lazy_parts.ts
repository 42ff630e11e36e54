/**
 * The parts of the chat page that only some visits show, each fetched the
 * first time it is shown: the QR code (of the invite link, or of the safety
 * number), whose encoder is a third of the page's code, and the notices that
 * replace the conversation (a damaged link, another tab, an ended
 * conversation…). Neither shares code with the rest of the page, so
 * deferring them adds no shared chunk to the page's first load.
 *
 * @module
 */
import { lazy } from "../common/lazy.ts";
import type { JoinInviteProps } from "./JoinInvite.tsx";
import type { PhaseNoticeProps } from "./PhaseNotice.tsx";
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
