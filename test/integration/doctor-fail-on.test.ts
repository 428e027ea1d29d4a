/** `lkdiag doctor --fail-on error|warning` on the fixture projects, spawned as a user runs it (build first). */
import { describe, expect, it } from 'vitest';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

const P = 'fixtures/projects';
interface DoctorJson extends JsonReport {
  failOn: string;
}

describe.concurrent('doctor --fail-on', () => {
  // Projects with warnings and no error: exit 0 by default, 1 with --fail-on warning.
  const WARNINGS_ONLY: Array<[string, string[]]> = [
    ['node-pnpm-healthy', ['warning:deps/no-preconnect-node']],
    ['py-pipfile', ['warning:deps/error-correlation-gap', 'warning:deps/fatal-errors-retried-python', 'warning:deps/truncate-zero-python']],
  ];

  it.each(WARNINGS_ONLY)('%s: warnings only → exit 0 by default and with --fail-on error, 1 with --fail-on warning', async (dir, codes) => {
    const [byDefault, onError, onWarning] = await Promise.all([
      lkdiag(['doctor', `${P}/${dir}`, '--json']),
      lkdiag(['doctor', `${P}/${dir}`, '--json', '--fail-on', 'error']),
      lkdiag(['doctor', `${P}/${dir}`, '--json', '--fail-on', 'warning']),
    ]);
    for (const [r, failOn, code] of [
      [byDefault, 'error', 0],
      [onError, 'error', 0],
      [onWarning, 'warning', 1],
    ] as const) {
      expect(r.code, `${failOn}: ${r.stderr}`).toBe(code);
      const rep = r.json<DoctorJson>();
      expect(codesOf(rep)).toEqual(codes);
      expect(rep.failOn).toBe(failOn);
      expect(rep.exitCode).toBe(code);
      expect(rep.ok).toBe(code === 0);
    }
  });

  it('the headline never says healthy while it shows warnings', async () => {
    const [passed, failed, one] = await Promise.all([
      lkdiag(['doctor', `${P}/py-pipfile`]),
      lkdiag(['doctor', `${P}/py-pipfile`, '--fail-on', 'warning']),
      lkdiag(['doctor', `${P}/node-pnpm-healthy`]),
    ]);
    const head = (s: string) => s.split('\n')[0];
    expect(passed.code).toBe(0);
    expect(head(passed.stdout)).toBe('lkdiag doctor  ⚠ no errors · 3 warnings  0 error(s), 3 warning(s), 0 info · exit 0');
    expect(passed.stdout).not.toContain('healthy');
    expect(failed.code).toBe(1);
    expect(head(failed.stdout)).toBe('lkdiag doctor  ✖ 3 warnings (--fail-on warning)  0 error(s), 3 warning(s), 0 info · exit 1');
    expect(one.code).toBe(0);
    expect(head(one.stdout)).toBe('lkdiag doctor  ⚠ no errors · 1 warning  0 error(s), 1 warning(s), 0 info · exit 0');
  });

  it('no finding: healthy and exit 0 at both thresholds', async () => {
    const [a, b] = await Promise.all([lkdiag(['doctor', `${P}/py-healthy`]), lkdiag(['doctor', `${P}/py-healthy`, '--fail-on', 'warning'])]);
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('lkdiag doctor  ✔ healthy  0 error(s), 0 warning(s), 0 info · exit 0');
    }
  });

  it('errors: exit 1 at both thresholds, and the headline says problems found', async () => {
    const [a, b] = await Promise.all([lkdiag(['doctor', `${P}/node-trap`, '--json']), lkdiag(['doctor', `${P}/node-trap`, '--fail-on', 'warning'])]);
    expect(a.code).toBe(1);
    expect(codesOf(a.json())).toEqual(['error:deps/npm-latest-trap', 'warning:deps/no-preconnect-node']);
    expect(b.code).toBe(1);
    expect(b.stdout.split('\n')[0]).toBe('lkdiag doctor  ✖ problems found  1 error(s), 1 warning(s), 0 info · exit 1');
  });

  it.each(['fatal', 'warnings', 'Error', ''])('--fail-on %j: exit 2, one error line and one hint line', async (bad) => {
    const r = await lkdiag(['doctor', `${P}/py-pipfile`, '--fail-on', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: option '--fail-on <severity>' argument '.*' is invalid\. expected one of: error, warning\.$/);
    expect(lines[1]).toMatch(/^hint: run `lkdiag doctor --help`/);
  });
});
