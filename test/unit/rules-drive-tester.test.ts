import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { DRIVE_CASES } from './rules-drive.cases.js';

describe('drive rules (rule tester)', () => {
  for (const rc of DRIVE_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
