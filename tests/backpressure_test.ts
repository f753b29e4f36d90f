import assert from "node:assert/strict";
import { CLOSE_RESYNC, parseFrame } from "../utils/protocol.ts";
import { UNLIMITED } from "./_limits.ts";
import { signedInClient } from "./_api.ts";
import { startServer } from "./_server.ts";
import { WsClient } from "./_ws_client.ts";

const TENANT = "demo";
/** The server's bound on a socket's unsent bytes in this test. */
const MAX_BUFFERED = 256 * 1024;
/** Comments of ~12 KB of UTF-8 each: 700 of them outgrow any OS buffer. */
const COMMENTS = 700;
const TEXT = "語".repeat(4_000);

/**
 * A WebSocket client that does the handshake over raw TCP and then reads
 * nothing until told to: the kernel's buffers fill, then the server's.
 */
class SlowReader {
  #conn: Deno.TcpConn;
  #pending = new Uint8Array(0);
  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async connect(port: number, path: string): Promise<SlowReader> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const key = btoa(
      String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))),
    );
    await conn.write(new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ));
    const reader = new SlowReader(conn);
    const head = await reader.#readUntil("\r\n\r\n");
    assert.match(head, /^HTTP\/1\.1 101/);
    return reader;
  }

  /**
   * Reads frames until the server's close frame; returns the text frames'
   * messages and the close code.
   */
  async readToClose(): Promise<{ seqs: number[]; code: number }> {
    const seqs: number[] = [];
    for (;;) {
      const header = await this.#read(2);
      const opcode = header[0] & 0x0f;
      let length = header[1] & 0x7f;
      if (length === 126) {
        length = new DataView((await this.#read(2)).buffer).getUint16(0);
      } else if (length === 127) {
        length = Number(
          new DataView((await this.#read(8)).buffer).getBigUint64(0),
        );
      }
      const payload = await this.#read(length);
      if (opcode === 0x8) {
        return { seqs, code: new DataView(payload.buffer).getUint16(0) };
      }
      if (opcode !== 0x1) continue;
      for (const message of parseFrame(new TextDecoder().decode(payload))) {
        if (message.type !== "sync" && "seq" in message) seqs.push(message.seq);
      }
    }
  }

  close(): void {
    this.#conn.close();
  }

  async #readUntil(marker: string): Promise<string> {
    let text = "";
    while (!text.includes(marker)) {
      text += new TextDecoder().decode(await this.#read(1));
    }
    return text;
  }

  async #read(n: number): Promise<Uint8Array> {
    while (this.#pending.length < n) {
      const chunk = new Uint8Array(65_536);
      const got = await this.#conn.read(chunk);
      if (got === null) throw new Error("connection ended");
      const joined = new Uint8Array(this.#pending.length + got);
      joined.set(this.#pending);
      joined.set(chunk.subarray(0, got), this.#pending.length);
      this.#pending = joined;
    }
    const out = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return out;
  }
}

async function health(url: string) {
  const res = await fetch(`${url}/healthz`);
  return await res.json() as { sockets: number; bufferedBytes: number };
}

Deno.test("a reader that stops reading is dropped with 4000, memory stays bounded, and it recovers", async () => {
  const server = await startServer({
    env: { ...UNLIMITED, TACK_WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED) },
  });
  const urlId = `slow-${crypto.randomUUID()}`;
  const query = `urlId=${encodeURIComponent(urlId)}`;
  const reader = await SlowReader.connect(
    server.port,
    `/api/v1/${TENANT}/ws?${query}`,
  );
  try {
    const api = await signedInClient(server.url, TENANT, "Ada");
    const { chat } = await api.createImageChat({
      urlId,
      src: "/sample.jpg",
      x: 1,
      y: 1,
      text: "start",
      broadcastId: "b0",
    });
    let written = 1;
    let writesDone = false;
    const writing = Promise.all(Array.from({ length: 4 }, async () => {
      while (written < COMMENTS + 1) {
        written++;
        await api.addComment(chat.id, {
          text: TEXT,
          parentId: null,
          broadcastId: crypto.randomUUID(),
        });
      }
    })).then(() => writesDone = true);
    // Watch the server's unsent bytes while the reader holds still.
    let maxBuffered = 0;
    for (let checksAfterWrites = 0;;) {
      const stats = await health(server.url);
      maxBuffered = Math.max(maxBuffered, stats.bufferedBytes);
      if (stats.sockets === 0) break;
      if (writesDone && ++checksAfterWrites > 50) {
        throw new Error("the slow reader was never dropped");
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writing;
    const totalBytes = COMMENTS * TEXT.length * 3;
    assert.ok(
      maxBuffered <= MAX_BUFFERED + 512 * 1024,
      `up to ${maxBuffered} bytes buffered of ${totalBytes} written`,
    );

    // It reads again: what was sent before the drop, then close 4000.
    const { seqs, code } = await reader.readToClose();
    assert.equal(code, CLOSE_RESYNC);
    const lastSeq = seqs.at(-1) ?? 0;
    assert.deepEqual(seqs, Array.from({ length: lastSeq }, (_, i) => i + 1));
    assert.ok(lastSeq < COMMENTS + 1, "it was dropped before the end");

    // Its reconnect with since recovers every later event.
    const client = await WsClient.connect({
      baseUrl: server.url,
      tenant: TENANT,
      urlId,
      since: lastSeq,
    });
    try {
      assert.equal((await client.sync()).recovered, true);
      await client.waitForEvents(COMMENTS + 1 - lastSeq);
      const expected = Array.from(
        { length: COMMENTS + 1 - lastSeq },
        (_, i) => lastSeq + 1 + i,
      );
      assert.deepEqual(client.seqs(), expected);
    } finally {
      await client.close();
    }
  } finally {
    reader.close();
    await server.stop();
  }
});
