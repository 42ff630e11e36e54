import { Notice } from "../components/Notice.tsx";

export const title = "Not found";

/** The page for any path that is not a route. */
export default function NotFound() {
  return (
    <Notice title="Nothing here" tone="info">
      <p>This page does not exist.</p>
    </Notice>
  );
}
