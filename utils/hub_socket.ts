/**
 * The socket side of the realtime hub: sending frames and answering what
 * clients send. Kept apart from the rooms so each can be read on its own.
 *
 * @module
 */

/** The part of a `WebSocket` the hub uses. */
export type HubSocket = Pick<
  WebSocket,
  "readyState" | "bufferedAmount" | "send" | "close" | "addEventListener"
>;

/** `WebSocket.OPEN`, spelled out so this module also runs where it is absent. */
export const SOCKET_OPEN = 1;

/** Close code for a frame over the size limit (RFC 6455 "message too big"). */
export const CLOSE_TOO_LARGE = 1009;

/**
 * Sends messages as one frame: a lone message as an object, several as an
 * array. Nothing is sent to a socket that is not open, and a socket that
 * closes under us is left to its close event.
 *
 * @example
 * ```ts
 * sendFrame(socket, [syncMessage]); // '{"type":"sync",…}'
 * sendFrame(socket, events); // '[{…},{…}]' when there are several
 * ```
 */
export function sendFrame(socket: HubSocket, messages: unknown[]): void {
  if (messages.length === 0 || socket.readyState !== SOCKET_OPEN) return;
  try {
    socket.send(JSON.stringify(messages.length === 1 ? messages[0] : messages));
  } catch {
    // Closed between the check and the send.
  }
}

/**
 * Closes a socket, ignoring a socket that is already closing.
 *
 * @example
 * ```ts
 * closeQuietly(socket, 1001, "server shutting down");
 * ```
 */
export function closeQuietly(
  socket: HubSocket,
  code: number,
  reason: string,
): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closing.
  }
}

/**
 * Answers one client frame. Writes go over REST, so the socket only answers
 * `{"type":"ping"}` with `{"type":"pong"}` and ignores anything else; a frame
 * over `maxBytes` closes the socket with 1009.
 *
 * @example
 * ```ts
 * socket.addEventListener("message", (e) => answerClientFrame(socket, e.data, 65_536));
 * ```
 */
export function answerClientFrame(
  socket: HubSocket,
  data: unknown,
  maxBytes: number,
): void {
  if (frameBytes(data, maxBytes) > maxBytes) {
    closeQuietly(socket, CLOSE_TOO_LARGE, "frame too large");
    return;
  }
  if (typeof data !== "string") return;
  try {
    if (JSON.parse(data)?.type === "ping") {
      sendFrame(socket, [{ type: "pong" }]);
    }
  } catch {
    // Not JSON: ignored like any other unknown frame.
  }
}

const encoder = new TextEncoder();

/** A frame's size in bytes, exact whenever it could exceed `max`. */
function frameBytes(data: unknown, max: number): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (data instanceof Blob) return data.size;
  if (typeof data !== "string") return 0;
  // A UTF-16 unit takes at most 3 UTF-8 bytes: short text needs no encoding.
  return data.length * 3 <= max ? data.length : encoder.encode(data).length;
}
