/**
 * How the generator talks to each server under test: where a viewer's socket
 * connects, how a frame becomes messages, and how a write is stamped so that
 * every subscriber can measure publish-to-deliver latency.
 *
 * Tack and the ceiling speak Tack's wire format (one message object or an
 * array per frame). Socket.IO is spoken as Engine.IO v4 over a raw WebSocket,
 * which costs the generator no more than the others and leaves the server's
 * work unchanged.
 *
 * @module
 */

/** The servers under test. */
export type ServerKind = "tack" | "tack-parallel" | "ceiling" | "socketio";

/** What a viewer needs from a server message. */
export interface ViewerMessage {
  type: string;
  seq?: number;
  recovered?: boolean;
  comment?: { text?: string };
}

const TENANT = "demo";

/** The REST base path every server serves, e.g. `/api/v1/demo`. */
export const API_PATH = `/api/v1/${TENANT}`;

/**
 * The WebSocket URL a viewer of `urlId` opens.
 *
 * @example
 * ```ts
 * socketUrl("socketio", "http://127.0.0.1:8000", "room-1", 4);
 * ```
 */
export function socketUrl(
  kind: ServerKind,
  baseUrl: string,
  urlId: string,
  since: number | null,
): string {
  const ws = baseUrl.replace(/^http/, "ws");
  const query = new URLSearchParams({ urlId });
  if (since !== null) query.set("since", String(since));
  if (kind === "socketio") {
    return `${ws}/socket.io/?EIO=4&transport=websocket&${query}`;
  }
  return `${ws}${API_PATH}/ws?${query}`;
}

/**
 * Turns one frame into messages. For Socket.IO it also answers the Engine.IO
 * handshake and pings through `reply`.
 */
export function decodeFrame(
  kind: ServerKind,
  data: string,
  reply: (frame: string) => void,
): ViewerMessage[] {
  if (kind !== "socketio") {
    const parsed = JSON.parse(data);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  switch (data[0]) {
    case "0": // Engine.IO open: join the default namespace
      reply("40");
      return [];
    case "2": // Engine.IO ping
      reply("3");
      return [];
    case "4":
      // "42" is a Socket.IO event: ["message", payload]
      return data[1] === "2" ? [JSON.parse(data.slice(2))[1]] : [];
    default:
      return [];
  }
}

/** Prefix of every stamped comment. */
const STAMP = "bench ";

/** Wall-clock milliseconds with sub-millisecond precision, comparable across Workers. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Comment text carrying the load stage and the send time.
 *
 * @example
 * ```ts
 * readStamp(stampText(2, 1700000000000.5)); // { stage: 2, sentAt: 1700000000000.5 }
 * ```
 */
export function stampText(stage: number, sentAt: number): string {
  return `${STAMP}${stage} ${sentAt.toFixed(3)}`;
}

/** What {@linkcode stampText} writes: `bench <stage> <sentAt>`. */
const STAMP_PATTERN = /^bench (\d+) (\d+(?:\.\d+)?)$/;

/** Reads a stamp back from comment text, or null for other text. */
export function readStamp(
  text: string | undefined,
): { stage: number; sentAt: number } | null {
  if (text === undefined || !text.startsWith(STAMP)) return null;
  const match = STAMP_PATTERN.exec(text);
  if (match === null) return null; // e.g. "bench press": not a stamp
  return { stage: Number(match[1]), sentAt: Number(match[2]) };
}
