import type { Finding } from './types.js';

/**
 * Merges the findings of repeated runs: one finding per code and title, its detail taken from the
 * first run that showed it, with how many runs showed it.
 */
export function mergeRuns(runs: readonly Finding[][]): Finding[] {
  if (runs.length === 1) return [...runs[0]!];
  const merged = new Map<string, { f: Finding; n: number }>();
  for (const run of runs) {
    for (const code of new Set(run.map((f) => f.code))) {
      const f = run.find((x) => x.code === code)!;
      const m = merged.get(code);
      if (m) m.n += 1;
      else merged.set(code, { f, n: 1 });
    }
  }
  return [...merged.values()].map(({ f, n }) => ({ ...f, detail: `${f.detail}\n(seen in ${n} of ${runs.length} runs)` }));
}
