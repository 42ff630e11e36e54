import type { TimelineItem } from "../../lib/client/timeline.ts";

/** A day line ("Today") or a local line ("They joined") of the history. */
export function TimelineLine({ item }: { item: TimelineItem }) {
  if (item.type === "day") {
    return (
      <li class="day-line" data-kind="day">
        <time dateTime={new Date(item.at).toISOString().slice(0, 10)}>{item.label}</time>
      </li>
    );
  }
  return (
    <li class="notice-line" data-kind="joined">
      {item.text}
    </li>
  );
}
