/**
 * Page weight: the JavaScript a browser downloads for a page, gzipped. It
 * collects the page's `<script src>`, `modulepreload` links and inline
 * `import`s under `/_frsh/js/`, then follows each file's static imports
 * (dynamic `import()` is left out: it is not fetched on load).
 *
 * @module
 */

/** The JavaScript one page loads. */
export interface PageWeight {
  path: string;
  files: { url: string; bytes: number; gzipBytes: number }[];
  totalBytes: number;
  totalGzipBytes: number;
}

/** Target from the issue: at most 20 KB of gzipped JS per page. */
export const PAGE_WEIGHT_TARGET_BYTES = 20 * 1024;

const JS_PATH = "/_frsh/js/";

/** Static import specifiers: `import x from "…"`, `import "…"`, `export … from "…"`. */
const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;

/** URLs of scripts under `/_frsh/js/` that an HTML page refers to. */
export function scriptUrls(html: string, pageUrl: string): string[] {
  const urls = new Set<string>();
  const attribute = /(?:src|href)=["']([^"']+)["']/g;
  for (const [, value] of html.matchAll(attribute)) {
    if (value.includes(JS_PATH)) urls.add(new URL(value, pageUrl).href);
  }
  for (const [, body] of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const specifier of importSpecifiers(body)) {
      if (specifier.includes(JS_PATH)) {
        urls.add(new URL(specifier, pageUrl).href);
      }
    }
  }
  return [...urls];
}

/** Static import specifiers of a JavaScript module. */
export function importSpecifiers(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((match) => match[1]);
}

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/**
 * Fetches each page and every script it loads, and sums their gzipped sizes.
 *
 * @example
 * ```ts
 * const [image] = await measurePageWeight("http://127.0.0.1:8000", ["/demo/image"]);
 * image.totalGzipBytes <= PAGE_WEIGHT_TARGET_BYTES;
 * ```
 */
export async function measurePageWeight(
  baseUrl: string,
  paths: string[],
): Promise<PageWeight[]> {
  const pages: PageWeight[] = [];
  for (const path of paths) {
    const pageUrl = new URL(path, baseUrl).href;
    const res = await fetch(pageUrl);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    const pending = scriptUrls(await res.text(), pageUrl);
    const seen = new Set(pending);
    const files: PageWeight["files"] = [];
    while (pending.length > 0) {
      const url = pending.shift()!;
      const script = await fetch(url);
      if (!script.ok) throw new Error(`${url}: HTTP ${script.status}`);
      const bytes = new Uint8Array(await script.arrayBuffer());
      files.push({
        url: new URL(url).pathname,
        bytes: bytes.byteLength,
        gzipBytes: await gzipSize(bytes),
      });
      const code = new TextDecoder().decode(bytes);
      for (const specifier of importSpecifiers(code)) {
        const next = new URL(specifier, url).href;
        if (!seen.has(next) && new URL(next).origin === new URL(url).origin) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    pages.push({
      path,
      files,
      totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
      totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    });
  }
  return pages;
}
