import Counter from "../islands/Counter.tsx";
import Hello from "../islands/Hello.tsx";

const LINE_SEPARATED = "a\u2028b";
export const title = "Home";

export default function Home() {
  return (
    <main>
      <Counter start={3} label="</script><!--" />
      <Hello name={LINE_SEPARATED} />
    </main>
  );
}
