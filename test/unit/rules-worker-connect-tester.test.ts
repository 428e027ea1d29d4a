import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { WORKER_CONNECT_CASES } from './rules-worker-connect.cases.js';

describe('worker connect rule (rule tester)', () => {
  for (const rc of WORKER_CONNECT_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
