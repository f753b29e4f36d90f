/**
 * Resident memory and CPU time of a process and its descendants, read from
 * Linux's `/proc`. Servers under test may fork workers, so every reading
 * covers the whole process tree.
 *
 * @module
 */

/** One reading of a process tree. */
export interface ProcSample {
  /** Resident set size of the tree, in bytes. */
  rssBytes: number;
  /** User plus system CPU time the tree has used, in milliseconds. */
  cpuMs: number;
  /** When the reading was taken: wall-clock ms, sub-ms precise. */
  at: number;
}

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null; // the process exited between listing and reading
  }
}

/** Fields of `/proc/<pid>/stat` after the parenthesised command name. */
function statFields(pid: number): string[] | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The pid and all its descendants, found by their parent pid. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields === null) continue;
    const parent = Number(fields[1]); // field 4, "ppid"
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Reads RSS (`VmRSS` in `/proc/<pid>/status`) and CPU time (`utime + stime`
 * in `/proc/<pid>/stat`) summed over a process tree.
 *
 * @example
 * ```ts
 * const before = sampleProcessTree(server.pid);
 * // … load …
 * const after = sampleProcessTree(server.pid);
 * cpuPercent(before, after); // 100 = one core busy
 * ```
 */
export function sampleProcessTree(
  rootPid: number,
  descendants = true,
): ProcSample {
  let rssBytes = 0;
  let ticks = 0;
  for (const pid of descendants ? processTree(rootPid) : [rootPid]) {
    const status = readText(`/proc/${pid}/status`);
    const rss = status?.match(/^VmRSS:\s+(\d+) kB/m);
    if (rss) rssBytes += Number(rss[1]) * 1024;
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return {
    rssBytes,
    cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
    at: performance.timeOrigin + performance.now(),
  };
}

/** CPU use between two samples, in percent of one core. */
export function cpuPercent(before: ProcSample, after: ProcSample): number {
  const wallMs = after.at - before.at;
  return wallMs <= 0 ? 0 : (100 * (after.cpuMs - before.cpuMs)) / wallMs;
}

/** Resource use of a process tree over a time window. */
export interface WindowStats {
  /** CPU use in percent of one core (200 = both cores of two). */
  cpuPercent: number;
  rssMaxBytes: number;
}

/** Samples a process tree in the background while a scenario runs. */
export class ProcMonitor {
  readonly samples: ProcSample[] = [];
  #timer: ReturnType<typeof setInterval>;

  /**
   * Takes a first sample now and one every `intervalMs` until `stop()`.
   *
   * @example
   * ```ts
   * const monitor = new ProcMonitor(server.pid);
   * // … load …
   * monitor.stop();
   * monitor.window(startedAt, endedAt).cpuPercent;
   * ```
   */
  constructor(
    readonly pid: number,
    readonly descendants = true,
    intervalMs = 500,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes a sample now (also useful right at a window's edge). */
  sample(): ProcSample {
    const sample = sampleProcessTree(this.pid, this.descendants);
    this.samples.push(sample);
    return sample;
  }

  /** Stops sampling, after one last sample. */
  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }

  /** CPU and peak RSS between two wall-clock times (ms). */
  window(from: number, to: number): WindowStats {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0] ?? this.#nearest(from);
    const last = inside.at(-1) ?? this.#nearest(to);
    return {
      cpuPercent: cpuPercent(first, last),
      rssMaxBytes: Math.max(first.rssBytes, ...inside.map((s) => s.rssBytes)),
    };
  }

  #nearest(at: number): ProcSample {
    return this.samples.reduce((best, s) =>
      Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best
    );
  }
}
