import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { CLIENT_CASES } from './rules-client.cases.js';

describe('client rules (rule tester)', () => {
  for (const rc of CLIENT_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
