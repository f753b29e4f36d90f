/**
 * Sessions: identities proven by HMAC-SHA256-signed tokens. A token is
 * `base64url(JSON claims) "." base64url(signature)`. Sessions are anonymous
 * (a chosen name) or signed in by the site's SSO; the tenant's admin key
 * stands in for a moderator's token. Checking a token reads the signing
 * secret (cached), verifies the signature once per isolate (verified tokens
 * are cached until they expire) and reads the user's revocation time, cached
 * for at most `REVOCATION_CACHE_MS` (1 s): a revocation takes effect at once
 * in the isolate that made it and within that bound everywhere else.
 *
 * @module
 */

import { ulid } from "ulid";
import {
  fromBase64Url,
  randomSecret,
  sha256Hex,
  timingSafeEqual,
  toBase64Url,
} from "./crypto.ts";
import {
  getCachedSessionsRevokedAt,
  getOrCreateSessionSecret,
  getTenant,
  saveSsoUser,
  saveUser,
  type Tenant,
} from "./db_tenants.ts";
import { isBanned } from "./db_moderation.ts";
import { type User } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import {
  parseSsoPayload,
  SSO_MAX_AGE_MS,
  SSO_MAX_SKEW_MS,
  verifySso,
} from "./sso.ts";
import { cachePerOwner } from "./ttl_cache.ts";

/** How long a session token is valid. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** What a token asserts. */
export interface TokenClaims {
  tenant: string;
  userId: string;
  name: string;
  /** Issued at, milliseconds since the epoch. */
  iat: number;
  /** Expires at, milliseconds since the epoch. */
  exp: number;
  /** Set for moderators (granted by signed SSO). */
  moderator?: boolean;
  /**
   * What the token may be used for. Absent on API sessions; `"owner"` on the
   * dashboard's owner session, which the API refuses.
   */
  scope?: "owner";
}

/** The verified author of a request. */
export interface Identity extends User {
  tenant: string;
  moderator?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const cryptoKeys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key: from `TACK_SESSION_SECRET`, else generated once in KV. */
async function signingKey(): Promise<CryptoKey> {
  const secret = Deno.env.get("TACK_SESSION_SECRET") ||
    await getOrCreateSessionSecret(randomSecret);
  let key = cryptoKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    cryptoKeys.set(secret, key);
  }
  return await key;
}

/**
 * Signs claims into a token.
 *
 * @example
 * ```ts
 * const token = await signToken({ tenant: "demo", userId: "u1", name: "Ada",
 *   iat: Date.now(), exp: Date.now() + SESSION_TTL_MS });
 * ```
 */
export async function signToken(claims: TokenClaims): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign(
    "HMAC",
    await signingKey(),
    encoder.encode(payload),
  );
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`;
}

/**
 * Tokens whose signature this isolate checked, per signing key. An HMAC
 * check costs far more than the rest of a write's request handling, and a
 * writer sends the same token with every write. Bounded, so forged tokens
 * (never cached) and many users cannot grow it without limit.
 */
const verifiedTokens = cachePerOwner<CryptoKey, string, TokenClaims>(10_000);

/**
 * The claims of a genuine, unexpired token; null for anything else.
 *
 * @example
 * ```ts
 * const claims = await verifyToken(token); // null if forged or expired
 * ```
 */
export async function verifyToken(
  token: string,
  now: number = Date.now(),
): Promise<TokenClaims | null> {
  const key = await signingKey();
  const cache = verifiedTokens(key);
  const cached = cache.get(token, now);
  if (cached) return cached; // the cache drops it when it expires
  const claims = await verifySignedClaims(key, token, now);
  if (claims) cache.set(token, claims, claims.exp);
  return claims;
}

async function verifySignedClaims(
  key: CryptoKey,
  token: string,
  now: number,
): Promise<TokenClaims | null> {
  const [payload, signatureText, extra] = token.split(".");
  if (!payload || !signatureText || extra !== undefined) return null;
  const signature = fromBase64Url(signatureText);
  if (!signature) return null;
  const genuine = await crypto.subtle.verify(
    "HMAC",
    key,
    signature,
    encoder.encode(payload),
  );
  if (!genuine) return null;
  let claims;
  try {
    claims = JSON.parse(decoder.decode(fromBase64Url(payload)!));
  } catch {
    return null; // signed by us, so unreachable unless the secret leaked
  }
  if (typeof claims?.exp !== "number" || claims.exp <= now) return null;
  return claims as TokenClaims;
}

/** A new session: its token, its user, and whether it may moderate. */
export interface Session {
  token: string;
  user: User;
  moderator: boolean;
}

async function issueToken(
  tenant: string,
  user: User,
  now: number,
  moderator: boolean,
): Promise<Session> {
  const claims: TokenClaims = {
    tenant,
    userId: user.id,
    name: user.name,
    iat: now,
    exp: now + SESSION_TTL_MS,
  };
  if (moderator) claims.moderator = true;
  return { token: await signToken(claims), user, moderator };
}

/**
 * Starts an anonymous session: stores a new user and returns its token.
 *
 * @example
 * ```ts
 * const { token, user } = await createSession("demo", "Ada");
 * ```
 */
export async function createSession(
  tenant: string,
  name: string,
): Promise<Session> {
  const now = Date.now();
  const user = { id: ulid(now), name };
  await saveUser(tenant, { ...user, createdAt: now });
  return await issueToken(tenant, user, now, false);
}

/**
 * Exchanges a signed SSO payload (see `sso.ts`) for a session whose user id
 * is `sso:<the site's id>`. Refuses a tenant without SSO (403), a forged,
 * expired, future-dated or already used payload (401) and a banned user
 * (403); a refused payload stores nothing.
 *
 * @example
 * ```ts
 * const { token, user, moderator } = await createSsoSession("demo", body.sso);
 * ```
 */
