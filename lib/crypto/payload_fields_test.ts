import assert from "node:assert/strict";
import {
  checkBase64Field,
  checkInteger,
  checkOneOf,
  checkShortText,
  checkText,
  checkUlidList,
} from "./payload_fields.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const OTHER = "01JGZ5Q3V0K8N9P2R4S6T7W8XZ";

Deno.test("field checks with a limit name the field and the limit they were given", () => {
  assert.equal(checkText(4)("éé", "text"), "éé");
  assert.throws(() => checkText(4)("ééa", "text"), {
    name: "TypeError",
    message: 'Invalid payload: "text" is 5 bytes, above 4',
  });
  assert.throws(() => checkShortText(3)("", "name"), {
    message: 'Invalid payload: "name" must be 1 to 3 bytes of text',
  });
  assert.throws(() => checkInteger(1, 2)(3, "chunks"), {
    message: 'Invalid payload: "chunks" must be an integer from 1 to 2',
  });
  assert.throws(() => checkOneOf([0, 300])(60, "seconds"), {
    message: 'Invalid payload: "seconds" must be one of 0, 300',
  });
  assert.throws(() => checkBase64Field(3)("AAAAAAAA", "data"), {
    message: 'Invalid payload: "data" must be base64url of at most 3 bytes',
  });
});

Deno.test("checkUlidList() returns a copy of 1 to maxIds distinct ULIDs and refuses the rest", () => {
  const ids = [ID, OTHER];
  const copy = checkUlidList(2)(ids, "ids");
  assert.deepEqual(copy, ids);
  assert.notEqual(copy, ids);
  for (const bad of [[], [ID, OTHER, ID.slice(0, -1) + "W"], "not a list"]) {
    assert.throws(() => checkUlidList(2)(bad, "ids"), {
      message: 'Invalid payload: "ids" must be a list of 1 to 2 ULIDs',
    });
  }
  assert.throws(() => checkUlidList(2)([ID, ID], "ids"), {
    message: 'Invalid payload: "ids" lists an ID twice',
  });
  assert.throws(() => checkUlidList(2)([ID, "x"], "ids"), {
    message: 'Invalid payload: "ids" must be a ULID',
  });
});
