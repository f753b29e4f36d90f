/**
 * Writers: post stamped comments through the public REST API at a scheduled
 * rate. The schedule is open-loop (a write is sent when it is due, whether or
 * not earlier ones have been answered), so a slow server meets the offered
 * load instead of slowing the generator down.
 *
 * @module
 */
import { Histogram, type LatencySummary } from "./histogram.ts";
import { API_PATH, nowMs, stampText } from "./wire.ts";

/** One step of a load ramp. */
export interface LoadStage {
  /** Writes per second. */
  rate: number;
  seconds: number;
}

/** What the writers did during one stage. */
export interface WriteStageResult extends LoadStage {
  /** Writes that were due. */
  offered: number;
  ok: number;
  failed: number;
  /** Writes not sent because `maxInFlight` requests were already waiting. */
  skipped: number;
  /** REST round trip of the writes. */
  response: LatencySummary;
  /** Wall-clock start and end of the stage, in ms. */
  startedAt: number;
  endedAt: number;
}

/** Options of a writer. */
export interface WriterOptions {
  /**
   * Sessions (authors) the writes rotate through.
   * @default 4
   */
  sessions?: number;
  /**
   * Requests awaiting a response before further due writes are skipped.
   * @default 256
   */
  maxInFlight?: number;
}

/** A write not answered by then counts as failed. */
const REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes to one server under test. */
export class Writer {
  readonly #api: string;
  readonly #sessions: number;
  readonly #maxInFlight: number;
  #tokens: string[] = [];
  #chatIds = new Map<string, string>();
  #writes = 0;

  constructor(baseUrl: string, options: WriterOptions = {}) {
    this.#api = `${baseUrl}${API_PATH}`;
    this.#sessions = options.sessions ?? 4;
    this.#maxInFlight = options.maxInFlight ?? 256;
  }

  async #post(path: string, body: unknown): Promise<Response> {
    const token = this.#tokens[this.#writes++ % this.#tokens.length];
    return await fetch(`${this.#api}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }

  async #json<T>(response: Promise<Response>, status: number): Promise<T> {
    const res = await response;
    const body = await res.json();
    if (res.status !== status) {
      throw new Error(`expected ${status}, got ${res.status}: ${body}`);
    }
    return body as T;
  }

  /**
   * Creates the sessions and one image chat per room, for comments to go to.
   *
   * @example
   * ```ts
   * const writer = new Writer("http://127.0.0.1:8000");
   * await writer.setup(["room-0", "room-1"]);
   * ```
   */
  async setup(urlIds: string[], concurrency = 16): Promise<void> {
    for (let i = 0; i < this.#sessions; i++) {
      const { token } = await this.#json<{ token: string }>(
        this.#post("/sessions", { name: `writer ${i + 1}` }),
        201,
      );
      this.#tokens.push(token);
    }
    let next = 0;
    const lane = async () => {
      while (next < urlIds.length) {
        const urlId = urlIds[next++];
        const { chat } = await this.#json<{ chat: { id: string } }>(
          this.#post("/image-chats", {
            urlId,
            src: "/bench.png",
            x: 50,
            y: 50,
            text: "Where the benchmark writes.",
            broadcastId: `setup-${urlId}`,
          }),
          201,
        );
        this.#chatIds.set(urlId, chat.id);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  /** Each room's current seq, as the server reports it. */
  async seqs(urlIds: string[]): Promise<Record<string, number>> {
    const seqs: Record<string, number> = {};
    for (const urlId of urlIds) {
      const query = new URLSearchParams({ urlId });
      const res = await fetch(`${this.#api}/image-chats?${query}`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      seqs[urlId] = (await res.json()).seq;
    }
    return seqs;
  }

  /**
   * Runs `stages` in order. Write `n` goes to `roomOf(n)`; its comment carries
   * its stage (counted from `firstStage`) and send time.
   */
  async run(
    stages: LoadStage[],
    roomOf: (n: number) => string,
    firstStage = 0,
  ): Promise<WriteStageResult[]> {
    const results: WriteStageResult[] = [];
    const responses: Histogram[] = [];
    const pending = new Set<Promise<void>>();
    let n = 0;
    for (const [index, { rate, seconds }] of stages.entries()) {
      const stage = firstStage + index;
      const result: WriteStageResult = {
        rate,
        seconds,
        offered: Math.round(rate * seconds),
        ok: 0,
        failed: 0,
        skipped: 0,
        response: new Histogram().summary(),
        startedAt: nowMs(),
        endedAt: 0,
      };
      const response = new Histogram();
      responses.push(response);
      let sent = 0;
      while (sent < result.offered) {
        const elapsed = nowMs() - result.startedAt;
        const due = Math.min(result.offered, Math.floor(elapsed * rate / 1000));
        for (; sent < due; sent++) {
          if (pending.size >= this.#maxInFlight) {
            result.skipped++;
            continue;
          }
          const write = this.#comment(roomOf(n++), stage, result, response);
          pending.add(write);
          write.finally(() => pending.delete(write));
        }
        await sleep(2);
      }
      result.endedAt = nowMs();
      results.push(result);
    }
    await Promise.all(pending);
    results.forEach((result, i) => result.response = responses[i].summary());
    return results;
  }

  async #comment(
    urlId: string,
    stage: number,
    result: WriteStageResult,
    response: Histogram,
  ): Promise<void> {
    const sentAt = nowMs();
    try {
      const res = await this.#post(
        `/chats/${this.#chatIds.get(urlId)}/comments`,
        { text: stampText(stage, sentAt), broadcastId: `w${this.#writes}` },
      );
      await res.body?.cancel();
      if (res.status === 201) result.ok++;
      else result.failed++;
    } catch {
      result.failed++;
    }
    response.record(nowMs() - sentAt);
  }
}
