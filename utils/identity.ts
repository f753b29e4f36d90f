/**
 * The viewer's identity in the browser: the session token and user that
 * `POST /sessions` returned (for a chosen name, or for the site's signed SSO
 * payload), kept in `localStorage` under `tack:<tenant>:session` so every tab
 * and later visit writes as the same person.
 *
 * @module
 */

import { signal } from "@preact/signals";
import type { ReadonlySignal } from "@preact/signals";
import type { ApiClient, SessionResult } from "./api_client.ts";
import type { User } from "./protocol.ts";
import type { SsoPayload } from "./sso.ts";

/** What is stored per tenant. */
export interface StoredSession {
  token: string;
  user: User;
  /** Granted by the site's SSO; lets the UI offer moderators' deletes. */
  moderator: boolean;
  /**
   * The `verificationHash` of the SSO payload this session came from. The
   * server takes a payload once, so a page showing the same payload again
   * (a reload, another tab) keeps this session instead of exchanging it.
   */
  ssoHash?: string;
}

/** The storage key of a tenant's session. */
export function sessionKey(tenant: string): string {
  return `tack:${tenant}:session`;
}

/** A suggested display name for someone who has not chosen one. */
export function guestName(random: () => number = Math.random): string {
  return `Guest ${1000 + Math.floor(random() * 9000)}`;
}

/** The viewer's identity for one tenant, as a signal the UI can follow. */
export class Identity {
  readonly #tenant: string;
  readonly #storage: Storage | null;
  readonly #session = signal<StoredSession | null>(null);

  /**
   * @param storage Where to keep the session; `null` keeps it in memory only
   * (private browsing modes may refuse `localStorage`).
   */
  constructor(tenant: string, storage: Storage | null = safeLocalStorage()) {
    this.#tenant = tenant;
    this.#storage = storage;
    this.#session.value = this.#read();
  }

  /** The current session, or null before the viewer has named themselves. */
  get session(): ReadonlySignal<StoredSession | null> {
    return this.#session;
  }

  /** The token for `Authorization`, if there is a session. */
  token(): string | null {
    return this.#session.value?.token ?? null;
  }

  /** The current user, if there is a session. */
  user(): User | null {
    return this.#session.value?.user ?? null;
  }

  /** Whether the current session may moderate (delete anyone's writes). */
  isModerator(): boolean {
    return this.#session.value?.moderator ?? false;
  }

  /**
   * Creates an anonymous session under `name` through the API and stores it.
   *
   * @example
   * ```ts
   * const user = await identity.identify(api, "Ada");
   * ```
   */
  async identify(api: ApiClient, name: string): Promise<User> {
    return this.#store(await api.createSession(name));
  }

  /**
   * Signs in as the site's user: exchanges the signed SSO payload for a
   * session and stores it, replacing any other. A session already made from
   * this very payload is kept, since the server refuses a payload twice.
   *
   * @example
   * ```ts
   * const user = await identity.signInWithSso(api, sso); // no name asked
   * ```
   */
  async signInWithSso(api: ApiClient, sso: SsoPayload): Promise<User> {
    const current = this.#session.value;
    if (current && current.ssoHash === sso.verificationHash) {
      return current.user;
    }
    return this.#store(
      await api.createSsoSession(sso),
      sso.verificationHash,
    );
  }

  #store(result: SessionResult, ssoHash?: string): User {
    const session: StoredSession = {
      token: result.token,
      user: result.user,
      moderator: result.moderator === true,
    };
    if (ssoHash !== undefined) session.ssoHash = ssoHash;
    this.#session.value = session;
    try {
      this.#storage?.setItem(sessionKey(this.#tenant), JSON.stringify(session));
    } catch {
      // Storage full or refused: the session still lasts for this page.
    }
    return session.user;
  }

  /** Forgets the session, e.g. after the server refused its token. */
  forget(): void {
    this.#session.value = null;
    try {
      this.#storage?.removeItem(sessionKey(this.#tenant));
    } catch {
      // Nothing stored to forget.
    }
  }

  #read(): StoredSession | null {
    try {
      const raw = this.#storage?.getItem(sessionKey(this.#tenant));
      const parsed = raw ? JSON.parse(raw) : null;
      const valid = typeof parsed?.token === "string" &&
        typeof parsed?.user?.id === "string" &&
        typeof parsed?.user?.name === "string";
      if (!valid) return null;
      const session: StoredSession = {
        token: parsed.token,
        user: { id: parsed.user.id, name: parsed.user.name },
        // Sessions stored before moderation existed were anonymous.
        moderator: parsed.moderator === true,
      };
      if (typeof parsed.ssoHash === "string") session.ssoHash = parsed.ssoHash;
      return session;
    } catch {
      return null;
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
