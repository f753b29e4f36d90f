/**
 * Tenants, users, the session-signing secret and session revocation.
 *
 * @module
 */

import { randomSecret, sha256Hex } from "./crypto.ts";
import { createIfAbsent, getKv, keys, retryContention } from "./db_kv.ts";
import { LOCAL_ORIGINS } from "./origins.ts";
import { cachePerOwner } from "./ttl_cache.ts";

// ---------------------------------------------------------------------------
// Tenants

/** A site that uses Tack; every key and route is scoped by it. */
export interface Tenant {
  id: string;
  name: string;
  /**
   * Origin patterns (see `origins.ts`) allowed to write from a browser, open
   * sockets and frame the embeds. Tack's own pages are always allowed.
   */
  origins: string[];
  createdAt: number;
  /** SHA-256 (hex) of the admin key; the key itself is shown once. */
  adminKeyHash?: string;
  /** Signs SSO payloads (HMAC-SHA256); without it SSO is off. */
  ssoSecret?: string;
}

/** The tenant that exists from the first start, for the demos. */
export const DEMO_TENANT_ID = "demo";

/** What a tenant id may look like: it appears in URLs and keys. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Tenants that exist without set-up: `demo`, plus the comma-separated ids in
 * `TACK_TENANTS`. They allow local development origins only.
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
 * Looks a tenant up; built-in tenants are created on first lookup. An id
 * no tenant can have is not looked up at all.
 *
 * @example
 * ```ts
 * const tenant = await getTenant("demo"); // never null for "demo"
 * ```
 */
export async function getTenant(id: string): Promise<Tenant | null> {
  if (typeof id !== "string" || !TENANT_ID_PATTERN.test(id)) return null;
  const kv = await getKv();
  const entry = await kv.get<Tenant>(keys.tenant(id));
  if (entry.value) return entry.value;
  if (!builtInTenantIds().includes(id)) return null;
  return await ensureTenant({ id, name: id, origins: [...LOCAL_ORIGINS] });
}

/**
 * How long an isolate reuses a tenant record it read, in milliseconds: the
 * staleness bound of {@linkcode getCachedTenant}. Tenants change rarely (a
 * key rotation, new origins), and every API request needs one.
 */
export const TENANT_CACHE_MS = 2000;

const tenantCache = cachePerOwner<Deno.Kv, string, Tenant>(1000);

/**
 * Like {@linkcode getTenant}, but reuses what this isolate read within the
 * last {@linkcode TENANT_CACHE_MS}: a change made by another process (or
 * isolate) shows within that bound, one made here at once. For the checks of
 * every request; a refusal that a newer record might lift (an origin just
 * added) should be confirmed with `getTenant`.
 *
 * @example
 * ```ts
 * const tenant = await getCachedTenant("demo");
 * ```
 */
export async function getCachedTenant(
  id: string,
  now: number = Date.now(),
): Promise<Tenant | null> {
  const cache = tenantCache(await getKv());
  const cached = cache.get(id, now);
  if (cached) return cached;
  // Misses are not cached, so a tenant created elsewhere works at once.
  const tenant = await getTenant(id);
  if (tenant) cache.set(id, tenant, now + TENANT_CACHE_MS);
  return tenant;
}

/** Input of {@linkcode provisionTenant}. */
export interface ProvisionInput {
  id: string;
  /** @default the id */
  name?: string;
  /** Origin patterns; when absent an existing tenant keeps its own. */
  origins?: string[];
  /** @default a new random secret */
  ssoSecret?: string;
  /**
   * Issue new keys for a tenant that exists already, keeping its data.
   * @default false
   */
  rotate?: boolean;
}

/** A tenant with the secrets that are shown once, when it is provisioned. */
export interface ProvisionedTenant {
  tenant: Tenant;
  /** The admin key in clear; only its hash is stored. */
  adminKey: string;
  ssoSecret: string;
}

/**
 * Creates a tenant with a new admin key and SSO secret; with `rotate`, gives
 * an existing tenant (the demo included) new ones instead. Throws an Error
 * (a message for the command line) for a bad id, or when the tenant exists
 * and `rotate` is off.
 *
 * @example
 * ```ts
 * const { adminKey, ssoSecret } = await provisionTenant({
 *   id: "acme", origins: ["https://acme.example"],
 * });
 * ```
 */
export async function provisionTenant(
  input: ProvisionInput,
): Promise<ProvisionedTenant> {
  if (!TENANT_ID_PATTERN.test(input.id)) {
    throw new Error(
      `"${input.id}" is not a tenant id: use a-z, 0-9 and "-", up to 63 characters.`,
    );
  }
  const kv = await getKv();
  const key = keys.tenant(input.id);
  const existing = await kv.get<Tenant>(key);
  if (existing.value && !input.rotate) {
    throw new Error(
      `Tenant "${input.id}" exists already; pass --rotate for new keys.`,
    );
  }
  const adminKey = newAdminKey();
  const ssoSecret = input.ssoSecret ?? randomSecret();
  const builtIn = builtInTenantIds().includes(input.id)
    ? [...LOCAL_ORIGINS]
    : [];
  const tenant: Tenant = {
    id: input.id,
    name: input.name ?? existing.value?.name ?? input.id,
    origins: input.origins ?? existing.value?.origins ?? builtIn,
    createdAt: existing.value?.createdAt ?? Date.now(),
    adminKeyHash: await sha256Hex(adminKey),
    ssoSecret,
  };
  const committed = await retryContention(() =>
    kv.atomic().check(existing).set(key, tenant).commit()
  );
  if (!committed.ok) throw new Error(`Tenant "${input.id}" changed meanwhile.`);
  tenantCache(kv).delete(input.id);
  return { tenant, adminKey, ssoSecret };
}

