/**
 * Sessions: anonymous identities proven by HMAC-SHA256-signed tokens. A token
 * is `base64url(JSON claims) "." base64url(signature)`; it holds everything a
 * request needs, so checking one reads nothing but the signing secret.
 *
 * @module
 */

import { ulid } from "ulid";
import { getOrCreateSessionSecret, saveUser } from "./db_tenants.ts";
import { ApiError, type User } from "./protocol.ts";

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
  /** Set for moderators (granted by signed SSO, later). */
  moderator?: boolean;
}

/** The verified author of a request. */
export interface Identity extends User {
  tenant: string;
  moderator?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null; // a length no base64 text can have
  }
}

function randomSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

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
  const [payload, signatureText, extra] = token.split(".");
  if (!payload || !signatureText || extra !== undefined) return null;
  const signature = fromBase64Url(signatureText);
  if (!signature) return null;
  const genuine = await crypto.subtle.verify(
    "HMAC",
    await signingKey(),
    signature,
    encoder.encode(payload),
  );
  if (!genuine) return null;
  const claims = JSON.parse(decoder.decode(fromBase64Url(payload)!));
  if (typeof claims?.exp !== "number" || claims.exp <= now) return null;
  return claims as TokenClaims;
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
): Promise<{ token: string; user: User }> {
  const now = Date.now();
  const user = { id: ulid(now), name };
  await saveUser(tenant, { ...user, createdAt: now });
  const token = await signToken({
    tenant,
    userId: user.id,
    name,
    iat: now,
    exp: now + SESSION_TTL_MS,
  });
  return { token, user };
}

/**
 * The identity behind a request's `Authorization: Bearer` token. Throws 401
 * when the token is missing, forged or expired, and 403 when it belongs to
 * another tenant.
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
  const claims = await verifyToken(match[1]);
  if (!claims) {
    throw new ApiError("unauthorized", "The session token is invalid.");
  }
  if (claims.tenant !== tenant) {
    throw new ApiError("forbidden", "The session belongs to another site.");
  }
  const identity: Identity = { tenant, id: claims.userId, name: claims.name };
  if (claims.moderator) identity.moderator = true;
  return identity;
}
