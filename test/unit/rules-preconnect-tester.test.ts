import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { PRECONNECT_CASES } from './rules-preconnect.cases.js';

describe('preconnect rules (rule tester)', () => {
  for (const rc of PRECONNECT_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
