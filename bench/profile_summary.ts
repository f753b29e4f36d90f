/**
 * Prints the functions with the most self time in a V8 `.cpuprofile`
 * (as written by `deno run --cpu-prof`, e.g. via `deno task bench:load --cpu-prof`).
 *
 * Run: `deno run --allow-read bench/profile_summary.ts <file.cpuprofile> [top]`
 *
 * @module
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function (name, file and line), largest first, in ms.
 *
 * @example
 * ```ts
 * const profile = JSON.parse(await Deno.readTextFile("CPU.cpuprofile"));
 * selfTimes(profile).slice(0, 10);
 * ```
 */
export function selfTimes(
  profile: CpuProfile,
): { frame: string; ms: number; percent: number }[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byNode.get(id)!.callFrame;
    const file = url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, "");
    const frame = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    const us = profile.timeDeltas[i] ?? 0;
    totals.set(frame, (totals.get(frame) ?? 0) + us);
    all += us;
  });
  return [...totals.entries()]
    .map(([frame, us]) => ({ frame, ms: us / 1000, percent: (100 * us) / all }))
    .sort((a, b) => b.ms - a.ms);
}

if (import.meta.main) {
  const [path, top = "25"] = Deno.args;
  const profile = JSON.parse(await Deno.readTextFile(path)) as CpuProfile;
  for (
    const { frame, ms, percent } of selfTimes(profile).slice(0, Number(top))
  ) {
    console.log(
      `${ms.toFixed(1).padStart(9)} ms ${
        percent.toFixed(1).padStart(5)
      }%  ${frame}`,
    );
  }
}
