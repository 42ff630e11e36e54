/**
 * The forms behind a button that a page shows to everyone but few people
 * open: the rename form and the "are you sure?" question of a button that
 * asks first. Each is fetched as the pointer or focus reaches its button, or
 * while the chat page is idle (`islands/chat/lazy_parts.ts`).
 *
 * @module
 */
import { lazy } from "./lazy.ts";
import type { ConfirmQuestionProps } from "./ConfirmQuestion.tsx";
import type { NameFormProps } from "./NameForm.tsx";

/** `NameForm` of `NameForm.tsx`, fetched when "Rename" is near. */
export const NameForm = lazy<NameFormProps>(() =>
  import("./NameForm.tsx").then((module) => module.NameForm)
);

/** `ConfirmQuestion` of `ConfirmQuestion.tsx`, fetched when a button that asks first is near. */
export const ConfirmQuestion = lazy<ConfirmQuestionProps>(() =>
  import("./ConfirmQuestion.tsx").then((module) => module.ConfirmQuestion)
);
