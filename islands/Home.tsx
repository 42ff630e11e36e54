import { useSignal } from "../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { AdmissionError } from "../lib/client/admission_http.ts";
import { formatRemaining, LIFETIME_CHOICES } from "../lib/client/format.ts";
import { IdbStorage } from "../lib/client/idb_storage.ts";
import { createConversation } from "../lib/client/lazy_admission.ts";
import type { StoredConversation } from "../lib/client/storage.ts";
import { checkBrowserSupport } from "../lib/client/support.ts";
import { island } from "../lib/web/island.ts";

/** Props of the home island: plain JSON from the server. */
export interface HomeProps {
  /** The longest lifetime this server allows, in seconds. */
  maxLifetime: number;
}

interface Listed {
  id: string;
  role: StoredConversation["role"];
  createdAt: string;
  expiresAt: string;
  ended: boolean;
}

/** Starts a conversation, and lists those this browser keeps. */
function Home({ maxLifetime }: HomeProps) {
  const choices = LIFETIME_CHOICES.filter((c) => c.seconds <= maxLifetime);
  const lifetime = useSignal(String(
    choices.find((c) => c.seconds === 24 * 60 * 60)?.seconds ??
      choices.at(-1)?.seconds ?? maxLifetime,
  ));
  const busy = useSignal(false);
  // False until this island runs in the browser: before that, the button
  // would submit the form as a plain page load and create nothing.
  const ready = useSignal(false);
  const error = useSignal<string | null>(null);
  const unsupported = useSignal<string | null>(null);
  const listed = useSignal<Listed[] | null>(null);

  useEffect(() => {
    ready.value = true;
    checkBrowserSupport().then(async (reason) => {
      unsupported.value = reason;
      if (reason !== null) return;
      const all = await new IdbStorage().listConversations();
      listed.value = all
        .map((c) => ({
          id: c.id,
          role: c.role,
          createdAt: c.createdAt,
          expiresAt: c.expiresAt,
          ended: c.closed !== null || Date.parse(c.expiresAt) <= Date.now(),
        }))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    }).catch((e) => error.value = `This browser's storage cannot be read: ${e.message}`);
  }, []);

  async function onCreate(event: Event) {
    event.preventDefault();
    busy.value = true;
    error.value = null;
    try {
      const conversation = await createConversation({
        baseUrl: location.origin,
        storage: new IdbStorage(),
        lifetime: Number(lifetime.value),
      });
      location.assign(`/c/${conversation.id}`);
    } catch (e) {
      busy.value = false;
      error.value = e instanceof AdmissionError
        ? e.message
        : `The conversation could not be created: ${(e as Error).message}`;
    }
  }

  if (unsupported.value !== null) {
    return (
      <section class="card warning-card" role="alert">
        <h2>This browser cannot be used here</h2>
        <p>{unsupported.value}</p>
      </section>
    );
  }

  return (
    <>
      <form class="card create" onSubmit={onCreate} aria-labelledby="create-title">
        <h2 id="create-title">Start a conversation</h2>
        <p class="muted">
          You get a link to send to one other person. The conversation and its keys are deleted from
          the server when its time runs out.
        </p>
        <div class="create-row">
          <label for="lifetime">Ends after</label>
          <select
            id="lifetime"
            name="lifetime"
            value={lifetime.value}
            onChange={(e) => lifetime.value = (e.target as HTMLSelectElement).value}
          >
            {choices.map((c) => <option key={c.seconds} value={String(c.seconds)}>{c.label}
            </option>)}
          </select>
          <button
            class="button primary"
            type="submit"
            disabled={busy.value || !ready.value}
            id="create"
            aria-describedby={ready.value ? undefined : "create-wait"}
          >
            {busy.value ? "Creating…" : "Create conversation"}
          </button>
        </div>
        {!ready.value && (
          <p class="muted" id="create-wait" data-testid="create-wait">
            Getting ready… Creating a conversation needs JavaScript, which is still loading or
            turned off.
          </p>
        )}
        {error.value && <p class="error" role="alert">{error.value}</p>}
      </form>
      {listed.value !== null && listed.value.length > 0 && (
        <section class="card" aria-labelledby="kept-title">
          <h2 id="kept-title">In this browser</h2>
          <ul class="conversation-list">
            {listed.value.map((c) => (
              <li key={c.id}>
                <a href={`/c/${c.id}`}>
                  <span class="conversation-name">
                    {c.role === "creator" ? "Started here" : "Joined here"} ·{" "}
                    {new Date(c.createdAt).toLocaleString()}
                  </span>
                  <span class={c.ended ? "badge ended" : "badge"}>
                    {c.ended ? "Ended" : `Ends ${formatRemaining(c.expiresAt)}`}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export default island("Home", Home);
