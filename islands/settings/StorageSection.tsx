import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect } from "preact/hooks";
import {
  buildConversationExport,
  exportedFileIds,
  exportFileName,
} from "../../lib/client/conversation_export.ts";
import { removeConversations } from "../../lib/client/conversation_removal.ts";
import { displayTitle, forgetNames, readNames } from "../../lib/client/local_names.ts";
import { forgetOfflinePages } from "../../lib/client/offline_pages.ts";
import { IdbStorage } from "../../lib/client/idb_storage.ts";
import { resetPreferences } from "../../lib/client/preferences.ts";
import { readLocaleChoice, writeLocaleChoice } from "../../lib/client/locale_choice.ts";
import { refreshStoredPages } from "../../lib/client/offline_language.ts";
import { formatBytes } from "../../lib/i18n/format_sizes.ts";
import { formatDate } from "../../lib/i18n/formats.ts";
import { t, tx } from "../../lib/i18n/i18n.ts";
import { ConfirmButton } from "../common/ConfirmButton.tsx";

interface Row {
  id: string;
  label: string;
  bytes: number;
  messages: number;
  files: number;
}

/** Props of {@linkcode StorageSection}. */
export interface StorageSectionProps {
  /** Called after "Delete everything" reset the settings, so the other sections show it. */
  onReset?: () => void;
}

/** What this browser keeps, per conversation and in total, with export and delete. */
export function StorageSection({ onReset }: StorageSectionProps = {}) {
  const rows = useSignal<Row[] | null>(null);
  const total = useSignal<number | null>(null);
  const status = useSignal("");
  const error = useSignal<string | null>(null);

  async function load() {
    const storage = new IdbStorage();
    const all = await storage.listConversations();
    all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    rows.value = await Promise.all(all.map(async (c) => {
      const date = formatDate(Date.parse(c.createdAt), { dateStyle: "medium", timeStyle: "short" });
      // The name this browser gave it, as the home page's list shows it.
      const name = displayTitle(readNames(c.id), "");
      return {
        id: c.id,
        label: name !== ""
          ? t("settings.row_named", { name, date })
          : t(c.role === "creator" ? "settings.row_started" : "settings.row_joined", { date }),
        bytes: await storage.measureConversation(c.id),
        ...countKinds(await storage.listMessages(c.id)),
      };
    }));
    total.value = (await navigator.storage?.estimate?.())?.usage ?? null;
  }

  useEffect(() => {
    load().catch((e) => error.value = t("errors.storage_unreadable", { detail: e.message }));
  }, []);

  async function exportOne(row: Row) {
    const storage = new IdbStorage();
    const conversation = await storage.getConversation(row.id);
    if (conversation === undefined) return;
    const messages = await storage.listMessages(row.id);
    const files = new Map<string, Uint8Array>();
    for (const id of exportedFileIds(messages)) {
      const blob = await storage.getFile(row.id, id);
      if (blob !== undefined) files.set(id, new Uint8Array(await blob.arrayBuffer()));
    }
    const data = buildConversationExport(conversation, messages, new Date(), files);
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
    );
    const link = document.createElement("a");
    link.href = url;
    link.download = exportFileName(row.id);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.value = t("settings.exported", { file: link.download });
  }

  async function deleteOne(row: Row) {
    const storage = new IdbStorage();
    // A chat tab with it open is stopped first, so it writes nothing back.
    await removeConversations([row.id], () => storage.deleteConversation(row.id));
    forgetNames([row.id]);
    await forgetOfflinePages([row.id]).catch(() => {});
    status.value = t("settings.deleted_one");
    await load();
    document.getElementById("storage-title")?.focus();
  }

  async function deleteAll() {
    const storage = new IdbStorage();
    const ids = (await storage.listConversations()).map((c) => c.id);
    await removeConversations(ids, () => storage.clearAll());
    const hadLanguage = readLocaleChoice() !== null;
    // Every `anon:` key goes, the local names included.
    resetPreferences();
    // The language cookie too: the next page follows the browser's languages.
    writeLocaleChoice(null);
    await forgetOfflinePages(ids).catch(() => {});
    if (hadLanguage) await refreshStoredPages().catch(() => 0);
    onReset?.();
    status.value = t("settings.deleted_all");
    await load();
    document.getElementById("storage-title")?.focus();
  }

  return (
    <section class="card settings-section" aria-labelledby="storage-title">
      <h2 id="storage-title" tabIndex={-1}>{t("settings.storage_title")}</h2>
      <p class="muted">{t("settings.storage_intro")}</p>
      {error.value && <p class="error" role="alert">{error.value}</p>}
      <p data-testid="storage-total">
        {total.value === null
          ? t("settings.measuring")
          : t("settings.storage_total", { size: formatBytes(total.value) })}
      </p>
      {rows.value !== null && rows.value.length === 0 && (
        <p class="muted" data-testid="storage-empty">{t("settings.storage_empty")}</p>
      )}
      {rows.value !== null && rows.value.length > 0 && (
        <ul class="storage-list">
          {rows.value.map((row) => (
            <li key={row.id} data-testid="storage-row" data-id={row.id}>
              <div class="storage-name">
                <a href={`/c/${row.id}`}>{row.label}</a>
                <span class="muted">
                  {tx(row.files > 0 ? "settings.row_summary_files" : "settings.row_summary", {
                    messages: row.messages,
                    files: row.files,
                    size: <span data-testid="storage-size">{formatBytes(row.bytes)}</span>,
                  })}
                </span>
              </div>
              <div class="storage-actions">
                <ConfirmButton
                  label={t("settings.export")}
                  ariaLabel={t("settings.export_label", { name: row.label })}
                  confirmLabel={t("settings.export_confirm")}
                  onConfirm={() => exportOne(row)}
                >
                  {tx("settings.export_warning", {
                    not_encrypted: <strong>{t("settings.export_not_encrypted")}</strong>,
                  })}
                </ConfirmButton>
                <ConfirmButton
                  label={t("settings.delete")}
                  ariaLabel={t("settings.delete_label", { name: row.label })}
                  confirmLabel={t("settings.delete")}
                  busyLabel={t("settings.deleting")}
                  danger
                  onConfirm={() => deleteOne(row)}
                >
                  {t("settings.delete_question")}
                </ConfirmButton>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div class="storage-footer">
        <ConfirmButton
          label={t("settings.delete_all")}
          confirmLabel={t("settings.delete_all")}
          busyLabel={t("settings.deleting")}
          danger
          onConfirm={deleteAll}
        >
          {t("settings.delete_all_question")}
        </ConfirmButton>
      </div>
      <p class="visually-hidden" role="status" data-testid="storage-status">{status.value}</p>
    </section>
  );
}

/** Texts and files a person would count as messages (notices and the hello are not). */
function countKinds(messages: { kind: string }[]): { messages: number; files: number } {
  return {
    messages: messages.filter((m) => m.kind === "text" || m.kind === "file").length,
    files: messages.filter((m) => m.kind === "file").length,
  };
}
