import { EXIT, type ExitCode } from '../errors.js';
import type { Finding, FindingMeta, TraceEvent } from '../diagnose/types.js';

export const SCHEMA = 'lkdiag/v1' as const;

/** A timed step of a command (probe steps, send-preconnect phases, smoke gates' measurements). */
export interface Step {
  name: string;
  /** Milliseconds from the request the step answers to the event; absent when it never happened. */
  ms?: number;
  ok: boolean;
  status: 'ok' | 'failed' | 'timeout' | 'skipped';
  detail?: string;
}

export interface StepStats {
  name: string;
  n: number;
  p50?: number;
  p95?: number;
  min?: number;
  max?: number;
  failures: number;
}

/** Plain data; renderers only present it. `--json` prints exactly this. */
export interface Report {
  schema: typeof SCHEMA;
  command: string;
  ok: boolean;
  exitCode: ExitCode;
  startedAt: string;
  durationMs: number;
  interrupted?: boolean;
  findings: Finding[];
  steps?: Step[];
  stats?: StepStats[];
  events?: TraceEvent[];
  /** Command-specific sections (settings used, verdicts, gates, ...). */
  [section: string]: unknown;
}

/**
 * The exit code a set of findings implies: 130 if interrupted; otherwise the most specific error:
 * could-not-connect (3) over timed-out (4) over any other error (1); 0 with no error finding.
 */
export function exitCodeFor(findings: readonly Finding[], metaFor: (code: string) => FindingMeta | undefined, interrupted = false): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return EXIT.ok;
  const exits = errors.map((f) => metaFor(f.code)?.exit ?? EXIT.finding);
  if (exits.includes(EXIT.connect)) return EXIT.connect;
  if (exits.includes(EXIT.timeout)) return EXIT.timeout;
  return EXIT.finding;
}

export function makeReport(
  command: string,
  startedAt: number,
  findings: Finding[],
  metaFor: (code: string) => FindingMeta | undefined,
  sections: Omit<Partial<Report>, 'schema' | 'command' | 'ok' | 'exitCode' | 'findings'> = {},
): Report {
  const exitCode = exitCodeFor(findings, metaFor, sections.interrupted === true);
  return {
    schema: SCHEMA,
    command,
    ok: !findings.some((f) => f.severity === 'error'),
    exitCode,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    ...sections,
    findings,
  };
}
