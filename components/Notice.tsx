import type { ComponentChildren } from "preact";
import { t } from "../lib/i18n/i18n.ts";

/** Props of {@linkcode Notice}. */
export interface NoticeProps {
  title: string;
  children: ComponentChildren;
  /** Tone of the icon: an error, a warning or plain information. */
  tone?: "error" | "warning" | "info";
  /** Where the main action leads; defaults to the home page. */
  actionHref?: string;
  actionLabel?: string;
}

const ICONS = { error: "✕", warning: "!", info: "i" };

/** A full-width message that replaces a page: not found, full, damaged link. */
export function Notice(props: NoticeProps) {
  const tone = props.tone ?? "info";
  return (
    <section class={`notice notice-${tone}`} aria-labelledby="notice-title">
      <div class="notice-icon" aria-hidden="true">{ICONS[tone]}</div>
      <h1 id="notice-title">{props.title}</h1>
      <div class="notice-body">{props.children}</div>
      <a class="button" href={props.actionHref ?? "/"}>
        {props.actionLabel ?? t("common.new_conversation")}
      </a>
    </section>
  );
}
