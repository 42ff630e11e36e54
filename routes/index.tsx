import Home from "../islands/Home.tsx";
import { t } from "../lib/i18n/i18n.ts";
import type { AppState } from "../lib/server/app_state.ts";
import type { PageProps } from "../lib/web/types.ts";

export const title = () => t("home.title");

/** The home page: start a conversation, or reopen one kept in this browser. */
export default function HomePage({ state }: PageProps<unknown, AppState>) {
  return (
    <div class="home">
      <section class="hero">
        <h1>{t("home.hero_title")}</h1>
        <p class="lede">{t("home.hero_lede")}</p>
      </section>
      <Home maxLifetime={state.config.maxLifetime} />
      <section class="facts" aria-label={t("home.facts_label")}>
        <div>
          <h2>{t("home.fact_keys_title")}</h2>
          <p>{t("home.fact_keys_text")}</p>
        </div>
        <div>
          <h2>{t("home.fact_server_title")}</h2>
          <p>{t("home.fact_server_text")}</p>
        </div>
        <div>
          <h2>{t("home.fact_offline_title")}</h2>
          <p>{t("home.fact_offline_text")}</p>
        </div>
      </section>
    </div>
  );
}
