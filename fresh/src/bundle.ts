/**
 * The client bundle: `main.js` (the island reviver), one `island-<name>.js`
 * per island module and one `plugin-<plugin>-<entry>.js` per plugin
 * entrypoint, built by ONE `deno bundle --code-splitting` call so they all
 * share a single preact and @preact/signals through common chunks.
 *
 * Served from `_fresh/` when `dev.ts build` wrote it there, otherwise built
 * on first need into memory.
 *
 * @module
 */
import type { Island } from "./islands.ts";
import type { Plugin } from "./types.ts";
import { computeBuildId } from "./build_id.ts";

/** A generated bundle entry module. */
export interface ClientEntry {
  /** Output file name without `.js`, e.g. `island-counter`. */
  name: string;
  source: string;
}

/** Written by `dev.ts build` next to the bundle in `_fresh/`. */
export interface BuildSnapshot {
  buildId: string;
  /** Bundle files, relative to `_fresh/js/`. */
  files: string[];
}

const CLIENT_MODULE = new URL("./client.ts", import.meta.url).href;

/**
 * The entry modules for the islands and plugins. They import by absolute
 * URL, so the project's import map resolves what those modules import.
 *
 * @example
 * ```ts
 * clientEntries(islands, [{ name: "embed", entrypoints: { mount: url } }]);
 * // [{ name: "main", … }, { name: "island-counter", … }, { name: "plugin-embed-mount", … }]
 * ```
 */
export function clientEntries(
  islands: Island[],
  plugins: Plugin[],
): ClientEntry[] {
  const entries: ClientEntry[] = [
    { name: "main", source: `export { revive } from "${CLIENT_MODULE}";\n` },
  ];
  const exportsByModule = new Map<string, { url: string; names: string[] }>();
  for (const island of islands) {
    const module = exportsByModule.get(island.name) ??
      { url: island.url, names: [] };
    module.names.push(island.exportName);
    exportsByModule.set(island.name, module);
  }
  for (const [name, { url, names }] of exportsByModule) {
    entries.push({
      name: `island-${name}`,
      source: `export { ${names.join(", ")} } from "${url}";\n`,
    });
  }
  for (const plugin of plugins) {
    for (const [entry, specifier] of Object.entries(plugin.entrypoints ?? {})) {
      // A namespace read keeps `default` optional: a module without one
      // still bundles, with an undefined default.
      entries.push({
        name: `plugin-${plugin.name}-${entry}`,
        source: `export * from "${specifier}";\n` +
          `import * as entry from "${specifier}";\n` +
          `export default (entry as Record<string, unknown>).default;\n`,
      });
    }
  }
  return entries;
}

/**
 * Runs `deno bundle` over the entries, writing `<name>.js` files and shared
 * `chunk-*.js` files into `outDir`. Returns the file names written.
 *
 * @example
 * ```ts
 * await bundleClient(entries, { configPath: "/app/deno.json", outDir: "/app/_fresh/js" });
 * ```
 */
export async function bundleClient(
  entries: ClientEntry[],
  options: { configPath: string; outDir: string },
): Promise<string[]> {
  const entryDir = await Deno.makeTempDir({ prefix: "fresh-entries-" });
  try {
    const paths: string[] = [];
    for (const entry of entries) {
      const path = `${entryDir}/${entry.name}.ts`;
      await Deno.writeTextFile(path, entry.source);
      paths.push(path);
    }
    await Deno.mkdir(options.outDir, { recursive: true });
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--config",
        options.configPath,
        "--platform",
        "browser",
        "--format",
        "esm",
        "--code-splitting",
        "--minify",
        "--outdir",
        options.outDir,
        ...paths,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) {
      throw new Error(
        `Bundling islands failed:\n${new TextDecoder().decode(stderr)}`,
      );
    }
  } finally {
    await Deno.remove(entryDir, { recursive: true });
  }
  const files: string[] = [];
  for await (const file of Deno.readDir(options.outDir)) {
    if (file.isFile && file.name.endsWith(".js")) files.push(file.name);
  }
  return files.sort();
}

/**
 * Finds the Deno config that applies to `root`: the nearest `deno.json` or
 * `deno.jsonc` in it or a parent folder.
 */
