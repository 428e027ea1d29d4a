import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { AGENT_CASES } from './rules-agent.cases.js';

describe('agent rules (rule tester)', () => {
  for (const rc of AGENT_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
