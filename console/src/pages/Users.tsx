import { ROLES, type Role } from "@gatecast/playlists";
import { ChangePassword, CreateUser, routes, type UserView } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import {
  ask,
  Badge,
  confirm,
  ErrorBox,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  toast,
} from "../components/ui.tsx";
import { t, tDynamic } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { useCheckedForm } from "../lib/form.ts";
import { formatDateTime } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { errorText } from "../lib/messages.ts";
import { adopt, user as me } from "../lib/session.ts";

/** Roles as the domain lists them, lowest first (a role added there appears here). */
const roleOptions = () => ROLES.map((r) => ({ value: r as Role, label: tDynamic(`role.${r}`, r) }));

export function UsersPage() {
  const list = useResource(() => call(routes.users.list), []);
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const reload = () => void list.reload();
  return (
    <div class="page page-wide">
      <PageHeader title={t("users.title")}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
          {t("users.new")}
        </button>
      </PageHeader>
      <p class="muted">{t("users.lead")}</p>
      {list.error ? <ErrorBox error={list.error} onRetry={reload} /> : null}
      {editing === "new" ? (
        <NewUser
          onDone={() => {
            setEditing(null);
            reload();
          }}
        />
      ) : null}
      {!list.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t("users.username")}</th>
                <th scope="col">{t("users.displayName")}</th>
                <th scope="col">{t("users.role")}</th>
                <th scope="col">{t("users.state")}</th>
                <th scope="col">{t("users.created")}</th>
                <th scope="col">
                  <span class="sr-only">{t("users.edit")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((u) =>
                editing === u.id ? (
                  <tr key={u.id} data-testid={`user-${u.username}`}>
                    <td colSpan={6}>
                      <EditUser
                        user={u}
                        onDone={() => {
                          setEditing(null);
                          reload();
                        }}
                      />
                    </td>
                  </tr>
                ) : (
                  <UserRow key={u.id} u={u} onEdit={() => setEditing(u.id)} onChanged={reload} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function UserRow({ u, onEdit, onChanged }: { u: UserView; onEdit: () => void; onChanged: () => void }) {
  const self = me.value?.id === u.id;
  const toggle = async () => {
    if (
      !u.disabled &&
      !(await confirm({
        title: t("users.disable"),
        message: t("users.disableConfirm", { username: u.username }),
        confirmLabel: t("users.disable"),
        danger: true,
      }))
    )
      return;
    try {
      await call(routes.users.update, { params: { id: u.id }, body: { disabled: !u.disabled } });
      toast(t(u.disabled ? "users.enabledToast" : "users.disabledToast", { username: u.username }));
      onChanged();
    } catch (e) {
      toast(errorText(e), "error");
    }
  };
  const reset = async () => {
    for (;;) {
      const r = await ask({
        title: t("users.resetTitle", { username: u.username }),
        message: t("users.resetMessage"),
        confirmLabel: t("users.reset"),
        input: { label: t("users.resetLabel"), required: true },
      });
      if (!r.ok) return;
      try {
        await call(routes.users.update, { params: { id: u.id }, body: { password: r.value } });
        toast(t("users.resetDone", { username: u.username }));
        return;
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
  };
  return (
    <tr data-testid={`user-${u.username}`} class={u.disabled ? "row-muted" : undefined}>
      <td>
        <code>{u.username}</code> {self ? <span class="muted small">{t("users.you")}</span> : null}
      </td>
      <td>{u.displayName ?? "—"}</td>
      <td>{tDynamic(`role.${u.role}`, u.role)}</td>
      <td>
        <Badge kind={u.disabled ? "neutral" : "ok"}>{t(u.disabled ? "users.disabled" : "users.enabled")}</Badge>
      </td>
      <td class="small nowrap">{formatDateTime(u.createdAt)}</td>
      <td class="nowrap btn-row">
        <button type="button" class="btn btn-small" onClick={onEdit}>
          {t("users.edit")}
        </button>
        <button type="button" class="btn btn-small" onClick={() => void reset()}>
          {t("users.reset")}
        </button>
        {self ? null : (
          <button type="button" class="btn btn-small btn-danger-quiet" onClick={() => void toggle()}>
            {t(u.disabled ? "users.enable" : "users.disable")}
          </button>
        )}
      </td>
    </tr>
  );
}

function NewUser({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState({ username: "", displayName: "", role: "editor" as Role, password: "" });
  const candidate = {
    username: form.username,
    password: form.password,
    role: form.role,
    ...(form.displayName.trim() ? { displayName: form.displayName } : {}),
  };
  const checked = useCheckedForm(CreateUser, candidate, {
    dirty: form.username !== "" || form.password !== "",
    fields: /^(username|password|role|displayName)/,
  });
  const set = (p: Partial<typeof form>) => setForm((f) => ({ ...f, ...p }));
  return (
    <section class="panel" aria-labelledby="new-user">
      <h2 id="new-user" class="section-title">
        {t("users.new")}
      </h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void checked.submit(
            async (body) => {
              await call(routes.users.create, { body });
            },
            (v) => {
              toast(t("users.created.toast", { username: v.username }));
              onDone();
            },
          );
        }}
      >
        <div class="grid-4">
          <TextField
            label={t("users.username")}
            value={form.username}
            onValue={(v) => set({ username: v })}
            error={checked.errors.get("username")}
            autocomplete="off"
            spellcheck={false}
          />
          <TextField
            label={t("users.displayName")}
            value={form.displayName}
            onValue={(v) => set({ displayName: v })}
            error={checked.errors.get("displayName")}
          />
          <SelectField
            label={t("users.role")}
            value={form.role}
            options={roleOptions()}
            onValue={(v) => set({ role: v })}
            error={checked.errors.get("role")}
          />
          <TextField
            label={t("users.password")}
            value={form.password}
            onValue={(v) => set({ password: v })}
            error={checked.errors.get("password")}
            hint={t("users.passwordHint")}
            autocomplete="new-password"
          />
        </div>
        <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={checked.busy}>
            {t("users.create")}
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              checked.release();
              onDone();
            }}
          >
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </section>
  );
}

function EditUser({ user, onDone }: { user: UserView; onDone: () => void }) {
  const [displayName, setDisplayName] = useState(user.displayName ?? "");
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await call(routes.users.update, {
        params: { id: user.id },
        body: { role, displayName: displayName.trim() ? displayName.trim() : null },
      });
      toast(t("users.saved", { username: user.username }));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form
      class="inline-edit"
      onSubmit={(e) => void save(e)}
      aria-label={t("users.editTitle", { username: user.username })}
    >
      <div class="grid-3">
        <TextField label={t("users.username")} value={user.username} onValue={() => {}} disabled />
        <TextField label={t("users.displayName")} value={displayName} onValue={setDisplayName} />
        <SelectField label={t("users.role")} value={role} options={roleOptions()} onValue={setRole} />
      </div>
      <ErrorBox error={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          {t("common.save")}
        </button>
        <button type="button" class="btn" onClick={onDone}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Everyone's own password. */
export function AccountPage() {
  const [form, setForm] = useState({ current: "", password: "", repeat: "" });
  const set = (p: Partial<typeof form>) => setForm((f) => ({ ...f, ...p }));
  const checked = useCheckedForm(
    ChangePassword,
    { current: form.current, password: form.password },
    { dirty: form.password !== "", fields: /^(current|password)/ },
  );
  const mismatch = form.repeat !== "" && form.repeat !== form.password ? t("account.mismatch") : undefined;
  return (
    <div class="page">
      <PageHeader title={t("account.title")} />
      <p class="muted">{t("account.lead")}</p>
      <form
        class="panel narrow-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (form.repeat !== form.password) {
            set({ repeat: form.repeat || " " });
            return;
          }
          void checked.submit(
            async (body) => {
              adopt(await call(routes.auth.password, { body }));
            },
            () => {
              setForm({ current: "", password: "", repeat: "" });
              toast(t("account.done"));
            },
          );
        }}
      >
        <TextField
          type="password"
          label={t("account.current")}
          value={form.current}
          onValue={(v) => set({ current: v })}
          error={checked.errors.get("current")}
          autocomplete="current-password"
        />
        <TextField
          type="password"
          label={t("account.new")}
          value={form.password}
          onValue={(v) => set({ password: v })}
          error={checked.errors.get("password")}
          hint={t("account.newHint")}
          autocomplete="new-password"
        />
        <TextField
          type="password"
          label={t("account.repeat")}
          value={form.repeat}
          onValue={(v) => set({ repeat: v })}
          error={mismatch}
          autocomplete="new-password"
        />
        <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={checked.busy}>
            {t("account.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}
