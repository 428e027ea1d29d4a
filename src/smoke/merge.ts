/**
 * `lkdiag report merge`: smoke reports of several shards (or machines) → the one smoke report a single
 * `smoke --repeat N` over all their runs would have made. Pure: the files are read by the command.
 */
import { metaFor } from '../diagnose/catalogue.js';
import { mergeRuns } from '../diagnose/merge.js';
import type { Finding } from '../diagnose/types.js';
import { EXIT, usageError, type ExitCode } from '../errors.js';
import { makeReport, SCHEMA, type Report } from '../report/report.js';
import type { GateConfig } from './gates.js';
import { smokeStats } from './stats.js';
import type { SmokeProbe, SmokeRun, SmokeSections } from './types.js';

/** One input: where it came from (for messages) and its parsed JSON. */
export interface MergeInput {
  file: string;
  json: unknown;
}

/** smoke's exit code over runs, probe and findings (smokeExitCode in commands/smoke.run.ts). */
export type SmokeExitCode = (
  runs: readonly SmokeRun[],
  probe: SmokeProbe | undefined,
  findings: readonly Finding[],
  cfg: GateConfig,
  interrupted: boolean,
) => ExitCode;

/** Where each run of the merged report came from. */
export interface MergedFrom {
  file: string;
  shard: { index: number; total: number } | null;
  runs: number[];
}

type SmokeReport = Report & SmokeSections;

const HINT = 'Pass the files `lkdiag smoke --json > FILE` wrote (one per shard).';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that a parsed document is a complete smoke report; a usage error (exit 2) names the file otherwise. */
export function asSmokeReport(input: MergeInput): SmokeReport {
  const { file, json } = input;
  if (!isObject(json)) throw usageError(`${file} is not an lkdiag report (not a JSON object)`, HINT);
  if (json['schema'] !== SCHEMA) throw usageError(`${file} is not an ${SCHEMA} report (schema: ${JSON.stringify(json['schema'] ?? null)})`, HINT);
  if (json['command'] !== 'smoke')
    throw usageError(
      `${file} is a report of \`lkdiag ${String(json['command'])}\`, not of \`lkdiag smoke\``,
      `report merge merges smoke reports only. ${HINT}`,
    );
  const runs = json['runs'];
  const target = json['target'];
  const config = json['config'];
  const complete =
    Array.isArray(runs) &&
    runs.every(
      (r) =>
        isObject(r) &&
        Number.isSafeInteger(r['index']) &&
        (r['index'] as number) >= 1 &&
        Array.isArray(r['gates']) &&
        Array.isArray(r['findings']) &&
        isObject(r['timings']),
    ) &&
    isObject(target) &&
    Number.isSafeInteger(target['repeat']) &&
    isObject(config) &&
    isObject(config['gates']) &&
    typeof json['startedAt'] === 'string' &&
    Number.isFinite(Date.parse(json['startedAt'])) &&
    typeof json['durationMs'] === 'number';
  if (!complete) throw usageError(`${file} is not a complete smoke report (runs, target, config, startedAt or durationMs missing or malformed)`, HINT);
  return json as SmokeReport;
}

/** The gate settings as one comparable string (list order does not matter). */
function gatesKey(cfg: GateConfig): string {
  const entries: Array<[string, unknown]> = Object.entries(cfg);
  const sorted = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
  return JSON.stringify(sorted);
}

const shardName = (s: { index: number; total: number }) => `${s.index}/${s.total}`;

/**
 * Merges smoke reports into one: every run (by index; an index in two reports is a usage error),
 * findings merged the way smoke merges runs, statistics and the exit code recomputed. Sharded inputs
 * must be the N shards of one `--repeat`: the same N and repeat, each shard once, none missing.
 */
