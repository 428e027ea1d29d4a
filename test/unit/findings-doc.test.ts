import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, allCodes } from '../../src/diagnose/catalogue.js';
import { renderFindingsDoc } from '../../src/diagnose/findings-doc.js';
import { DOCTOR_RULES } from '../../src/diagnose/rules/doctor/index.js';
import { ALL_RULES, CLIENT_RULES } from '../../src/diagnose/rules/index.js';
import { DRIVE_RULES } from '../../src/diagnose/rules/drive/index.js';
import { examplesOf } from '../helpers/rule-tester.js';
import { ALL_CASES } from './rules.cases.js';

const DOC = new URL('../../docs/findings.md', import.meta.url);

describe('docs/findings.md', () => {
  it('is the text generated from the catalogue', () => {
    const expected = renderFindingsDoc(CATALOGUE, examplesOf(ALL_CASES));
    const actual = readFileSync(DOC, 'utf8');
    // A plain boolean first, so the failure says what to do rather than dumping a diff of the whole file.
    expect(actual === expected, 'docs/findings.md is out of date: run `npm run docs:findings` (node scripts/gen-findings-doc.mjs) and commit it').toBe(true);
  });

  it('documents every code with a heading, severity, exit code, cause, evidence and fix', () => {
    const doc = renderFindingsDoc(CATALOGUE);
    for (const m of allCodes()) {
      const section = doc.split(`### ${m.code}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, m.code).toContain(`- Severity: ${m.severity}`);
      expect(section, m.code).toMatch(/- Exit code: /);
      for (const field of ['Cause', 'Evidence', 'Fix']) expect(section, m.code).toContain(`**${field}.** `);
      expect(m.cause.length && m.evidence.length && m.fix.length, m.code).toBeTruthy();
    }
  });

  it('every code a rule can emit is in the catalogue, once', () => {
    const catalogued = allCodes().map((m) => m.code);
    expect(new Set(catalogued).size).toBe(CATALOGUE.flatMap((a) => a.codes).length);
    for (const rule of [...ALL_RULES, ...CLIENT_RULES, ...DRIVE_RULES])
      for (const m of rule.codes) expect(catalogued, `${rule.id} → ${m.code}`).toContain(m.code);
  });

  it('every rule is run by the rule tester, and every code a rule declares has an example', () => {
    const tested = new Set(ALL_CASES.map((c) => c.rule.id));
    const examples = examplesOf(ALL_CASES);
    for (const rule of [...ALL_RULES, ...DOCTOR_RULES, ...CLIENT_RULES, ...DRIVE_RULES]) {
      expect(tested, rule.id).toContain(rule.id);
      for (const m of rule.codes) expect(examples.has(m.code), `${rule.id} → ${m.code}`).toBe(true);
    }
  });
});
