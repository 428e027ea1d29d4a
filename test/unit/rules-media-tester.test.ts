import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { MEDIA_CASES } from './rules-media.cases.js';

describe('media rules (rule tester)', () => {
  for (const rc of MEDIA_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
