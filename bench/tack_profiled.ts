/**
 * Tack's `main.ts` with a SIGTERM handler that exits normally, so that
 * `deno run --cpu-prof` gets to write its profile when the bench stops it.
 *
 * @module
 */
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
await import("../main.ts");
