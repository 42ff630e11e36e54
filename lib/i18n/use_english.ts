/**
 * Makes English the active language, for unit tests of code that speaks
 * (import this module first). Pages get their language from the request.
 *
 * @module
 */
import { readLocaleMessages } from "./catalogue_files.ts";
import { setCatalogue } from "./i18n.ts";

setCatalogue({
  tag: "en",
  dir: "ltr",
  messages: await readLocaleMessages(new URL("../../locales/en/", import.meta.url)),
});
