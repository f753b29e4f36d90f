/**
 * A WebSocket test client: connects to a room, collects every server message
 * (array frames flattened) and waits, always with a time limit, for the
 * messages a test expects.
 *
 * @module
 */

import {
  parseFrame,
  type RoomEvent,
  type ServerMessage,
  type SyncMessage,
} from "../utils/protocol.ts";

/** Where and how a {@linkcode WsClient} connects. */
export interface WsClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  tenant: string;
  urlId: string;
  /**
   * The last seq seen, to resume from.
   * @default null (a snapshot)
   */
  since?: number | null;
}

/** Default wait of {@linkcode WsClient.waitFor}, in milliseconds. */
export const WAIT_MS = 10_000;

/** One test socket and everything the server sent it. */
export class WsClient {
  /** Every message received, in order, array frames flattened. */
  readonly messages: ServerMessage[] = [];
  /** How many frames arrived (an array frame counts once). */
  frames = 0;
  /** Every text frame as it arrived. */
  readonly rawFrames: string[] = [];
  #socket: WebSocket;
  #closed: Promise<CloseEvent>;
  #onChange = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    this.#closed = new Promise((resolve) =>
      socket.addEventListener("close", resolve, { once: true })
    );
    socket.addEventListener("message", (event) => {
      this.frames++;
      this.rawFrames.push(String(event.data));
      this.messages.push(...parseFrame(String(event.data)));
      for (const notify of this.#onChange) notify();
    });
    this.#closed.then(() => {
      for (const notify of this.#onChange) notify();
    });
  }

  /**
   * Opens a socket to a room and resolves once it is open.
   *
   * @example
   * ```ts
   * const client = await WsClient.connect({ baseUrl, tenant: "demo", urlId: "a" });
   * const sync = await client.sync();
   * ```
   */
  static async connect(options: WsClientOptions): Promise<WsClient> {
    const url = new URL(
      `/api/v1/${encodeURIComponent(options.tenant)}/ws`,
      options.baseUrl,
    );
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("urlId", options.urlId);
    if (options.since != null) {
      url.searchParams.set("since", String(options.since));
    }
    const socket = new WebSocket(url);
    const client = new WsClient(socket);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out connecting to ${url}`)),
          WAIT_MS,
        );
        socket.addEventListener("open", () => resolve(), { once: true });
        socket.addEventListener(
          "error",
          () => reject(new Error(`could not connect to ${url}`)),
          { once: true },
        );
      });
    } catch (err) {
      await client.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  /** The events received, in order. */
  events(): RoomEvent[] {
    return this.messages.filter((m): m is RoomEvent => "broadcastId" in m);
  }

  /** The seqs of the events received, in order. */
  seqs(): number[] {
    return this.events().map((e) => e.seq);
  }

  /** The last viewer count received, from `sync` or `users`. */
  users(): number | null {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message.type === "users") return message.count;
      if (message.type === "sync") return message.users;
    }
    return null;
  }

  /**
   * Resolves with all messages once `predicate` holds for them; rejects
   * after `timeoutMs` or when the socket closes first.
   */
  waitFor(
    predicate: (messages: ServerMessage[]) => boolean,
    timeoutMs: number = WAIT_MS,
  ): Promise<ServerMessage[]> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.#onChange.delete(check);
        if (error) reject(error);
        else resolve(this.messages);
      };
      const check = () => {
        if (predicate(this.messages)) done();
        else if (this.#socket.readyState === WebSocket.CLOSED) {
          done(new Error(`socket closed; got ${this.#describe()}`));
        }
      };
      const timer = setTimeout(
        () => done(new Error(`timed out; got ${this.#describe()}`)),
        timeoutMs,
      );
      this.#onChange.add(check);
      check();
    });
  }

  /** Waits for the first message, which must be the `sync`. */
  async sync(timeoutMs?: number): Promise<SyncMessage> {
    const [first] = await this.waitFor((m) => m.length > 0, timeoutMs);
    if (first.type !== "sync") {
      throw new Error(`first message is not sync: ${JSON.stringify(first)}`);
    }
    return first;
  }

  /** Waits until `count` events have arrived. */
  waitForEvents(count: number, timeoutMs?: number): Promise<ServerMessage[]> {
    return this.waitFor(() => this.events().length >= count, timeoutMs);
  }

  /** Waits until the last viewer count received is `count`. */
  waitForUsers(count: number, timeoutMs?: number): Promise<ServerMessage[]> {
    return this.waitFor(() => this.users() === count, timeoutMs);
  }

  /** Sends a raw frame. */
  send(data: string): void {
    this.#socket.send(data);
  }

  /** Resolves with the close event, once the socket has closed. */
  closed(): Promise<CloseEvent> {
    return this.#closed;
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.#socket.readyState !== WebSocket.CLOSED) this.#socket.close();
    await this.#closed;
  }

  #describe(): string {
    return JSON.stringify(this.messages).slice(0, 2_000);
  }
}

/**
 * Opens `count` clients to one room and waits for each one's sync.
 *
 * @example
 * ```ts
 * const clients = await connectMany(3, { baseUrl, tenant: "demo", urlId: "a" });
 * ```
 */
export async function connectMany(
  count: number,
  options: WsClientOptions,
): Promise<WsClient[]> {
  const clients: WsClient[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const client = await WsClient.connect(options);
      clients.push(client);
      await client.sync();
    }
  } catch (err) {
    await closeAll(clients);
    throw err;
  }
  return clients;
}

/** Closes every client and waits until all are closed. */
export async function closeAll(clients: WsClient[]): Promise<void> {
  await Promise.all(clients.map((client) => client.close()));
}
