import { describe, expect, it } from 'vitest';
import { defineCode, findingKey, report } from '../../src/diagnose/rules/kit.js';

describe('rules kit: a finding across rule windows (findingKey)', () => {
  const counted = defineCode<{ what: string; count: number }>({
    code: 'test/counted',
    severity: 'error',
    title: 't',
    cause: 'c',
    evidence: 'e',
    fix: 'f',
    detail: (d) => `${d.what} ${d.count} times`,
    sameAs: (d) => d.what,
  });
  const plain = defineCode<{ what: string; count: number }>({
    code: 'test/plain',
    severity: 'warning',
    title: 't',
    cause: 'c',
    evidence: 'e',
    fix: 'f',
    detail: (d) => `${d.what} ${d.count} times`,
  });

  it('a code with sameAs: two windows counting the same thing are one finding; another thing is another', () => {
    const a = report(counted, { what: 'invalid_api_key', count: 347 }, []);
    const b = report(counted, { what: 'invalid_api_key', count: 120 }, []);
    const c = report(counted, { what: 'insufficient_quota', count: 5 }, []);
    expect(findingKey(a)).toBe(findingKey(b));
    expect(findingKey(a)).not.toBe(findingKey(c));
  });

  it('a code without sameAs: findings are one only when their detail is the same', () => {
    expect(findingKey(report(plain, { what: 'x', count: 1 }, []))).toBe(findingKey(report(plain, { what: 'x', count: 1 }, [])));
    expect(findingKey(report(plain, { what: 'x', count: 1 }, []))).not.toBe(findingKey(report(plain, { what: 'x', count: 2 }, [])));
  });
});