/**
 * A new admin key, in clear: `tack_admin_` and a random secret.
 *
 * @example
 * ```ts
 * const adminKey = newAdminKey(); // store only `await sha256Hex(adminKey)`
 * ```
 */
export function newAdminKey(): string {
  return `tack_admin_${randomSecret()}`;
}

/**
 * Rewrites a tenant's record with `change` (given the stored record) under an
 * optimistic check: when another write lands between the read and this one,
 * `change` runs again on the newer record. Returns the stored result, or null
 * when there is no such tenant. This isolate sees the change at once.
 *
 * @example
 * ```ts
 * await updateTenant("acme", (t) => ({ ...t, origins: ["https://acme.example"] }));
 * ```
 */
export async function updateTenant(
  id: string,
  change: (tenant: Tenant) => Tenant,
): Promise<Tenant | null> {
  // Creates a built-in tenant's record first, so that there is one to check.
  if (!await getTenant(id)) return null;
  const kv = await getKv();
  const key = keys.tenant(id);
  for (;;) {
    const entry = await kv.get<Tenant>(key);
    if (!entry.value) return null;
    const tenant = { ...change(entry.value), id };
    const committed = await retryContention(() =>
      kv.atomic().check(entry).set(key, tenant).commit()
    );
    if (committed.ok) {
      tenantCache(kv).delete(id);
      return tenant;
    }
  }
}

// ---------------------------------------------------------------------------
// Users

/** A person known to a tenant. */
export interface StoredUser {
  id: string;
  name: string;
  createdAt: number;
  /** From SSO only; never sent to other users. */
  email?: string;
  /** From SSO only: an http(s) image URL. */
  avatar?: string;
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
 * Stores a user signed in by SSO, and marks the payload's verification hash
 * used until `usedForMs` from now, in one atomic write. Returns false, and
 * stores nothing, when the hash was used already: a replayed payload.
 *
 * @example
 * ```ts
 * const fresh = await saveSsoUser("demo", user, payload.verificationHash, DAY);
 * if (!fresh) refuse();
 * ```
 */
export async function saveSsoUser(
  tenant: string,
  user: StoredUser,
  verificationHash: string,
  usedForMs: number,
): Promise<boolean> {
  const kv = await getKv();
  const used = keys.ssoUsed(tenant, verificationHash);
  const committed = await retryContention(() =>
    kv.atomic()
      .check({ key: used, versionstamp: null })
      .set(used, user.id, { expireIn: Math.max(1, usedForMs) })
      .set(keys.user(tenant, user.id), user)
      .commit()
  );
  return committed.ok;
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

// ---------------------------------------------------------------------------
// Session signing and revocation

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

/**
 * Voids every session token of a user issued up to `at` (milliseconds since
 * the epoch); sessions started later are valid.
 *
 * @example
 * ```ts
 * await revokeSessions("demo", "sso:42", Date.now());
 * ```
 */
export async function revokeSessions(
  tenant: string,
  userId: string,
  at: number,
): Promise<void> {
  const kv = await getKv();
  await retryContention(() => kv.set(keys.sessionsRevoked(tenant, userId), at));
  revocationCache(kv).delete(revocationCacheKey(tenant, userId));
}

/**
 * The time up to which a user's tokens are void, or null when none were
 * revoked.
 *
 * @example
 * ```ts
 * const revokedAt = await getSessionsRevokedAt("demo", userId);
 * if (revokedAt !== null && claims.iat <= revokedAt) refuse();
 * ```
 */
export async function getSessionsRevokedAt(
  tenant: string,
  userId: string,
): Promise<number | null> {
  const kv = await getKv();
  return (await kv.get<number>(keys.sessionsRevoked(tenant, userId))).value;
}

/**
 * How long an isolate reuses a user's revocation time it read, in
 * milliseconds: a revocation made in another isolate or process voids the
 * user's tokens there within this bound (at once in the isolate that made it).
 */
export const REVOCATION_CACHE_MS = 1000;

const revocationCache = cachePerOwner<Deno.Kv, string, number | null>(10_000);

function revocationCacheKey(tenant: string, userId: string) {
  // Tenant ids hold no newline, so the pair is unambiguous.
  return `${tenant}\n${userId}`;
}

/**
 * Like {@linkcode getSessionsRevokedAt}, but reuses what this isolate read
 * within the last {@linkcode REVOCATION_CACHE_MS}, so that a burst of writes
 * by one user costs one read.
 *
 * @example
 * ```ts
 * const revokedAt = await getCachedSessionsRevokedAt("demo", userId);
 * ```
 */
export async function getCachedSessionsRevokedAt(
  tenant: string,
  userId: string,
  now: number = Date.now(),
): Promise<number | null> {
  const cache = revocationCache(await getKv());
  const key = revocationCacheKey(tenant, userId);
  const cached = cache.get(key, now);
  if (cached !== undefined) return cached;
  const revokedAt = await getSessionsRevokedAt(tenant, userId);
  cache.set(key, revokedAt, now + REVOCATION_CACHE_MS);
  return revokedAt;
}
