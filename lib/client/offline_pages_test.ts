import assert from "node:assert/strict";
import { chatPagePath, forgetOfflinePages } from "./offline_pages.ts";

const A = "01J00000000000000000000000";
const B = "01J00000000000000000000001";

Deno.test("forgetting a conversation removes its kept chat page from every shell cache only", async () => {
  const opened = new Map<string, Set<string>>([
    ["anon-shell-1", new Set([chatPagePath(A), chatPagePath(B), "/"])],
    ["anon-shell-2", new Set([chatPagePath(A)])],
    ["someone-else", new Set([chatPagePath(A)])],
  ]);
  const storage = {
    keys: () => Promise.resolve([...opened.keys()]),
    open: (name: string) =>
      Promise.resolve({
        delete: (path: string) => Promise.resolve(opened.get(name)!.delete(path)),
      }),
  } as unknown as CacheStorage;
  await forgetOfflinePages([A], storage);
  assert.deepEqual([...opened.get("anon-shell-1")!], [chatPagePath(B), "/"]);
  assert.deepEqual([...opened.get("anon-shell-2")!], []);
  assert.deepEqual([...opened.get("someone-else")!], [chatPagePath(A)]);
  await forgetOfflinePages([A], undefined);
});
