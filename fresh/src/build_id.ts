/**
 * The build id names a version of the client bundle in its URLs
 * (`/_frsh/js/<build id>/…`) and busts caches of `asset()` paths. It is a
 * hash of the bundle's inputs, so every process and isolate serving the same
 * code agrees on it without coordinating, and it changes when the code does.
 *
 * @module
 */

const HASHED_FILE = /\.(tsx?|jsx?|mjs|json|lock)$/;
// Folders that never feed the client bundle.
const SKIPPED_DIRS = new Set([
  "node_modules",
  "_fresh",
  "static",
  "data",
  "tests",
]);

async function listInputs(dir: string, out: Set<string>): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      if (!entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name)) {
        await listInputs(path, out);
      }
    } else if (entry.isFile && HASHED_FILE.test(entry.name)) {
      out.add(path);
    }
  }
}

/** Hex SHA-256 of some bytes. */
export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * Hashes the source files under `root` (skipping `static/`, `tests/`,
 * `data/`, `_fresh/` and dot folders), the runtime's own sources, the extra
 * files given (the Deno config and lock), the generated entry sources and
 * the Deno version.
 *
 * @example
 * ```ts
 * const id = await computeBuildId("/app", ["/app/deno.json"], ["export …"]);
 * ```
 */
export async function computeBuildId(
  root: string,
  extraFiles: string[],
  entrySources: string[],
): Promise<string> {
  const files = new Set<string>();
  await listInputs(root, files);
  await listInputs(
    new URL(".", import.meta.url).pathname.replace(/\/$/, ""),
    files,
  );
  for (const file of extraFiles) files.add(file);
  const parts: string[] = [Deno.version.deno, ...entrySources];
  for (const file of [...files].sort()) {
    try {
      parts.push(file, await Deno.readTextFile(file));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  const hash = await sha256Hex(new TextEncoder().encode(parts.join("\0")));
  return hash.slice(0, 20);
}
