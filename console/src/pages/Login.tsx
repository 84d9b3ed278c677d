import { useState } from "preact/hooks";
import { ErrorBox, TextField } from "../components/ui.tsx";
import { lang, setLang, t } from "../i18n.ts";
import { login } from "../lib/session.ts";

export function LoginPage() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(err);
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login-wrap">
      <main class="login-card">
        <div class="brand brand-login">
          <span class="brand-mark" aria-hidden="true">
            ▣
          </span>
          <div>
            <div class="brand-name">{t("app.name")}</div>
            <div class="brand-tag">{t("app.tagline")}</div>
          </div>
        </div>
        <h1>{t("login.title")}</h1>
        <p class="muted">{t("login.intro")}</p>
        <form onSubmit={submit} class="stack">
          <TextField
            label={t("login.username")}
            value={username}
            onValue={setUsername}
            autocomplete="username"
            autofocus
            required
          />
          <TextField
            label={t("login.password")}
            type="password"
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
            required
          />
          <ErrorBox error={error} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("login.submitting") : t("login.submit")}
          </button>
        </form>
        <fieldset class="lang-switch lang-switch-login" aria-label={t("shell.language")}>
          <button type="button" aria-pressed={lang.value === "vi"} onClick={() => setLang("vi")} lang="vi">
            {t("shell.langVi")}
          </button>
          <button type="button" aria-pressed={lang.value === "en"} onClick={() => setLang("en")} lang="en">
            {t("shell.langEn")}
          </button>
        </fieldset>
      </main>
    </div>
  );
}
