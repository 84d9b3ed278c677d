import { routes, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, type TokenView } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { ask, confirm, EmptyState, ErrorBox, Loading, PageHeader, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useNow, useResource } from "../lib/hooks.ts";
import { errorText } from "../lib/messages.ts";
import { can } from "../lib/session.ts";

function tokenState(tok: TokenView, now: number): "active" | "revoked" | "expired" {
  if (tok.revokedAt !== null) return "revoked";
  if (tok.expiresAt !== null && tok.expiresAt <= now) return "expired";
  return "active";
}

/** API tokens: your own (an admin sees everyone's), with expiry and last use; create and revoke. */
export function TokensPage() {
  const tokens = useResource(() => call(routes.tokens.list), []);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const now = useNow(60_000);

  const create = async () => {
    const name = await ask({ title: t("tokens.new"), input: { label: t("tokens.name"), required: true } });
    if (!name.ok || !name.value.trim()) return;
    const days = await ask({
      title: t("tokens.new"),
      input: { label: t("tokens.days", { max: TOKEN_MAX_DAYS }), value: String(TOKEN_DEFAULT_DAYS), required: true },
    });
    if (!days.ok) return;
    try {
      const made = await call(routes.tokens.create, {
        body: { name: name.value.trim(), expiresInDays: Number(days.value) },
      });
      setSecret({ name: made.name, token: made.token });
      await tokens.reload();
    } catch (err) {
      toast(errorText(err), "error");
    }
  };

  const revoke = async (tok: TokenView) => {
    if (!(await confirm({ title: t("tokens.revokeConfirm", { name: tok.name }), danger: true }))) return;
    try {
      await call(routes.tokens.revoke, { params: { id: tok.id } });
      toast(t("tokens.revoked", { name: tok.name }));
      await tokens.reload();
    } catch (err) {
      toast(errorText(err), "error");
    }
  };

  const list = tokens.data ?? [];
  return (
    <div class="page page-wide">
      <PageHeader title={t("tokens.title")}>
        <button type="button" class="btn btn-primary" onClick={() => void create()} data-testid="token-create">
          {t("tokens.new")}
        </button>
      </PageHeader>
      <p class="muted small">{t("tokens.about")}</p>
      {secret ? (
        <div class="notice notice-warn" role="status" data-testid="token-secret">
          <p>{t("tokens.secretOnce", { name: secret.name })}</p>
          <code class="secret">{secret.token}</code>
        </div>
      ) : null}
      {tokens.error ? <ErrorBox error={tokens.error} onRetry={() => void tokens.reload()} /> : null}
      {!tokens.data && tokens.loading ? <Loading /> : null}
      {tokens.data && list.length === 0 ? <EmptyState>{t("tokens.empty")}</EmptyState> : null}
      {list.length > 0 ? (
        <div class="table-wrap">
          <table class="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th>{t("tokens.name")}</th>
                {can("admin") ? <th>{t("tokens.user")}</th> : null}
                <th>{t("tokens.created")}</th>
                <th>{t("tokens.expires")}</th>
                <th>{t("tokens.lastUsed")}</th>
                <th>{t("tokens.state")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((tok) => {
                const state = tokenState(tok, now);
                return (
                  <tr key={tok.id} data-testid={`token-${tok.id}`}>
                    <td>{tok.name}</td>
                    {can("admin") ? <td>{tok.username ?? "—"}</td> : null}
                    <td>{formatDateTime(tok.createdAt)}</td>
                    <td>{tok.expiresAt === null ? "—" : formatDateTime(tok.expiresAt)}</td>
                    <td>{tok.lastUsedAt === null ? t("tokens.neverUsed") : formatDateTime(tok.lastUsedAt)}</td>
                    <td>{t(`tokens.state.${state}`)}</td>
                    <td>
                      {state === "active" ? (
                        <button type="button" class="btn btn-small btn-danger" onClick={() => void revoke(tok)}>
                          {t("tokens.revoke")}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
