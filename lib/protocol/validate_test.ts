import assert from "node:assert/strict";
import { isUlid } from "./validate.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";

Deno.test("isUlid() accepts Crockford base32 of 26 characters only", () => {
  assert.ok(isUlid(ID));
  for (
    const bad of [
      "../x",
      "%2e%2e%2fx",
      `${ID}A`,
      ID.slice(1),
      ID.toLowerCase(),
      `${ID.slice(0, 25)}U`,
      42,
      null,
    ]
  ) {
    assert.equal(isUlid(bad), false, String(bad));
  }
});
