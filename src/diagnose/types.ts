/**
 * The one data model every lkdiag command shares:
 *   sources → TraceEvent[] → Timeline → rules → Finding[] → Report → renderers.
 */

// The event vocabulary lives in src/events/ (one module per family); re-exported here so that every
// `import type { TraceEvent } from '…/diagnose/types.js'` keeps working.
export type { DataOf, EventKind, EventOf, EventSource, OpenAIEvent, PrefixEvent, TraceEvent } from '../events/index.js';
import type { TraceEvent } from '../events/index.js';

/** Untyped event data, for code that handles any event's fields generically (renderers). */
export type EventData = Record<string, unknown>;

export type Severity = 'error' | 'warning' | 'info';

/** Exit code a finding implies when it is an error (see docs: exit codes). */
export type FindingExit = 1 | 3 | 4;

/** Catalogue entry: what a code means. docs/findings.md is generated from these. */
export interface FindingMeta {
  code: string;
  severity: Severity;
  title: string;
  /** Why it happens — the explanation a user reads in docs/findings.md. */
  cause: string;
  /** Which events prove it. */
  evidence: string;
  /** What to change. */
  fix: string;
  /** Exit code when this finding is an error; default 1. */
  exit?: FindingExit;
}

export interface Finding {
  code: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: TraceEvent[];
  fix: string;
}

/** What a rule may know besides the timeline (all plain data: rules do no I/O). */
export interface RuleContext {
  command: string;
  /** The reproduction a probe ran (`--check`), if any: an expected failure becomes an info finding. */
  check?: string;
  /** Bounds the run used, e.g. the per-step timeout. */
  stepTimeoutMs?: number;
  /** Anything else a command wants to hand its rules. */
  [key: string]: unknown;
}

export interface Rule {
  /** Stable id, e.g. `openai.connection`. */
  id: string;
  /** Every code this rule can emit. */
  codes: readonly FindingMeta[];
  check(timeline: import('./timeline.js').Timeline, ctx: RuleContext): Finding[];
}
