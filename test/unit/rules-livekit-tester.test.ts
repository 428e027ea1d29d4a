import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { LIVEKIT_CASES } from './rules-livekit.cases.js';

describe('livekit rules (rule tester)', () => {
  for (const rc of LIVEKIT_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
