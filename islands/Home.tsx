import { useSignal } from "../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import { AdmissionError } from "../lib/client/admission_http.ts";
import { LIFETIME_CHOICES } from "../lib/client/format.ts";
import { IdbStorage } from "../lib/client/idb_storage.ts";
import { createConversation } from "../lib/client/lazy_admission.ts";
import { summarize } from "../lib/client/conversation_summary.ts";
import { type LocalNames, NO_NAMES, readAllNames, writeNames } from "../lib/client/local_names.ts";
import { listenForListNews } from "../lib/client/list_news.ts";
import { checkBrowserSupport } from "../lib/client/support.ts";
import { island } from "../lib/web/island.ts";
import { hasMessage, t } from "../lib/i18n/i18n.ts";
import { ConversationList, type ListedConversation } from "./home/ConversationList.tsx";

/** Props of the home island: plain JSON from the server. */
export interface HomeProps {
  /** The longest lifetime this server allows, in seconds. */
  maxLifetime: number;
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
  const listed = useSignal<ListedConversation[] | null>(null);

  useEffect(() => {
    ready.value = true;
    let stopListening = () => {};
    checkBrowserSupport().then(async (reason) => {
      unsupported.value = reason;
      if (reason !== null) return;
      listed.value = await listKept();
      // Kept up to date by the other tabs of this browser, never by the server.
      let asked = 0;
      stopListening = listenForListNews(() => {
        const mine = ++asked;
        // Only the latest reading is shown, if news came quicker than reads.
        listKept().then((kept) => mine === asked && (listed.value = kept)).catch(() => {});
      });
    }).catch((e) => error.value = t("errors.storage_unreadable", { detail: e.message }));
    return () => stopListening();
  }, []);

  function onRename(id: string, names: LocalNames) {
    const saved = writeNames(id, names);
    listed.value = listed.value?.map((c) => c.id === id ? { ...c, names: saved } : c) ?? null;
  }

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
        : t("errors.create_failed", { detail: (e as Error).message });
    }
  }

  if (unsupported.value !== null) {
    return (
      <section class="card warning-card" role="alert">
        <h2>{t("home.unsupported_title")}</h2>
        <p>{unsupported.value}</p>
      </section>
    );
  }

  return (
    <>
      <form class="card create" onSubmit={onCreate} aria-labelledby="create-title">
        <h2 id="create-title">{t("home.create_title")}</h2>
        <p class="muted">{t("home.create_intro")}</p>
        <div class="create-row">
          <label for="lifetime">{t("home.ends_after")}</label>
          <select
            id="lifetime"
            name="lifetime"
            value={lifetime.value}
            onChange={(e) => lifetime.value = (e.target as HTMLSelectElement).value}
          >
            {choices.map((c) => (
              <option key={c.seconds} value={String(c.seconds)}>{lifetimeLabel(c)}</option>
            ))}
          </select>
          <button
            class="button primary"
            type="submit"
            disabled={busy.value || !ready.value}
            id="create"
            aria-describedby={ready.value ? undefined : "create-wait"}
          >
            {busy.value ? t("home.creating") : t("home.create")}
          </button>
        </div>
        {!ready.value && (
          <p class="muted" id="create-wait" data-testid="create-wait">
            {t("home.getting_ready")}
          </p>
        )}
        {error.value && <p class="error" role="alert">{error.value}</p>}
      </form>
      {listed.value !== null && listed.value.length > 0 && (
        <section class="card" aria-labelledby="kept-title">
          <h2 id="kept-title">{t("home.kept_title")}</h2>
          <ConversationList conversations={listed.value} onRename={onRename} />
        </section>
      )}
    </>
  );
}

/** A lifetime choice in the active language ("1 day"), or its own label when not in the catalogue. */
function lifetimeLabel(choice: { seconds: number; label: string }): string {
  const key = `home.lifetime_${choice.seconds}`;
  return hasMessage(key) ? t(key) : choice.label;
}

/**
 * The conversations this browser keeps, with their local names and what
 * their messages say, most recent activity first. Read here only.
 */
async function listKept(): Promise<ListedConversation[]> {
  const storage = new IdbStorage();
  const names = readAllNames();
  const listed: ListedConversation[] = [];
  for (const c of await storage.listConversations()) {
    const summary = summarize(c, await storage.listMessages(c.id));
    listed.push({
      id: c.id,
      role: c.role,
      createdAt: c.createdAt,
      expiresAt: c.expiresAt,
      ended: c.closed !== null || Date.parse(c.expiresAt) <= Date.now(),
      names: names[c.id] ?? NO_NAMES,
      ...summary,
    });
  }
  return listed.sort((a, b) => b.lastAt - a.lastAt || b.createdAt.localeCompare(a.createdAt));
}

export default island("Home", Home);
