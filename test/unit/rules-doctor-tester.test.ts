import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { DOCTOR_CASES } from './rules-doctor.cases.js';

describe('doctor rules (rule tester)', () => {
  for (const rc of DOCTOR_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
