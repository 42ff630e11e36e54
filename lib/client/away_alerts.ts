/**
 * The alerts of a message that arrives while the page is out of sight (a
 * count on the tab icon, a sound, a desktop notification), in one module the
 * chat page fetches when the first such message arrives with one of them
 * chosen in Settings.
 *
 * @module
 */
export { playAlertSound } from "./alert_sound.ts";
export { showNewMessageNotification } from "./desktop_notification.ts";
export { FaviconBadge } from "./favicon_badge.ts";
