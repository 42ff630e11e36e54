import type { Handlers, PageProps } from "../../../types.ts";

export const handler: Handlers = {
  GET(ctx) {
    return ctx.render({ upper: ctx.params.id.toUpperCase() });
  },
};

export function title(props: PageProps<{ upper: string }>) {
  return `Conversation ${props.params.id}`;
}

export default function Conversation(props: PageProps<{ upper: string }>) {
  return <h1>{props.data.upper}</h1>;
}
