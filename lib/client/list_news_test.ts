import assert from "node:assert/strict";
import { LIST_NEWS_DELAY_MS, listenForListNews, ListNews } from "./list_news.ts";
import { NAMES_KEY } from "./local_names.ts";

/** A channel that keeps what is posted. */
function recordingChannel() {
  const posted: unknown[] = [];
  let closed = false;
  const channel = {
    postMessage: (message: unknown) => posted.push(message),
    close: () => closed = true,
  } as unknown as BroadcastChannel;
  return { channel, posted, closed: () => closed };
}

Deno.test("list news tells the conversation IDs that changed, at most a few times a second, and only IDs", async () => {
  const { channel, posted, closed } = recordingChannel();
  const news = new ListNews(channel);
  for (let i = 0; i < 50; i++) news.changed(i % 2 === 0 ? "A" : "B");
  assert.deepEqual(posted, []);
  await new Promise((resolve) => setTimeout(resolve, LIST_NEWS_DELAY_MS + 50));
  assert.deepEqual(posted, [{ ids: ["A", "B"] }]);
  news.changed("A");
  // Closing tells what is pending at once.
  news.close();
  assert.deepEqual(posted, [{ ids: ["A", "B"] }, { ids: ["A"] }]);
  assert.equal(closed(), true);
  news.changed("B");
  await new Promise((resolve) => setTimeout(resolve, LIST_NEWS_DELAY_MS + 50));
  assert.equal(posted.length, 2, "nothing after close");
});

Deno.test("the home list hears a change of names or a cleared storage from another tab, and nothing else of localStorage", () => {
  const target = new EventTarget();
  let heard = 0;
  const stop = listenForListNews(() => heard++, target);
  const storageEvent = (key: string | null) => Object.assign(new Event("storage"), { key });
  target.dispatchEvent(storageEvent(NAMES_KEY));
  target.dispatchEvent(storageEvent(null));
  target.dispatchEvent(storageEvent("anon:theme"));
  assert.equal(heard, 2);
  stop();
  target.dispatchEvent(storageEvent(NAMES_KEY));
  assert.equal(heard, 2);
});
