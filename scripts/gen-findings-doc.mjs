#!/usr/bin/env node
// Writes docs/findings.md from the findings catalogue (src/diagnose/catalogue.ts) and, as each code's
// example, the first trace where its rule fires in the rule tests (test/unit/rules-*.cases.ts).
// `--check` exits 1 when the file is out of date instead of writing.
import { load, writeOrCheck } from './lib/gen-doc.mjs';

const { CATALOGUE } = await load('src/diagnose/catalogue.ts');
const { renderFindingsDoc } = await load('src/diagnose/findings-doc.ts');
const { ALL_CASES } = await load('test/unit/rules.cases.ts');
const { examplesOf } = await load('test/helpers/rule-tester.ts');
const codes = CATALOGUE.reduce((n, a) => n + a.codes.length, 0);
await writeOrCheck('docs/findings.md', renderFindingsDoc(CATALOGUE, examplesOf(ALL_CASES)), 'docs:findings', `${codes} codes`);
