/**
 * The dashboard's settings: what the owner sees (origins, bans, locked rooms)
 * and the changes its HTML forms make. Each form names its `action`; the
 * fields are checked the way the JSON admin API checks them, and the writes
 * are the same store functions.
 *
 * @module
 */

import { readUserId } from "./admin_api.ts";
import { randomSecret, sha256Hex } from "./crypto.ts";
import {
  type Ban,
  banUser,
  listBans,
  listRoomLocks,
  type RoomLock,
  setRoomLocked,
  unbanUser,
} from "./db_moderation.ts";
import {
  getTenant,
  newAdminKey,
  revokeSessions,
  type Tenant,
  updateTenant,
} from "./db_tenants.ts";
import { parseOriginList } from "./origins.ts";
import { ApiError, readUrlId } from "./validation.ts";

/** What the settings section shows. */
export interface Settings {
  origins: string[];
  bans: Ban[];
  locks: RoomLock[];
  ssoEnabled: boolean;
}

/**
 * Reads a tenant's settings, or null when there is no such tenant.
 *
 * @example
 * ```ts
 * const settings = await readSettings("demo");
 * ```
 */
export async function readSettings(tenant: string): Promise<Settings | null> {
  const record = await getTenant(tenant);
  if (!record) return null;
  const [bans, locks] = await Promise.all([
    listBans(tenant),
    listRoomLocks(tenant),
  ]);
  return {
    origins: record.origins,
    bans,
    locks,
    ssoEnabled: Boolean(record.ssoSecret),
  };
}

/** The confirmations a change ends with, by the name in `?done=`. */
export const DONE_MESSAGES = {
  origins: "Allowed origins saved.",
  banned: "User banned.",
  unbanned: "Ban lifted.",
  locked: "Room locked.",
  unlocked: "Room unlocked.",
  revoked: "The user's sessions were revoked.",
} as const;

/** A change that ends with a confirmation. */
export type Done = keyof typeof DONE_MESSAGES;

/**
 * The confirmation for a `?done=` value; null for anything else, so that
 * the page never shows text from the URL.
 *
 * @example
 * ```ts
 * doneMessage("banned"); // "User banned."
 * doneMessage("<b>hi</b>"); // null
 * ```
 */
export function doneMessage(done: string | null): string | null {
  return done !== null && Object.hasOwn(DONE_MESSAGES, done)
    ? DONE_MESSAGES[done as Done]
    : null;
}

/** A secret that a rotation made, shown to the owner once. */
export type RotatedSecret = "adminKey" | "ssoSecret";

/** How a settings form went. */
export type SettingsOutcome =
  | { kind: "done"; done: Done }
  /** The form is shown again with the message; `origins` keeps the input. */
  | { kind: "invalid"; action: string; message: string; origins?: string }
  /** `tenant` is the record with the new secret's hash. */
  | { kind: "rotated"; secret: RotatedSecret; value: string; tenant: Tenant };

/** The owner's changes are recorded as made by the admin key's identity. */
const OWNER_ID = "admin";

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

async function rotate(
  tenant: string,
  secret: RotatedSecret,
): Promise<SettingsOutcome> {
  const value = secret === "adminKey" ? newAdminKey() : randomSecret();
  const hash = await sha256Hex(value);
  const record = await updateTenant(
    tenant,
    (t) =>
      secret === "adminKey"
        ? { ...t, adminKeyHash: hash }
        : { ...t, ssoSecret: value },
  );
  if (!record) throw new ApiError("not_found", "No such tenant.");
  return { kind: "rotated", secret, value, tenant: record };
}

async function applyAction(
  tenant: string,
  action: string,
  form: FormData,
): Promise<SettingsOutcome> {
  switch (action) {
    case "origins": {
      const text = field(form, "origins");
      let origins: string[];
      try {
        origins = parseOriginList(text);
      } catch (err) {
        return {
          kind: "invalid",
          action,
          message: (err as Error).message,
          origins: text,
        };
      }
      await updateTenant(tenant, (t) => ({ ...t, origins }));
      return { kind: "done", done: "origins" };
    }
    case "ban":
      await banUser(
        tenant,
        readUserId({ userId: field(form, "userId") }),
        OWNER_ID,
      );
      return { kind: "done", done: "banned" };
    case "unban":
      await unbanUser(tenant, readUserId({ userId: field(form, "userId") }));
      return { kind: "done", done: "unbanned" };
    case "lock":
    case "unlock": {
      const urlId = readUrlId({ urlId: field(form, "urlId") });
      await setRoomLocked(tenant, urlId, action === "lock", OWNER_ID);
      return { kind: "done", done: action === "lock" ? "locked" : "unlocked" };
    }
    case "revoke":
      await revokeSessions(
        tenant,
        readUserId({ userId: field(form, "userId") }),
        Date.now(),
      );
      return { kind: "done", done: "revoked" };
    case "rotate-admin-key":
      return await rotate(tenant, "adminKey");
    case "rotate-sso-secret":
      return await rotate(tenant, "ssoSecret");
    default:
      throw new ApiError("bad_request", "Unknown settings action.", "action");
  }
}

/**
 * Applies one submitted settings form of an owner (checked by the caller).
 * A field that fails validation gives an `invalid` outcome; an unknown
 * action or tenant throws an `ApiError`.
 *
 * @example
 * ```ts
 * const outcome = await applySettingsForm("demo", await req.formData());
 * if (outcome.kind === "done") redirect(`?done=${outcome.done}`);
 * ```
 */
export async function applySettingsForm(
  tenant: string,
  form: FormData,
): Promise<SettingsOutcome> {
  const action = field(form, "action");
  try {
    return await applyAction(tenant, action, form);
  } catch (err) {
    if (err instanceof ApiError && err.code === "bad_request" && err.field) {
      if (err.field === "action") throw err;
      return { kind: "invalid", action, message: err.message };
    }
    throw err;
  }
}
