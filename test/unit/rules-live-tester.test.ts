import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { LIVE_CASES } from './rules-live.cases.js';

describe('GPT-Live rules (rule tester)', () => {
  for (const rc of LIVE_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
