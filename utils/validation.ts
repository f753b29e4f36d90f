/**
 * Validation of every client input: each function takes untrusted JSON and
 * returns a clean value or throws {@linkcode ApiError} (`bad_request`, with
 * the field). Used by the routes, and by the islands where they read what a
 * host page passes them. Apart from the wire protocol's types and limits, it
 * imports nothing and touches no Deno or DOM API.
 *
 * @module
 */

import {
  type Anchor,
  type ApiErrorBody,
  ERROR_STATUS,
  type ErrorCode,
  LIMITS,
  type NewCommentInput,
  type NewImageChatInput,
  type NewTextChatInput,
} from "./protocol.ts";

/** A refused input or operation; routes turn it into an error response. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: ApiErrorBody } {
    const error: ApiErrorBody = { code: this.code, message: this.message };
    if (this.field) error.field = this.field;
    return { error };
  }
}

type Json = Record<string, unknown>;

function bad(field: string, message: string): never {
  throw new ApiError("bad_request", message, field);
}

/** Rejects anything that is not a plain JSON object. */
export function asObject(body: unknown): Json {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    bad("body", "The request body must be a JSON object.");
  }
  return body as Json;
}

// Control characters other than tab and newline, and bidi overrides that can
// make a name or comment display as something it is not.
const UNSAFE_CHARS =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Reads a required string field, trims it and checks its length.
 *
 * @example
 * ```ts
 * const text = readString({ text: " hi " }, "text", 1, 4000); // "hi"
 * ```
 */
export function readString(
  obj: Json,
  field: string,
  min: number,
  max: number,
  { trim = true, singleLine = false } = {},
): string {
  const raw = obj[field];
  if (raw === undefined || raw === null) bad(field, `"${field}" is required.`);
  if (typeof raw !== "string") bad(field, `"${field}" must be a string.`);
  let value = raw.replace(UNSAFE_CHARS, "");
  if (singleLine) value = value.replace(/[\t\n]+/g, " ");
  if (trim) value = value.trim();
  const length = [...value].length;
  if (length < min) {
    bad(
      field,
      min === 1
        ? `"${field}" must not be empty.`
        : `"${field}" must be at least ${min} characters.`,
    );
  }
  if (length > max) bad(field, `"${field}" must be at most ${max} characters.`);
  return value;
}

function readNumber(obj: Json, field: string, min: number, max: number) {
  const value = obj[field];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    bad(field, `"${field}" must be a finite number.`);
  }
  if (value < min || value > max) {
    bad(field, `"${field}" must be between ${min} and ${max}.`);
  }
  return value;
}

function readInteger(obj: Json, field: string, min: number, max: number) {
  const value = readNumber(obj, field, min, max);
  if (!Number.isInteger(value)) bad(field, `"${field}" must be an integer.`);
  return value;
}

/** Validates a room id (`urlId`): 1–1,024 characters. */
export function readUrlId(obj: Json): string {
  return readString(obj, "urlId", 1, LIMITS.urlIdMax, { singleLine: true });
}

/** Validates a write's `broadcastId`: any non-empty id up to 64 characters. */
export function readBroadcastId(obj: Json): string {
  return readString(obj, "broadcastId", 1, LIMITS.broadcastIdMax, {
    singleLine: true,
  });
}

/** Validates comment text: 1–4,000 characters after trimming. */
export function readText(obj: Json): string {
  return readString(obj, "text", 1, LIMITS.textMax);
}

/** Input of `POST /sessions`. */
export function parseSessionInput(body: unknown): { name: string } {
  const obj = asObject(body);
  return {
    name: readString(obj, "name", 1, LIMITS.nameMax, { singleLine: true }),
  };
}

/**
 * Validates the body of `POST /image-chats`.
 *
 * @example
 * ```ts
 * parseNewImageChat({ urlId: "a", src: "/a.png", x: 1, y: 2, text: "hi", broadcastId: "b" });
 * ```
 */
export function parseNewImageChat(body: unknown): NewImageChatInput {
  const obj = asObject(body);
  return {
    urlId: readUrlId(obj),
    src: readString(obj, "src", 0, LIMITS.srcMax, { singleLine: true }),
    x: readNumber(obj, "x", 0, 100),
    y: readNumber(obj, "y", 0, 100),
    text: readText(obj),
    broadcastId: readBroadcastId(obj),
  };
}

/** Validates an anchor: `end − start` must equal the quote's length. */
export function parseAnchor(value: unknown): Anchor {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    bad("anchor", `"anchor" must be an object.`);
  }
  const obj = value as Json;
  const opts = { trim: false };
  const quote = readString(obj, "quote", 1, LIMITS.quoteMax, opts);
  if (quote.trim().length === 0) bad("quote", `"quote" must not be blank.`);
  const anchor: Anchor = {
    quote,
    prefix: readString(obj, "prefix", 0, LIMITS.contextMax, opts),
    suffix: readString(obj, "suffix", 0, LIMITS.contextMax, opts),
    start: readInteger(obj, "start", 0, Number.MAX_SAFE_INTEGER),
    end: readInteger(obj, "end", 1, Number.MAX_SAFE_INTEGER),
  };
  if (anchor.start >= anchor.end) bad("end", `"end" must be after "start".`);
  if (anchor.end - anchor.start !== quote.length) {
    bad("end", `"end" minus "start" must equal the quote's length.`);
  }
  return anchor;
}

/** Validates the body of `POST /text-chats`. */
export function parseNewTextChat(body: unknown): NewTextChatInput {
  const obj = asObject(body);
  return {
    urlId: readUrlId(obj),
    anchor: parseAnchor(obj.anchor),
    text: readText(obj),
    broadcastId: readBroadcastId(obj),
  };
}

/** Validates the body of `POST /chats/{id}/comments`. */
export function parseNewComment(body: unknown): NewCommentInput {
  const obj = asObject(body);
  const parentId = obj.parentId ?? null;
  if (parentId !== null && typeof parentId !== "string") {
    bad("parentId", `"parentId" must be a string or null.`);
  }
  return { text: readText(obj), parentId, broadcastId: readBroadcastId(obj) };
}

/** Validates the body of `PATCH /chats/{id}/comments/{id}`. */
export function parseEditComment(
  body: unknown,
): { text: string; broadcastId: string } {
  const obj = asObject(body);
  return { text: readText(obj), broadcastId: readBroadcastId(obj) };
}

/** Validates the body of a `DELETE`: it carries only the `broadcastId`. */
export function parseDelete(body: unknown): { broadcastId: string } {
  return { broadcastId: readBroadcastId(asObject(body)) };
}

/** Validates the `since` query parameter of the WebSocket route. */
export function parseSince(value: string | null): number | null {
  if (value === null || value === "") return null;
  if (!/^\d{1,15}$/.test(value)) {
    bad("since", `"since" must be a whole number.`);
  }
  return Number(value);
}
