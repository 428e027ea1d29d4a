import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { WORKER_CASES } from './rules-worker.cases.js';

describe('worker rules (rule tester)', () => {
  for (const rc of WORKER_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
