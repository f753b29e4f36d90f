/**
 * Tenants, users and the session-signing secret.
 *
 * @module
 */

import { createIfAbsent, getKv, keys, retryContention } from "./db_kv.ts";

// ---------------------------------------------------------------------------
// Tenants and users

/** A site that uses Tack; every key and route is scoped by it. */
export interface Tenant {
  id: string;
  name: string;
  /** Origins allowed to call the API from a browser; empty allows any. */
  origins: string[];
  createdAt: number;
}

/** The tenant that exists from the first start, for the demos. */
export const DEMO_TENANT_ID = "demo";

/**
 * Tenants that exist without set-up: `demo`, plus the comma-separated ids in
 * `TACK_TENANTS`.
 */
function builtInTenantIds(): string[] {
  const extra = (Deno.env.get("TACK_TENANTS") ?? "").split(",")
    .map((id) => id.trim()).filter((id) => id.length > 0);
  return [DEMO_TENANT_ID, ...extra];
}

/**
 * Creates a tenant unless one with that id exists; returns the stored one.
 *
 * @example
 * ```ts
 * const tenant = await ensureTenant({ id: "acme", name: "Acme", origins: [] });
 * ```
 */
export async function ensureTenant(
  input: Omit<Tenant, "createdAt">,
): Promise<Tenant> {
  const tenant: Tenant = { ...input, createdAt: Date.now() };
  return await createIfAbsent(keys.tenant(input.id), tenant);
}

/**
 * Looks a tenant up; built-in tenants are created on first lookup.
 *
 * @example
 * ```ts
 * const tenant = await getTenant("demo"); // never null for "demo"
 * ```
 */
export async function getTenant(id: string): Promise<Tenant | null> {
  const kv = await getKv();
  const entry = await kv.get<Tenant>(keys.tenant(id));
  if (entry.value) return entry.value;
  if (!builtInTenantIds().includes(id)) return null;
  return await ensureTenant({ id, name: id, origins: [] });
}

/** A person known to a tenant. */
export interface StoredUser {
  id: string;
  name: string;
  createdAt: number;
}

/**
 * Stores a new user of a tenant.
 *
 * @example
 * ```ts
 * await saveUser("demo", { id: ulid(), name: "Ada", createdAt: Date.now() });
 * ```
 */
export async function saveUser(tenant: string, user: StoredUser) {
  const kv = await getKv();
  await retryContention(() => kv.set(keys.user(tenant, user.id), user));
}

/**
 * Looks a user up.
 *
 * @example
 * ```ts
 * const user = await getUser("demo", userId);
 * ```
 */
export async function getUser(
  tenant: string,
  userId: string,
): Promise<StoredUser | null> {
  const kv = await getKv();
  return (await kv.get<StoredUser>(keys.user(tenant, userId))).value;
}

// One secret per database; cached because every authenticated request needs it.
const secrets = new WeakMap<Deno.Kv, Promise<string>>();

/**
 * The secret that signs session tokens: stored once, shared by all isolates.
 * `generate` runs only when none is stored yet.
 *
 * @example
 * ```ts
 * const secret = await getOrCreateSessionSecret(() => randomHex(32));
 * ```
 */
export async function getOrCreateSessionSecret(
  generate: () => string,
): Promise<string> {
  const kv = await getKv();
  let secret = secrets.get(kv);
  if (!secret) {
    secret = readOrCreateSecret(kv, generate);
    secrets.set(kv, secret);
    secret.catch(() => secrets.delete(kv));
  }
  return await secret;
}

async function readOrCreateSecret(kv: Deno.Kv, generate: () => string) {
  const key = keys.sessionSecret();
  const existing = await kv.get<string>(key);
  // Whoever wins a race writes the secret everyone uses.
  return existing.value ?? await createIfAbsent(key, generate());
}
