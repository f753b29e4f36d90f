/**
 * Serves the `static/` folder: content types, ETags with `304 Not Modified`,
 * and long-lived caching for `asset()` URLs (`?__frsh_c=…`).
 *
 * @module
 */
import { sha256Hex } from "./build_id.ts";

const CONTENT_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  wasm: "application/wasm",
  webmanifest: "application/manifest+json",
  xml: "application/xml",
  pdf: "application/pdf",
};

/** `Cache-Control` for URLs that carry a build id: they never change. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The content type for a file name, by extension.
 *
 * @example
 * ```ts
 * contentType("styles.css"); // "text/css; charset=utf-8"
 * ```
 */
export function contentType(name: string): string {
  const ext = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/** Whether an `If-None-Match` header matches `etag` (weak comparison). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate.replace(/^W\//, "") === bare;
  });
}

interface CachedFile {
  mtime: number;
  body: Uint8Array;
  etag: string;
}

/** The files of a static folder, listed once at startup. */
export class StaticFiles {
  #dir: string;
  #paths: Set<string>;
  #cache = new Map<string, CachedFile>();

  private constructor(dir: string, paths: Set<string>) {
    this.#dir = dir;
    this.#paths = paths;
  }

  /**
   * Lists the files under `dir` (none if it does not exist).
   *
   * @example
   * ```ts
   * const files = await StaticFiles.load("/app/static");
   * files.has("/styles.css"); // true
   * ```
   */
  static async load(dir: string): Promise<StaticFiles> {
    const paths = new Set<string>();
    async function walk(relative: string) {
      for await (const entry of Deno.readDir(dir + relative)) {
        const path = `${relative}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else if (entry.isFile) paths.add(path);
      }
    }
    try {
      await walk("");
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return new StaticFiles(dir, paths);
  }

  /** Whether there is a file at this URL path (already decoded). */
  has(path: string): boolean {
    return this.#paths.has(path);
  }

  /** Responds with the file at `path`; call only when {@linkcode has} is true. */
  async serve(req: Request, path: string, url: URL): Promise<Response> {
    const file = await this.#read(path);
    const headers = new Headers({
      "Content-Type": contentType(path),
      "ETag": file.etag,
      "Cache-Control": url.searchParams.has("__frsh_c")
        ? IMMUTABLE
        : "no-cache",
    });
    if (etagMatches(req.headers.get("If-None-Match"), file.etag)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set("Content-Length", String(file.body.byteLength));
    const body = req.method === "HEAD" ? null : file.body;
    return new Response(body as BodyInit | null, { headers });
  }

  async #read(path: string): Promise<CachedFile> {
    const fsPath = this.#dir + path;
    const mtime = (await Deno.stat(fsPath)).mtime?.getTime() ?? 0;
    const cached = this.#cache.get(path);
    if (cached && cached.mtime === mtime) return cached;
    const body = await Deno.readFile(fsPath);
    const file = {
      mtime,
      body,
      etag: `"${(await sha256Hex(body)).slice(0, 32)}"`,
    };
    this.#cache.set(path, file);
    return file;
  }
}
