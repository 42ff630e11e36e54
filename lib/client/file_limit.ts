/**
 * The file size limit a conversation starts with, apart from the file code
 * (`file_info.ts`), which the page fetches only when a file comes or goes.
 *
 * @module
 */

/** The default largest file a browser sends or accepts: 25 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
