import { useSignal } from "@preact/signals";
import { island } from "../../island.ts";

export interface CounterProps {
  start: number;
  label?: string;
}

function Counter(props: CounterProps) {
  const count = useSignal(props.start);
  return (
    <button type="button" onClick={() => count.value++}>
      {props.label ?? "Count"}: {count}
    </button>
  );
}

export default island("Counter", Counter);
