/**
 * The one data model every lkdiag command shares:
 *   sources → TraceEvent[] → Timeline → rules → Finding[] → Report → renderers.
 */

/** Where an event was observed. */
export type EventSource =
  | 'probe' // our own Realtime API client (probe-openai)
  | 'openai' // a Realtime API event seen on the wire by the probe
  | 'log' // a line parsed from an agent's log (may carry a Realtime event too)
  | 'room' // the LiveKit room as a participant sees it
  | 'session' // lk.agent.session events from the agent
  | 'client' // our synthetic user (send-preconnect)
  | 'server' // the LiveKit server API (rooms, dispatch)
  | 'simulator'; // lkdiag's Realtime API simulator

export type EventData = Record<string, unknown>;

/**
 * One observed fact. `t` is epoch milliseconds on the source's clock. `kind` is namespaced:
 * Realtime API events are always `openai.<event type>` with `data.direction` 'client' | 'server'
 * and `data.event` the (audio-elided) event itself — whether the probe saw it on the wire or a
 * parser found it in an agent log. That is what lets one rule serve every command.
 */
export interface TraceEvent<D extends EventData = EventData> {
  t: number;
  source: EventSource;
  kind: string;
  data: D;
}

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
