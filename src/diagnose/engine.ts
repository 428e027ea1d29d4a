import { Timeline } from './timeline.js';
import type { Finding, Rule, RuleContext, Severity, TraceEvent } from './types.js';

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Runs rules over a timeline. Rules are pure; a rule that throws is a bug and is reported as such.
 * Rules build their findings with `report(code, data, evidence)` (rules/kit.ts).
 */
export function diagnose(events: Iterable<TraceEvent> | Timeline, rules: readonly Rule[], ctx: RuleContext): Finding[] {
  const timeline = events instanceof Timeline ? events : new Timeline(events);
  const findings: Finding[] = [];
  for (const rule of rules) {
    findings.push(...rule.check(timeline, ctx));
  }
  return dedupe(findings).sort((a, b) => order[a.severity] - order[b.severity]);
}

/** Two rules may legitimately prove the same code (e.g. a conflict seen as an error and a timeout). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.code}\u0000${f.detail}`;
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()];
}