export async function findDenoConfig(root: string): Promise<string> {
  for (let dir = root; dir !== ""; dir = dir.slice(0, dir.lastIndexOf("/"))) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      try {
        await Deno.stat(`${dir}/${name}`);
        return `${dir}/${name}`;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
  throw new Error(`No deno.json found for ${root}`);
}

/** What the client bundle is built from. */
export interface BuildInputs {
  /** The project folder (where `fresh.gen.ts` is). */
  root: string;
  islands: Island[];
  plugins: Plugin[];
}

/** Options of {@linkcode ClientBundle.open}. */
export interface ClientBundleOptions extends BuildInputs {
  /** Folder of a prebuilt bundle. */
  outDir: string;
  /** Whether a prebuilt bundle in `outDir` may be used. */
  useSnapshot: boolean;
}

interface BuildPlan {
  entries: ClientEntry[];
  configPath: string;
  buildId: string;
}

async function planBuild(inputs: BuildInputs): Promise<BuildPlan> {
  const entries = clientEntries(inputs.islands, inputs.plugins);
  const configPath = await findDenoConfig(inputs.root);
  const lockPath = configPath.replace(/[^/]+$/, "deno.lock");
  const buildId = await computeBuildId(
    inputs.root,
    [configPath, lockPath],
    entries.map((entry) => entry.source),
  );
  return { entries, configPath, buildId };
}

/**
 * The client bundle of one app. {@linkcode ClientBundle.open} settles the
 * build id; files are built (once, shared by concurrent callers) or read
 * from the snapshot when first asked for.
 */
export class ClientBundle {
  readonly buildId: string;
  #load: () => Promise<Map<string, Uint8Array>>;
  #files: Promise<Map<string, Uint8Array>> | null = null;

  private constructor(
    buildId: string,
    load: () => Promise<Map<string, Uint8Array>>,
  ) {
    this.buildId = buildId;
    this.#load = load;
  }

  /**
   * Opens the prebuilt bundle when there is one, else prepares to build.
   * `DENO_DEPLOYMENT_ID`, when set, is the build id.
   */
  static async open(options: ClientBundleOptions): Promise<ClientBundle> {
    const deploymentId = Deno.env.get("DENO_DEPLOYMENT_ID");
    const snapshot = options.useSnapshot
      ? await readSnapshot(options.outDir)
      : null;
    if (snapshot) {
      return new ClientBundle(deploymentId || snapshot.buildId, async () => {
        const files = new Map<string, Uint8Array>();
        for (const name of snapshot.files) {
          files.set(name, await Deno.readFile(`${options.outDir}/js/${name}`));
        }
        return files;
      });
    }
    const { entries, configPath, buildId } = await planBuild(options);
    return new ClientBundle(deploymentId || buildId, async () => {
      const outDir = await Deno.makeTempDir({ prefix: "fresh-bundle-" });
      try {
        const files = new Map<string, Uint8Array>();
        const names = await bundleClient(entries, { configPath, outDir });
        for (const name of names) {
          files.set(name, await Deno.readFile(`${outDir}/${name}`));
        }
        return files;
      } finally {
        await Deno.remove(outDir, { recursive: true });
      }
    });
  }

  /** The bytes of a bundle file, or `undefined` if there is no such file. */
  async file(name: string): Promise<Uint8Array | undefined> {
    if (this.#files === null) {
      this.#files = this.#load();
      // A failed build is retried by the next request instead of sticking.
      this.#files.catch(() => this.#files = null);
    }
    return (await this.#files).get(name);
  }
}

/** Reads `<outDir>/snapshot.json`, or `null` when there is none. */
export async function readSnapshot(
  outDir: string,
): Promise<BuildSnapshot | null> {
  try {
    return JSON.parse(await Deno.readTextFile(`${outDir}/snapshot.json`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Prebuilds the bundle into `<outDir>/js/` and writes `<outDir>/snapshot.json`,
 * replacing what was there.
 *
 * @example
 * ```ts
 * await buildSnapshot({ root: "/app", islands, plugins: [] }, "/app/_fresh");
 * ```
 */
export async function buildSnapshot(
  inputs: BuildInputs,
  outDir: string,
): Promise<BuildSnapshot> {
  const { entries, configPath, buildId } = await planBuild(inputs);
  try {
    await Deno.remove(outDir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const files = await bundleClient(entries, {
    configPath,
    outDir: `${outDir}/js`,
  });
  const snapshot: BuildSnapshot = { buildId, files };
  await Deno.writeTextFile(
    `${outDir}/snapshot.json`,
    JSON.stringify(snapshot, null, 2) + "\n",
  );
  return snapshot;
}
