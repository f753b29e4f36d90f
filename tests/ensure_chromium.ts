/**
 * Run before the test suite: makes sure a Chromium is available for the
 * browser tests. As root on Debian it installs the `chromium` package;
 * anywhere else it explains the fix and fails, so browser tests never skip
 * silently.
 *
 * @module
 */
import { findChrome, NO_BROWSER_HELP } from "./browser/_browser.ts";

async function run(command: string, args: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(command, {
    args,
    // No prompts: this runs unattended in CI.
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return success;
}

function isDebianRoot(): boolean {
  try {
    Deno.statSync("/etc/debian_version");
  } catch {
    return false;
  }
  return Deno.uid() === 0;
}

if (import.meta.main) {
  if (findChrome() !== null) Deno.exit(0);
  if (isDebianRoot()) {
    console.log("No Chromium found; installing the Debian package.");
    const installed = await run("apt-get", ["update"]) &&
      await run("apt-get", ["install", "-y", "chromium"]);
    if (installed && findChrome() !== null) Deno.exit(0);
  }
  console.error(NO_BROWSER_HELP);
  Deno.exit(1);
}