export async function createSsoSession(
  tenant: string,
  sso: unknown,
): Promise<Session> {
  const payload = parseSsoPayload(sso);
  const secret = (await getTenant(tenant))?.ssoSecret;
  if (!secret) {
    throw new ApiError("forbidden", "Single sign-on is not set up here.");
  }
  const now = Date.now();
  const ssoUser = await verifySso(secret, payload, now);
  const user = { id: `sso:${ssoUser.id}`, name: ssoUser.name };
  if (await isBanned(tenant, user.id)) {
    throw new ApiError("forbidden", "You are banned from writing here.");
  }
  // Kept until the payload would be refused as expired anyway.
  const usedForMs = payload.timestamp + SSO_MAX_AGE_MS + SSO_MAX_SKEW_MS - now;
  const fresh = await saveSsoUser(
    tenant,
    {
      ...user,
      createdAt: now,
      ...(ssoUser.email ? { email: ssoUser.email } : {}),
      ...(ssoUser.avatar ? { avatar: ssoUser.avatar } : {}),
    },
    payload.verificationHash,
    usedForMs,
  );
  if (!fresh) {
    throw new ApiError(
      "unauthorized",
      "This SSO payload was used already: sign a fresh one.",
      "sso",
    );
  }
  return await issueToken(tenant, user, now, ssoUser.moderator);
}

/** Admin keys start with this, so they are never mistaken for tokens. */
export const ADMIN_KEY_PREFIX = "tack_admin_";

/** The identity the admin key acts as. */
const ADMIN_USER: User = { id: "admin", name: "Moderator" };

async function isAdminKey(tenant: Tenant | null, key: string) {
  if (!tenant?.adminKeyHash) return false;
  return timingSafeEqual(await sha256Hex(key), tenant.adminKeyHash);
}

/**
 * The identity behind a request's `Authorization: Bearer` value: a session
 * token, or the tenant's admin key (a moderator). Throws 401 when it is
 * missing, forged, expired or revoked, and 403 when it belongs to another
 * tenant.
 *
 * @example
 * ```ts
 * const author = await requireIdentity(req, "demo");
 * ```
 */
export async function requireIdentity(
  req: Request,
  tenant: string,
): Promise<Identity> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) {
    throw new ApiError("unauthorized", "Sign in first: no session token.");
  }
  const credential = match[1];
  if (credential.startsWith(ADMIN_KEY_PREFIX)) {
    if (!await isAdminKey(await getTenant(tenant), credential)) {
      throw new ApiError("unauthorized", "The admin key is not valid here.");
    }
    return { tenant, ...ADMIN_USER, moderator: true };
  }
  const claims = await verifyToken(credential);
  if (!claims || claims.scope !== undefined) {
    throw new ApiError("unauthorized", "The session token is invalid.");
  }
  if (claims.tenant !== tenant) {
    throw new ApiError("forbidden", "The session belongs to another site.");
  }
  const revokedAt = await getCachedSessionsRevokedAt(tenant, claims.userId);
  if (revokedAt !== null && claims.iat <= revokedAt) {
    throw new ApiError("unauthorized", "This session was revoked.");
  }
  const identity: Identity = { tenant, id: claims.userId, name: claims.name };
  if (claims.moderator) identity.moderator = true;
  return identity;
}

/**
 * Like {@linkcode requireIdentity}, and the identity must be a moderator
 * (403 otherwise).
 *
 * @example
 * ```ts
 * const moderator = await requireModerator(req, "demo");
 * ```
 */
export async function requireModerator(
  req: Request,
  tenant: string,
): Promise<Identity> {
  const identity = await requireIdentity(req, tenant);
  if (!identity.moderator) {
    throw new ApiError("forbidden", "Only a moderator may do this.");
  }
  return identity;
}
