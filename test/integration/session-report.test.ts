/**
 * `lkdiag trace log` on the real session reports of fixtures/logs/session-reports/ (see its README):
 * each report alone, and merged with the agent log of the same session, gets exactly the findings and
 * exit code its .expected.json names. Runs the built CLI (dist/), building first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/lkdiag.js');
const DIR = join(ROOT, 'fixtures/logs/session-reports');

interface Outcome {
  findings: string[];
  exitCode: number;
}
interface Expected {
  agent: string;
  simulator: string[];
  report: Outcome;
  withAgentLog: Outcome;
}

function lkdiag(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: DIR,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastReport(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? 'null') as Record<string, unknown>;
}
const codes = (report: Record<string, unknown>): string[] =>
  ((report['findings'] as Array<{ severity: string; code: string }>) ?? []).map((f) => `${f.severity}:${f.code}`).sort();

const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

beforeAll(() => {
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(join(ROOT, 'dist/sources/logs/session-report.js'))) throw new Error('build failed: dist/sources/logs/session-report.js missing');
}, 180_000);

describe('trace log on real session reports', () => {
  it('has the captures the README lists (Python 1.8.9 healthy and faulted, 1.5.4, 1.3.12)', () => {
    expect(CASES).toEqual(
      expect.arrayContaining([
        'python-1.8.9-healthy',
        'python-1.8.9-invalid-api-key',
        'python-1.8.9-insufficient-quota',
        'python-1.5.4-healthy',
        'python-1.3.12-healthy',
      ]),
    );
  });

  describe.each(CASES)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const report = `${name}.session_report.json`;

    it('the report alone: its findings and exit code, read as one session-report document', () => {
      const r = lkdiag(['--json', 'trace', 'log', report]);
      const out = lastReport(r.stdout);
      expect(codes(out)).toEqual(expected.report.findings);
      expect(r.code).toBe(expected.report.exitCode);
      expect(out['parse']).toMatchObject({ formats: { 'session-report': 1 }, unrecognised: 0 });
      // every event line before the report comes from the report source
      const events = r.stdout
        .trimEnd()
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l) as { source: string });
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.source))).toEqual(new Set(['report']));
    });

    it('merged with the agent log of the same session: one timeline, its findings and exit code', () => {
      const r = lkdiag(['--json', 'trace', 'log', report, `${name}.agent.log`]);
      const out = lastReport(r.stdout);
      expect(codes(out)).toEqual(expected.withAgentLog.findings);
      expect(r.code).toBe(expected.withAgentLog.exitCode);
      const files = (out['input'] as { files: Array<{ file: string; formats: Record<string, number> }> }).files;
      expect(files.map((f) => f.file)).toEqual([report, `${name}.agent.log`]);
      expect(files[0]!.formats).toEqual({ 'session-report': 1 });
      // the same session: the two files overlap in time (no "do not overlap" warning)
      expect(r.stderr).not.toMatch(/do not overlap|does not overlap/);
    });
  });

  it('reads a report piped on stdin', () => {
    const text = readFileSync(join(DIR, 'python-1.8.9-healthy.session_report.json'), 'utf8');
    const r = lkdiag(['--json', 'trace', 'log', '-'], text);
    expect(r.code).toBe(0);
    expect(lastReport(r.stdout)['parse']).toMatchObject({ formats: { 'session-report': 1 } });
  });

  it('lists the format in trace log --help', () => {
    const r = lkdiag(['trace', 'log', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/session-report\s+an agent's session_report\.json/);
  });
});
