import type { FindingMeta, TraceEvent } from './types.js';

/** The findings catalogue as lkdiag ships it (see catalogue.ts). */
export type CatalogueAreas = ReadonlyArray<{ area: string; title: string; codes: readonly FindingMeta[] }>;

const EXIT_MEANING: Record<number, string> = { 1: 'a diagnosed error', 3: 'could not connect or was refused', 4: 'something did not happen within its bound' };

/** A trace as compact lines: time from its first event, source, kind, data. */
function exampleLines(events: readonly TraceEvent[]): string[] {
  const t0 = events[0]?.t ?? 0;
  const rows = events.map((e) => [`+${e.t - t0} ms`, e.source, e.kind, JSON.stringify(e.data)] as const);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${r[0].padStart(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`);
}

/** GitHub-style heading anchor for a code, e.g. `preconnect/buffer-too-old` → `preconnectbuffer-too-old`. */
export function anchorFor(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/**
 * docs/findings.md, generated from the catalogue (scripts/gen-findings-doc.mjs writes it; a unit test
 * fails when the file and this text differ). Pure: same catalogue, same bytes.
 */
export function renderFindingsDoc(catalogue: CatalogueAreas, examples: ReadonlyMap<string, readonly TraceEvent[]> = new Map()): string {
  const out: string[] = [
    '# lkdiag findings',
    '',
    "<!-- Generated from src/diagnose/rules/*/codes.ts and the rule tests' firing traces (test/unit/rules-*.cases.ts) by `npm run docs:findings`. Do not edit by hand. -->",
    '',
    'Every finding lkdiag reports has a stable code. Errors make the command exit non-zero (the exit code is given for each);',
    'warnings and info findings never change the exit code. When several errors are found, the exit code is the most',
    'specific one: 3 (could not connect) over 4 (timed out) over 1.',
    '',
  ];
  for (const area of catalogue) {
    out.push(`- [${area.title}](#${anchorFor(area.title)}): ${area.codes.map((m) => `[\`${m.code}\`](#${anchorFor(m.code)})`).join(', ')}`);
  }
  out.push('');
  for (const area of catalogue) {
    out.push(`## ${area.title}`, '');
    for (const m of area.codes) {
      const exit = m.exit ?? 1;
      out.push(
        `### ${m.code}`,
        '',
        `**${m.title}**`,
        '',
        `- Severity: ${m.severity}`,
        `- Exit code: ${m.severity === 'error' ? `${exit} (${EXIT_MEANING[exit] ?? 'error'})` : `none (${m.severity}); ${exit} when reported as an error`}`,
        '',
        `**Cause.** ${m.cause}`,
        '',
        `**Evidence.** ${m.evidence}`,
        '',
        `**Fix.** ${m.fix}`,
        '',
      );
      const example = examples.get(m.code);
      if (example?.length) out.push('**Example.** A trace where it fires (from the rule tests):', '', '```text', ...exampleLines(example), '```', '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
