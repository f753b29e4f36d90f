/**
 * The viewer's anonymous identity in the browser: the session token and user
 * that `POST /sessions` returned, kept in `localStorage` under
 * `tack:<tenant>:session` so every tab and later visit writes as the same
 * person.
 *
 * @module
 */

import { signal } from "@preact/signals";
import type { ReadonlySignal } from "@preact/signals";
import type { ApiClient } from "./api_client.ts";
import type { User } from "./protocol.ts";

/** What is stored per tenant. */
export interface StoredSession {
  token: string;
  user: User;
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

  /**
   * Creates a session under `name` through the API and stores it.
   *
   * @example
   * ```ts
   * const user = await identity.identify(api, "Ada");
   * ```
   */
  async identify(api: ApiClient, name: string): Promise<User> {
    const { token, user } = await api.createSession(name);
    this.#session.value = { token, user };
    try {
      this.#storage?.setItem(
        sessionKey(this.#tenant),
        JSON.stringify({ token, user }),
      );
    } catch {
      // Storage full or refused: the session still lasts for this page.
    }
    return user;
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
      return valid ? { token: parsed.token, user: parsed.user } : null;
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
