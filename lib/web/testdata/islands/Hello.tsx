import { useState } from "preact/hooks";
import { island } from "../../island.ts";
import Counter from "./Counter.tsx";

export interface HelloProps {
  name: string;
}

function Hello(props: HelloProps) {
  const [name] = useState(props.name);
  return (
    <p>
      Hello {name} <Counter start={1} />
    </p>
  );
}

export default island("Hello", Hello);
