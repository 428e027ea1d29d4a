import type { FindingMeta } from './types.js';

/** The findings catalogue as lkdiag ships it (see catalogue.ts). */
export type CatalogueAreas = ReadonlyArray<{ area: string; title: string; codes: readonly FindingMeta[] }>;

const EXIT_MEANING: Record<number, string> = { 1: 'a diagnosed error', 3: 'could not connect or was refused', 4: 'something did not happen within its bound' };

/** GitHub-style heading anchor for a code, e.g. `preconnect/buffer-too-old` → `preconnectbuffer-too-old`. */
export function anchorFor(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/**
 * docs/findings.md, generated from the catalogue (scripts/gen-findings-doc.mjs writes it; a unit test
 * fails when the file and this text differ). Pure: same catalogue, same bytes.
 */
export function renderFindingsDoc(catalogue: CatalogueAreas): string {
  const out: string[] = [
    '# lkdiag findings',
    '',
    '<!-- Generated from src/diagnose/rules/*-codes.ts by `npm run docs:findings`. Do not edit by hand. -->',
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
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
