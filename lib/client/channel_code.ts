/**
 * The code that seals and opens messages (`secure_channel.ts`: the ratchet,
 * the envelope, the payloads' checks), fetched the first time a message is
 * sealed or opened, or while the browser is idle once the conversation is
 * open (see `preloadChatParts`): a page that only shows its history needs
 * none of it. A failed fetch rejects; nothing was sealed or taken.
 *
 * @module
 */

/** Fetches (once per page) and returns `secure_channel.ts`. */
export const channelCode = () => import("./secure_channel.ts");
