import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { GEMINI_CASES } from './rules-gemini.cases.js';

describe('Gemini Live session rules (rule tester)', () => {
  for (const rc of GEMINI_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
