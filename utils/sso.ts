/**
 * Signed single sign-on, in the scheme of FastComments' Secure SSO: the
 * site's backend Base64-encodes the user's JSON and signs it with the
 * tenant's SSO secret,
 *
 *     verificationHash = hex(HMAC-SHA256(secret, timestamp + userDataJSONBase64))
 *
 * where `timestamp` is milliseconds since the epoch, written in decimal. The
 * page hands `{ userDataJSONBase64, verificationHash, timestamp }` to the
 * embed, which exchanges it for a session. This module parses and verifies
 * such payloads; it stores nothing (replays are refused by the session
 * store).
 *
 * @module
 */

import { hmacSha256Hex, timingSafeEqual } from "./crypto.ts";
import { LIMITS } from "./protocol.ts";
import { ApiError, asObject, readString } from "./validation.ts";

/** What the site passes to the embed as its `sso` option. */
export interface SsoPayload {
  userDataJSONBase64: string;
  verificationHash: string;
  timestamp: number;
}

/** The user a valid payload vouches for. */
export interface SsoUser {
  /** The site's own user id; sessions namespace it as `sso:<id>`. */
  id: string;
  name: string;
  email?: string;
  /** An http(s) image URL; anything else is dropped. */
  avatar?: string;
  moderator: boolean;
}

/** Oldest payload accepted, in milliseconds. */
export const SSO_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** How far ahead of the server's clock a payload may be, in milliseconds. */
export const SSO_MAX_SKEW_MS = 5 * 60 * 1000;
/** Longest site user id. */
const SSO_ID_MAX = 128;
/** Longest `userDataJSONBase64`: room for the fields at their limits. */
const USER_DATA_MAX = 8 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function refuse(message: string): never {
  throw new ApiError("unauthorized", message, "sso");
}

/**
 * Validates the shape of an `sso` value (400 `bad_request` otherwise); the
 * signature is checked by {@linkcode verifySso}.
 *
 * @example
 * ```ts
 * const payload = parseSsoPayload(body.sso);
 * ```
 */
export function parseSsoPayload(value: unknown): SsoPayload {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("bad_request", `"sso" must be an object.`, "sso");
  }
  const obj = value as Record<string, unknown>;
  const userDataJSONBase64 = readString(
    obj,
    "userDataJSONBase64",
    1,
    USER_DATA_MAX,
  );
  const verificationHash = readString(obj, "verificationHash", 64, 64)
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(verificationHash)) {
    throw new ApiError(
      "bad_request",
      `"verificationHash" must be 64 hex digits.`,
      "verificationHash",
    );
  }
  const timestamp = obj.timestamp;
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp)) {
    throw new ApiError(
      "bad_request",
      `"timestamp" must be milliseconds since the epoch.`,
      "timestamp",
    );
  }
  return { userDataJSONBase64, verificationHash, timestamp };
}

/**
 * Checks a payload's signature and age, then reads its user. Throws 401
 * `unauthorized` for a bad signature, a payload more than a day old or more
 * than five minutes in the future, and 400 for signed but unusable user data.
 *
 * @example
 * ```ts
 * const user = await verifySso(tenant.ssoSecret, payload);
 * ```
 */
export async function verifySso(
  secret: string,
  payload: SsoPayload,
  now: number = Date.now(),
): Promise<SsoUser> {
  const expected = await hmacSha256Hex(
    secret,
    `${payload.timestamp}${payload.userDataJSONBase64}`,
  );
  if (!timingSafeEqual(expected, payload.verificationHash)) {
    refuse("The SSO signature does not match.");
  }
  if (payload.timestamp < now - SSO_MAX_AGE_MS) {
    refuse("The SSO payload has expired: sign a fresh one.");
  }
  if (payload.timestamp > now + SSO_MAX_SKEW_MS) {
    refuse("The SSO payload is dated in the future: check the site's clock.");
  }
  return readUser(payload.userDataJSONBase64);
}

function readUser(base64: string): SsoUser {
  let data: Record<string, unknown>;
  try {
    const binary = atob(base64);
    data = asObject(JSON.parse(decoder.decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    )));
  } catch {
    throw new ApiError(
      "bad_request",
      "The SSO user data must be a Base64-encoded JSON object.",
      "userDataJSONBase64",
    );
  }
  // A number id is common in site databases; it means the same as its text.
  if (typeof data.id === "number" && Number.isSafeInteger(data.id)) {
    data.id = String(data.id);
  }
  const user: SsoUser = {
    id: readString(data, "id", 1, SSO_ID_MAX, { singleLine: true }),
    name: readString(data, "name", 1, LIMITS.nameMax, { singleLine: true }),
    moderator: data.moderator === true,
  };
  if (typeof data.email === "string" && data.email.length <= 254) {
    user.email = data.email;
  }
  if (typeof data.avatar === "string" && isWebUrl(data.avatar)) {
    user.avatar = data.avatar;
  }
  return user;
}

function isWebUrl(text: string): boolean {
  if (text.length > LIMITS.srcMax) return false;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * Signs a user the way a site's backend does; for tests, tools and as the
 * reference for site integrations.
 *
 * @example
 * ```ts
 * const sso = await signSso(secret, { id: "42", name: "Ada" });
 * // pass `sso` to the embed: Tack.imageChat(img, { tenant, urlId, sso })
 * ```
 */
export async function signSso(
  secret: string,
  user: Record<string, unknown>,
  timestamp: number = Date.now(),
): Promise<SsoPayload> {
  let binary = "";
  for (const byte of encoder.encode(JSON.stringify(user))) {
    binary += String.fromCharCode(byte);
  }
  const userDataJSONBase64 = btoa(binary);
  const verificationHash = await hmacSha256Hex(
    secret,
    `${timestamp}${userDataJSONBase64}`,
  );
  return { userDataJSONBase64, verificationHash, timestamp };
}
