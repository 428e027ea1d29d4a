import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { AZURE_CASES } from './rules-azure.cases.js';

describe('azure rules (rule tester)', () => {
  for (const rc of AZURE_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
