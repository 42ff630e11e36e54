import assert from "node:assert/strict";
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { RelayRoom } from "./relay_room.ts";

const ADAM = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const EVE = "01JD3Q8Z5W0000000000000000";

function record(): ConversationRecord {
  return {
    version: 1,
    id: "01JD3Q8Z5X0000000000000000",
    createdAt: "2026-11-24T15:00:00.000Z",
    modifiedAt: "2026-11-24T15:00:00.000Z",
    expiresAt: "2026-12-01T15:00:00.000Z",
    accessKey: "A".repeat(43),
    participants: [{
      id: ADAM,
      bundle: {
        v: 2,
        sign: "S".repeat(43),
        dh: "D".repeat(43),
        spk: "P".repeat(43),
        pqspk: "Q".repeat(1580),
        prekeySig: "G".repeat(86),
        access: "X".repeat(86),
      },
    }],
  };
}

Deno.test("a room keeps only each participant's ID and signing key, not the bundles", () => {
  const room = new RelayRoom(record(), true);
  assert.deepEqual([...room.participants], [[ADAM, "S".repeat(43)]]);
  assert.equal(room.expiresAt, Date.parse("2026-12-01T15:00:00.000Z"));
  room.learn([{ id: EVE, bundle: { v: 2, sign: "T".repeat(43), dh: "E".repeat(43), access: "" } }]);
  room.learn(record().participants);
  assert.deepEqual([...room.participants], [[ADAM, "S".repeat(43)], [EVE, "T".repeat(43)]]);
});

Deno.test("a participant's fast spellings name the other participant, once both are known", () => {
  const room = new RelayRoom(record(), true);
  assert.equal(room.spellingOf(ADAM), null);
  room.learn([{ id: EVE, bundle: { v: 2, sign: "T".repeat(43), dh: "E".repeat(43), access: "" } }]);
  const adams = room.spellingOf(ADAM);
  const eves = room.spellingOf(EVE);
  assert.deepEqual([adams?.from, adams?.to], [ADAM, EVE]);
  assert.deepEqual([eves?.from, eves?.to], [EVE, ADAM]);
  assert.equal(room.spellingOf("01JD3Q8Z5Y1111111111111111"), null);
  const ack = JSON.stringify({ type: "ack", id: ADAM, to: EVE });
  assert.equal(adams?.ack(ack), JSON.stringify({ type: "ack", id: ADAM, from: ADAM }));
  assert.equal(eves?.ack(ack), null);
});
