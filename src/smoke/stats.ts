/** Statistics over repeated smoke runs: p50/p95 per timing, and the flake rate. Pure. */
import type { StepStats } from '../report/report.js';
import type { GateResult, RunTimings } from './gates.js';

export const TIMING_NAMES = ['agentJoinedMs', 'agentActiveMs', 'firstAgentAudioMs', 'bufferedMs'] as const satisfies ReadonlyArray<keyof RunTimings>;

export interface SmokeStats {
  /** p50/p95/min/max per timing (ms) over the runs that measured it; `failures` = runs that did not. */
  stats: StepStats[];
  flake: {
    runs: number;
    /** Runs with at least one failed gate. */
    failedRuns: number;
    /** failedRuns / runs (0 when there was no run). */
    rate: number;
  };
  /** Failures per gate over all runs. */
  gateFailures: Record<string, number>;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? null;
}

export function smokeStats(runs: ReadonlyArray<{ timings: RunTimings; gates: readonly GateResult[] }>): SmokeStats {
  const stats = TIMING_NAMES.map((name): StepStats => {
    const values = runs
      .map((r) => r.timings[name])
      .filter((v): v is number => typeof v === 'number')
      .sort((a, b) => a - b);
    const opt = (k: string, v: number | null) => (v === null ? {} : { [k]: v });
    return {
      name,
      n: values.length,
      ...opt('p50', percentile(values, 50)),
      ...opt('p95', percentile(values, 95)),
      ...opt('min', values[0] ?? null),
      ...opt('max', values.at(-1) ?? null),
      failures: runs.length - values.length,
    };
  });
  const failedRuns = runs.filter((r) => r.gates.some((g) => g.status === 'failed')).length;
  const gateFailures: Record<string, number> = {};
  for (const r of runs) for (const g of r.gates) gateFailures[g.name] = (gateFailures[g.name] ?? 0) + (g.status === 'failed' ? 1 : 0);
  return { stats, flake: { runs: runs.length, failedRuns, rate: runs.length ? Math.round((failedRuns / runs.length) * 1000) / 1000 : 0 }, gateFailures };
}

/**
 * Runs `task(i)` for i = 0..n-1 with at most `concurrency` at once; stops starting new ones once
 * `stop()` is true. Results keep their index order; a task that throws is returned as its error.
 */
export async function pool<T>(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
  stop: () => boolean = () => false,
): Promise<Array<{ ok: true; value: T } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: T } | { ok: false; error: unknown }> = [];
  let next = 0;
  const worker = async () => {
    while (next < n && !stop()) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await task(i) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
  return results.filter((r) => r !== undefined);
}
