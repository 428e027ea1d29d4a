import { describe, expect, it } from 'vitest';
import { problems } from '../helpers/rule-tester.js';
import { LIVEKIT_SERVER_CASES } from './rules-livekit-server.cases.js';

describe('livekit-server log rules (rule tester)', () => {
  for (const rc of LIVEKIT_SERVER_CASES) it(`${rc.rule.id}: silent where valid, the declared codes where invalid`, () => expect(problems(rc)).toEqual([]));
});
