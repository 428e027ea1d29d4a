import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { OPENAI_CASES } from './rules-openai.cases.js';

describe('openai rules (rule tester)', () => {
  for (const rc of OPENAI_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
