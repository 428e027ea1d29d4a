import { Timeline } from './timeline.js';
import type { Finding, FindingMeta, Rule, RuleContext, Severity, TraceEvent } from './types.js';

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs rules over a timeline. Rules are pure; a rule that throws is a bug and is reported as such. */
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

/** Builds a finding from its catalogue entry, so titles and fixes are defined once. */
export function finding(
  meta: FindingMeta,
  detail: string,
  evidence: TraceEvent[],
  overrides: { severity?: Severity; fix?: string; title?: string } = {},
): Finding {
  return {
    code: meta.code,
    severity: overrides.severity ?? meta.severity,
    title: overrides.title ?? meta.title,
    detail,
    evidence: [...evidence].sort((a, b) => a.t - b.t), // always in time order, whatever order a rule gathered them
    fix: overrides.fix ?? meta.fix,
  };
}

export function defineCodes<const T extends Record<string, Omit<FindingMeta, 'code'> & { code: string }>>(codes: T): T {
  return codes;
}
