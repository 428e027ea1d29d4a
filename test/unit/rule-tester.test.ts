import { describe, expect, it } from 'vitest';
import { report, defineCode, defineRule } from '../../src/diagnose/rules/kit.js';
import { ev, problems, type RuleCases } from '../helpers/rule-tester.js';

const A = defineCode<{ n: number }>({ code: 'test/a', severity: 'error', title: 'A', cause: 'c', evidence: 'e', fix: 'f', detail: (d) => `${d.n}` });
const B = defineCode<{ n: number }>({ code: 'test/b', severity: 'warning', title: 'B', cause: 'c', evidence: 'e', fix: 'f', detail: (d) => `${d.n}` });

/** Reports A for every probe.timeout, and B (which it does not declare) when the bound is 0. */
const sloppy = defineRule({
  id: 'test.sloppy',
  codes: [A],
  check: (t) => t.ofKind('probe.timeout').map((e) => (e.data.boundMs === 0 ? report(B, { n: 0 }, [e]) : report(A, { n: e.data.boundMs }, [e]))),
});
const timeout = (boundMs: number) => [ev(0, 'probe', 'probe.timeout', { step: 's', boundMs })];

describe('rule tester', () => {
  it('passes a rule that does what its cases say', () => {
    const cases: RuleCases = {
      rule: sloppy,
      valid: [{ name: 'empty', events: [] }],
      codes: { 'test/a': { invalid: [{ name: 'one timeout', events: timeout(5), findings: ['error:test/a'] }] } },
    };
    expect(problems(cases)).toEqual([]);
  });

  it('fails a rule that reports a code it does not declare', () => {
    const cases: RuleCases = {
      rule: sloppy,
      codes: {
        'test/a': { invalid: [{ name: 'one timeout', events: timeout(5), findings: ['error:test/a'] }], valid: [{ name: 'bound 0', events: timeout(0) }] },
      },
    };
    expect(problems(cases)).toContain('test.sloppy reported test/b, which it does not declare, on "bound 0"');
  });

  it('fails a declared code without a firing trace, a wrong expectation, and a valid trace that fires', () => {
    const cases: RuleCases = {
      rule: { ...sloppy, codes: [A, B] },
      valid: [{ name: 'a timeout', events: timeout(5) }],
      codes: { 'test/a': { invalid: [{ name: 'one timeout', events: timeout(5), findings: ['warning:test/a'] }] } },
    };
    expect(problems(cases)).toEqual([
      'test.sloppy: no trace where test/b fires',
      'test.sloppy should report nothing on "a timeout", reported error:test/a',
      'test.sloppy on "one timeout": expected warning:test/a, reported error:test/a',
    ]);
  });
});
