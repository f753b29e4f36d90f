import type { ComponentChildren } from "preact";
import type { Settings } from "../../utils/dashboard_settings.ts";

/** A form field's problem, shown beside the form that was sent. */
export interface FormProblem {
  action: string;
  message: string;
  /** The origins as typed, so a typo does not lose the rest. */
  origins?: string;
}

/** One POST form of the settings, naming its action. */
function ActionForm(
  { action, class: className, children }: {
    action: string;
    class?: string;
    children: ComponentChildren;
  },
) {
  return (
    <form method="post" class={className ?? "settings-form"}>
      <input type="hidden" name="action" value={action} />
      {children}
    </form>
  );
}

function Problem(
  { problem, action }: { problem?: FormProblem; action: string },
) {
  if (problem?.action !== action) return null;
  return (
    <p class="settings-error" role="alert" id={`${action}-error`}>
      {problem.message}
    </p>
  );
}

/** A one-field form: a labelled text input and a submit button. */
function IdForm(
  { action, name, label, button, problem }: {
    action: string;
    name: "userId" | "urlId";
    label: string;
    button: string;
    problem?: FormProblem;
  },
) {
  const id = `${action}-${name}`;
  return (
    <ActionForm action={action}>
      <label for={id}>{label}</label>
      <div class="settings-row">
        <input
          id={id}
          name={name}
          type="text"
          required
          autocomplete="off"
          aria-describedby={problem?.action === action
            ? `${action}-error`
            : undefined}
        />
        <button type="submit">{button}</button>
      </div>
      <Problem problem={problem} action={action} />
    </ActionForm>
  );
}

/**
 * A list of ids, each with a button that removes it, and a form that adds
 * one: the bans and the locked rooms.
 */
function IdListFieldset(
  { legend, empty, testId, ids, name, remove, add, problem }: {
    legend: string;
    /** Shown instead of the list when there are no ids. */
    empty: string;
    testId: string;
    ids: string[];
    name: "userId" | "urlId";
    remove: { action: string; button: string };
    add: { action: string; label: string; button: string };
    problem?: FormProblem;
  },
) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {ids.length === 0
        ? <p class="usage-empty">{empty}</p>
        : (
          <ul class="settings-list" data-testid={testId}>
            {ids.map((id) => (
              <li key={id}>
                <span class="settings-id">{id}</span>
                <ActionForm action={remove.action} class="settings-inline">
                  <input type="hidden" name={name} value={id} />
                  <button type="submit">{remove.button}</button>
                </ActionForm>
              </li>
            ))}
          </ul>
        )}
      <Problem problem={problem} action={remove.action} />
      <IdForm {...add} name={name} problem={problem} />
    </fieldset>
  );
}

/**
 * The owner's settings: allowed origins, bans, locked rooms, session
 * revocation and key rotation, as plain HTML forms posting to the page.
 */
export function SettingsSection(
  { settings, problem, flash }: {
    settings: Settings;
    problem?: FormProblem;
    /** A confirmation of the last change. */
    flash?: string | null;
  },
) {
  return (
    <section id="settings" class="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {flash && <p class="settings-flash" role="status">{flash}</p>}

      <ActionForm action="origins">
        <fieldset>
          <legend>Allowed origins</legend>
          <label for="origins">
            Sites that may use the API and frame the embeds, one per line:{" "}
            <code>https://example.com</code>, <code>http://localhost:*</code>,
            {" "}
            <code>https://*.example.com</code> or <code>*</code>.
          </label>
          <textarea
            id="origins"
            name="origins"
            rows={Math.max(3, settings.origins.length + 1)}
            spellcheck={false}
            aria-describedby={problem?.action === "origins"
              ? "origins-error"
              : undefined}
          >
            {problem?.origins ?? settings.origins.join("\n")}
          </textarea>
          <Problem problem={problem} action="origins" />
          <button type="submit">Save origins</button>
        </fieldset>
      </ActionForm>

      <IdListFieldset
        legend="Banned users"
        empty="Nobody is banned."
        testId="bans"
        ids={settings.bans.map((ban) =>
          ban.userId
        )}
        name="userId"
        remove={{ action: "unban", button: "Unban" }}
        add={{
          action: "ban",
          label: "Ban a user id (e.g. sso:42)",
          button: "Ban",
        }}
        problem={problem}
      />

      <IdListFieldset
        legend="Locked rooms"
        empty="No room is locked."
        testId="locks"
        ids={settings.locks.map((lock) =>
          lock.urlId
        )}
        name="urlId"
        remove={{ action: "unlock", button: "Unlock" }}
        add={{
          action: "lock",
          label: "Lock a room (its urlId): read-only for all but moderators",
          button: "Lock",
        }}
        problem={problem}
      />

      <fieldset>
        <legend>Sessions</legend>
        <IdForm
          action="revoke"
          name="userId"
          label="Sign a user out everywhere (their user id)"
          button="Revoke sessions"
          problem={problem}
        />
      </fieldset>

      <fieldset>
        <legend>Keys</legend>
        <p>
          A new value is shown once; the old one stops working at once.
          {settings.ssoEnabled
            ? ""
            : " Single sign-on is off until an SSO secret is set."}
        </p>
        <div class="settings-row">
          <ActionForm action="rotate-sso-secret" class="settings-inline">
            <button type="submit">New SSO secret</button>
          </ActionForm>
          <ActionForm action="rotate-admin-key" class="settings-inline">
            <button type="submit">New admin key</button>
          </ActionForm>
        </div>
      </fieldset>
    </section>
  );
}

/** The page part that shows a rotated secret, once. */
export function RotatedSecretNotice(
  { label, value, dashboard }: {
    label: string;
    value: string;
    /** Where to go on: the dashboard's URL, without any key. */
    dashboard: string;
  },
) {
  return (
    <section class="settings" aria-labelledby="secret-title">
      <h2 id="secret-title">{label}</h2>
      <p class="settings-warning" role="alert">
        Copy it now: it is shown this once, and Tack keeps only what it needs to
        check it. Update your site's configuration before you leave this page.
      </p>
      <label for="secret">{label}</label>
      <input
        id="secret"
        class="settings-secret"
        type="text"
        readOnly
        value={value}
        data-testid="secret"
      />
      <p>
        <a href={dashboard}>Back to the dashboard</a>
      </p>
    </section>
  );
}
