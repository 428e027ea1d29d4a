/**
 * How rules are declared, like ESLint's: a rule is `{ id, codes, check }`; `check` reports findings
 * as a code plus typed data, and the code's meta renders the detail (and, where it depends on the
 * data, the fix) from that data. No code path reads a finding's prose: a post-pass that needs to
 * know what a finding said reads its data with `dataOf(finding, CODE)`.
 */
import type { Timeline } from '../timeline.js';
import type { Finding, FindingMeta, Rule, RuleContext, Severity, TraceEvent } from '../types.js';

/** A finding code: its catalogue entry (docs/findings.md) and how its data reads. */
export interface Code<D> extends FindingMeta {
  /** The finding's detail, rendered from its data. */
  detail(data: D): string;
  /** The fix, when it depends on the data (otherwise the catalogue's `fix`). */
  fixFor?(data: D): string | undefined;
  /**
   * When a long log is explained window by window (trace log), two findings of this code are one when this
   * key matches (the first is kept): for data that counts what a window saw. Otherwise findings are one when
   * their detail matches.
   */
  sameAs?(data: D): string;
  /** The data of every finding issued for this code (a side table, so reports and --json stay as they are). */
  readonly issued: WeakMap<Finding, D>;
}

/** Every code whose findings merge by `sameAs`, by code string. */
const MERGE_BY = new Map<string, (f: Finding) => string | undefined>();

/** The identity of a finding across rule windows: its code and `sameAs` key, or its code and detail. */
export function findingKey(f: Finding): string {
  return `${f.code}\u0000${MERGE_BY.get(f.code)?.(f) ?? f.detail}`;
}

/** Declares a code with data `D`. */
export function defineCode<D>(spec: Omit<Code<D>, 'issued'>): Code<D> {
  const code: Code<D> = { ...spec, issued: new WeakMap<Finding, D>() };
  const same = spec.sameAs;
  if (same)
    MERGE_BY.set(code.code, (f) => {
      const d = code.issued.get(f);
      return d === undefined ? undefined : same(d);
    });
  return code;
}

/** A code whose finding carries its detail ready-made (the doctor's generated deps/* codes). */
export interface TextData {
  text: string;
}
export const textDetail = (d: TextData): string => d.text;

export interface ReportOptions {
  /** The finding's severity when the data makes it differ from the code's default. */
  severity?: Severity;
}

/** Builds a finding from its code and typed data; evidence is put in time order. */
export function report<D>(code: Code<D>, data: D, evidence: readonly TraceEvent[], options: ReportOptions = {}): Finding {
  const f: Finding = {
    code: code.code,
    severity: options.severity ?? code.severity,
    title: code.title,
    detail: code.detail(data),
    evidence: [...evidence].sort((a, b) => a.t - b.t),
    fix: code.fixFor?.(data) ?? code.fix,
  };
  code.issued.set(f, data);
  return f;
}

/** The typed data a finding was issued with, when it was issued for `code`. */
export function dataOf<D>(f: Finding, code: Code<D>): D | undefined {
  return f.code === code.code ? code.issued.get(f) : undefined;
}

/** A rule: a stable id, every code it may report, and a pure check of the timeline. */
export interface RuleSpec {
  id: string;
  codes: readonly FindingMeta[];
  check(timeline: Timeline, ctx: RuleContext): Finding[];
}

/** Declares a rule (the identity, typed; the rule tester checks it reports only its `codes`). */
export function defineRule(spec: RuleSpec): Rule {
  return spec;
}
