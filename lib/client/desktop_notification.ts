/**
 * Desktop notifications that say only that something arrived: never the
 * text, the sender or the conversation.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";

/** Whether this browser may show notifications, or cannot at all. */
export type DesktopPermission = NotificationPermission | "unsupported";

/** The notification text's catalogue key; the text is deliberately free of content. */
export const NEW_MESSAGE_TEXT = "chat.notification_new_message";

/** The current permission, or "unsupported" without the Notification API. */
export function desktopPermission(): DesktopPermission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** Asks for permission; call only from a click, as browsers require. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (typeof Notification === "undefined") return "unsupported";
  return await Notification.requestPermission();
}

/**
 * Shows "New message" when permission is granted; a click brings the tab
 * forward. One notification at a time: a newer one replaces the last.
 */
export function showNewMessageNotification(): void {
  if (desktopPermission() !== "granted") return;
  try {
    const notification = new Notification(t("common.product"), {
      body: t(NEW_MESSAGE_TEXT),
      tag: "the-anonymous-new-message",
      icon: "/icon-192.png",
    });
    notification.onclick = () => {
      globalThis.focus();
      notification.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the
    // title and badge still tell.
  }
}