export function mergeSmokeReports(inputs: readonly MergeInput[], exitCodeOf: SmokeExitCode): Report {
  if (inputs.length === 0) throw usageError('no report to merge', 'Pass one or more smoke --json report files: lkdiag report merge shard-*.json');
  const reports = inputs.map((i) => ({ file: i.file, r: asSmokeReport(i) }));

  // The same gate settings everywhere: otherwise no single smoke run would have given this result.
  const cfg = reports[0]!.r.config.gates;
  for (const { file, r } of reports.slice(1)) {
    if (gatesKey(r.config.gates) !== gatesKey(cfg)) {
      throw usageError(
        `${file} was made with other gate settings than ${reports[0]!.file}`,
        'Run every shard with the same gate flags and config file, then merge.',
      );
    }
  }

  // Shards: all or none, of the same N and repeat, each once.
  const sharded = reports.filter((x) => x.r.target.shard);
  let repeat: number;
  if (sharded.length > 0) {
    const plain = reports.find((x) => !x.r.target.shard);
    if (plain)
      throw usageError(
        `${plain.file} is not a shard, but ${sharded[0]!.file} is (shard ${shardName(sharded[0]!.r.target.shard!)})`,
        'Merge the shards of one smoke --repeat N --shard I/N, or reports without --shard, not both.',
      );
    const { file: f0, r: r0 } = sharded[0]!;
    const total = r0.target.shard!.total;
    repeat = r0.target.repeat;
    const seen = new Map<number, string>();
    for (const { file, r } of sharded) {
      const s = r.target.shard!;
      if (s.total !== total || r.target.repeat !== repeat) {
        throw usageError(
          `${file} is shard ${shardName(s)} of ${r.target.repeat} run(s), ${f0} shard ${shardName(r0.target.shard!)} of ${repeat}`,
          'Merge the shards of one smoke run: the same --repeat and the same N in --shard I/N.',
        );
      }
      const other = seen.get(s.index);
      if (other !== undefined) throw usageError(`shard ${shardName(s)} is given twice: ${other} and ${file}`, "Pass each shard's report once.");
      seen.set(s.index, file);
    }
    const missing = Array.from({ length: total }, (_, k) => k + 1).filter((i) => !seen.has(i));
    if (missing.length)
      throw usageError(
        `shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')} missing: ${reports.length} of ${total} report(s) given`,
        'Pass the report of every shard (a shard that did not finish must be re-run).',
      );
  } else {
    repeat = reports.reduce((n, x) => n + x.r.target.repeat, 0);
  }

  const owner = new Map<number, string>();
  for (const { file, r } of reports) {
    for (const run of r.runs) {
      const other = owner.get(run.index);
      if (other !== undefined)
        throw usageError(
          `run ${run.index} is in both ${other} and ${file}`,
          'Each run must come from one report: merge the shards of one smoke --repeat N --shard I/N (each run keeps its global index).',
        );
      owner.set(run.index, file);
    }
  }
  const runs = reports.flatMap((x) => x.r.runs).sort((a, b) => a.index - b.index);

  // One probe, as one smoke run would have had: a failing one if any shard's failed, else the first.
  const probes = reports.flatMap((x) => (x.r.probe ? [x.r.probe] : []));
  const probe = probes.find((p) => p.gates.some((g) => g.status === 'failed')) ?? probes[0];

  const interrupted = reports.some((x) => x.r.interrupted === true) || runs.some((r) => r.interrupted);
  const findings = [...(probe?.findings ?? []), ...mergeRuns(runs.map((r) => r.findings))];
  const exitCode = exitCodeOf(runs, probe, findings, cfg, interrupted);
  const stats = smokeStats(runs);
  const starts = reports.map((x) => Date.parse(x.r.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...reports.map((x, k) => starts[k]! + x.r.durationMs));
  const first = reports[0]!.r;
  const { shard: _shard, ...target } = first.target;
  const merged: MergedFrom[] = reports.map(({ file, r }) => ({ file, shard: r.target.shard ?? null, runs: r.runs.map((x) => x.index) }));
  const base = makeReport('smoke', start, findings, metaFor, {
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    interrupted,
    target: { ...target, repeat },
    config: first.config,
    merged,
    ...(probe ? { probe } : {}),
    runs,
    stats: stats.stats,
    flake: stats.flake,
    gateFailures: stats.gateFailures,
  });
  return { ...base, ok: exitCode === EXIT.ok, exitCode };
}
