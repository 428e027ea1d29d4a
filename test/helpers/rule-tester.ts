/**
 * A rule tester in the manner of ESLint's RuleTester: per code a rule declares, traces where the rule
 * must stay silent about it (`valid`) and traces where it reports it (`invalid`, with the exact
 * `severity:code` list the rule gives). Every case also checks that the rule reports only codes it
 * declares, and every declared code must have a firing trace: those are the examples
 * docs/findings.md shows (scripts/gen-findings-doc.mjs renders `examplesOf`).
 *
 * Cases are plain data in test/unit/rules-<area>.cases.ts, so the doc generator can load them
 * without vitest; test/unit/rules-<area>.test.ts runs them with `ruleTester`.
 */
import { traceEvent, type DataOf, type EventKind, type EventSource, type LogLineFields, type TraceEvent } from '../../src/events/index.js';
import { Timeline } from '../../src/diagnose/timeline.js';
import type { Rule, RuleContext } from '../../src/diagnose/types.js';

/** Every case's clock starts here; examples show times relative to it. */
export const T0 = 1_757_800_000_000;

/** A trace and what a command hands the rules besides it. */
export interface TraceCase {
  name: string;
  events: TraceEvent[];
  /** Default: { command: 'trace log' }. */
  ctx?: RuleContext;
}

export interface InvalidCase extends TraceCase {
  /** Exactly what the rule reports for this trace: `severity:code`, sorted. */
  findings: string[];
}

export interface CodeCases {
  valid?: TraceCase[];
  /** The first one is the code's example in docs/findings.md. */
  invalid: InvalidCase[];
}

export interface RuleCases {
  rule: Rule;
  /** Traces where the rule reports nothing at all (a healthy session, an unrelated one). */
  valid?: TraceCase[];
  /** By code (`openai/response-cancelled`): every code the rule declares. */
  codes: Record<string, CodeCases>;
}

// ── event builders (typed by kind) ────────────────────────────────────────────────────────────

/** An event at T0 + ms. */
export function ev<K extends EventKind>(ms: number, source: EventSource, kind: K, data: DataOf<K>): TraceEvent {
  return traceEvent(T0 + ms, source, kind, data);
}

/** The fields every log-line event carries. */
export function line(message: string, level: LogLineFields['level'] = 'debug', lineNo = 1): LogLineFields {
  return { level, logger: 'livekit.agents', message, line: lineNo };
}

/** A Realtime API event (`openai.<type>`), as an agent log under LK_OPENAI_DEBUG shows it. */
export function oa(ms: number, direction: 'client' | 'server', event: { type: string; [field: string]: unknown }, source: EventSource = 'log'): TraceEvent {
  return traceEvent(T0 + ms, source, `openai.${event.type}`, { direction, event });
}

/** A rule of a list by its id (a missing id is a broken test, said as such). */
export function ruleById(rules: readonly Rule[], id: string): Rule {
  const r = rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id} in [${rules.map((x) => x.id).join(', ')}]`);
  return r;
}

// ── running ───────────────────────────────────────────────────────────────────────────────────

/** `severity:code` of every finding the rule reports for a case, sorted. */
export function reported(rule: Rule, c: TraceCase): string[] {
  return rule
    .check(new Timeline(c.events), c.ctx ?? { command: 'trace log' })
    .map((f) => `${f.severity}:${f.code}`)
    .sort();
}

const codeOf = (s: string) => s.slice(s.indexOf(':') + 1);

/**
 * Everything wrong with a rule against its cases, as sentences (empty when it passes). Pure, so the
 * tester itself is tested (test/unit/rule-tester.test.ts).
 */
export function problems(cases: RuleCases): string[] {
  const { rule } = cases;
  const declared = new Set(rule.codes.map((m) => m.code));
  const out: string[] = [];
  const undeclared = (c: TraceCase, got: string[]) => {
    for (const g of got) if (!declared.has(codeOf(g))) out.push(`${rule.id} reported ${codeOf(g)}, which it does not declare, on "${c.name}"`);
  };
  for (const code of declared) if (!cases.codes[code]?.invalid.length) out.push(`${rule.id}: no trace where ${code} fires`);
  for (const c of cases.valid ?? []) {
    const got = reported(rule, c);
    undeclared(c, got);
    if (got.length) out.push(`${rule.id} should report nothing on "${c.name}", reported ${got.join(', ')}`);
  }
  for (const [code, cc] of Object.entries(cases.codes)) {
    if (!declared.has(code)) out.push(`${rule.id} has cases for ${code}, which it does not declare`);
    for (const c of cc.valid ?? []) {
      const got = reported(rule, c);
      undeclared(c, got);
      if (got.some((g) => codeOf(g) === code)) out.push(`${rule.id} should not report ${code} on "${c.name}", reported ${got.join(', ')}`);
    }
    for (const c of cc.invalid) {
      const got = reported(rule, c);
      undeclared(c, got);
      if (!c.findings.some((f) => codeOf(f) === code)) out.push(`"${c.name}" is listed under ${code} but does not expect it`);
      const want = [...c.findings].sort();
      if (got.join(',') !== want.join(','))
        out.push(`${rule.id} on "${c.name}": expected ${want.join(', ') || 'nothing'}, reported ${got.join(', ') || 'nothing'}`);
    }
  }
  return out;
}

/** The example trace of each code: its first firing trace. */
export function examplesOf(all: readonly RuleCases[]): Map<string, TraceEvent[]> {
  const out = new Map<string, TraceEvent[]>();
  for (const rc of all) for (const [code, cc] of Object.entries(rc.codes)) if (!out.has(code) && cc.invalid[0]) out.set(code, cc.invalid[0].events);
  return out;
}
