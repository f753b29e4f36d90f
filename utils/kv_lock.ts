/**
 * One server process per local KV file. Local KV's `watch` sees writes of
 * other isolates of the same process, never those of another process on the
 * same SQLite file, so a second process would serve stale rooms without a
 * word. The serving process takes an exclusive OS lock on a file beside the
 * database; a second process is refused with a message naming the ways to
 * run on more cores or machines.
 *
 * @module
 */

/** Why a second process may not use the same local KV file. */
export class KvLockedError extends Error {
  constructor(kvPath: string, holderPid: string) {
    super(
      `The KV file ${kvPath} is in use by another Tack process (pid ` +
        `${holderPid}). Local KV does not tell one process of another's ` +
        `writes, so one process must serve it: use \`deno serve --parallel ` +
        `main.ts\` to use every core, or a denokv server ` +
        `(DENO_KV_PATH=http(s)://… with DENO_KV_ACCESS_TOKEN) to share a ` +
        `database between processes or machines.`,
    );
    this.name = "KvLockedError";
  }
}

/** A lock taken by {@linkcode lockKvFile}. */
export interface KvLock {
  /** Lets go of the lock. A server never does: it holds it until it exits. */
  release(): void;
}

/** How long a sibling isolate waits for the lock holder to write its pid. */
const PID_WAIT_MS = 2_000;

/**
 * Takes the lock of a local KV file for this process, or throws
 * {@linkcode KvLockedError} when another process holds it. Isolates of one
 * process (`deno serve --parallel`) share the lock: the OS lock belongs to
 * the isolate that took it, and the others recognise their own pid in the
 * lock file. The lock lasts until the process ends or it is released.
 *
 * @example
 * ```ts
 * const path = localKvPath();
 * if (path) await lockKvFile(path);
 * ```
 */
export async function lockKvFile(kvPath: string): Promise<KvLock> {
  const lockPath = `${kvPath}.lock`;
  const slash = lockPath.lastIndexOf("/");
  if (slash > 0) {
    await Deno.mkdir(lockPath.slice(0, slash), { recursive: true });
  }
  // Kept open while locked: closing it drops the lock.
  const file = await Deno.open(lockPath, {
    read: true,
    write: true,
    create: true,
  });
  if (await file.tryLock(true)) {
    await file.truncate(0);
    await file.write(new TextEncoder().encode(String(Deno.pid)));
    return { release: () => file.close() };
  }
  file.close();
  // A sibling that has just taken the lock may not have written its pid
  // yet: the file is empty, or still names the last holder, say a process
  // that served this file before a restart. So only what the file says
  // after a while counts.
  const deadline = Date.now() + PID_WAIT_MS;
  for (;;) {
    const holder = (await Deno.readTextFile(lockPath)).trim();
    if (holder === String(Deno.pid)) return { release: () => {} };
    if (Date.now() > deadline) {
      throw new KvLockedError(kvPath, holder || "unknown");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
