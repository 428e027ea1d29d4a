/**
 * smoke past one machine: `smoke --repeat 4 --shard 1/2` and `--shard 2/2` against the real stack,
 * then `report merge` of the two --json reports into the report of one 4-run smoke.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lkdiag, type JsonReport } from '../helpers/cli.js';
import { startPythonAgent } from './harness.js';
import { e2ePrereqs } from './prereqs.js';
import { useE2EStack } from './stack.js';

vi.setConfig({ testTimeout: 240_000 });
const { skip } = e2ePrereqs({ python: true });
const XSD = 'fixtures/junit/junit.xsd';
const xmllint = spawnSync('xmllint', ['--version']).status === 0;

interface SmokeJson extends JsonReport {
  target: { repeat: number; shard?: { index: number; total: number } };
  runs: Array<{
    index: number;
    room: string;
    ok: boolean;
    gates: Array<{ name: string; status: string }>;
    findings: Array<{ code: string; severity: string }>;
  }>;
  stats: Array<{ name: string; n: number }>;
  flake: { runs: number; failedRuns: number; rate: number };
  merged?: Array<{ file: string; shard: { index: number; total: number } | null; runs: number[] }>;
}
const why = (rep: SmokeJson) =>
  JSON.stringify(
    rep.runs.map((r) => ({ i: r.index, gates: r.gates.map((g) => [g.name, g.status]), findings: r.findings.map((f) => `${f.severity}:${f.code}`) })),
  );

describe.skipIf(skip)('smoke --shard I/N on two "machines", then report merge', () => {
  const s = useE2EStack((server, sim) =>
    startPythonAgent({
      url: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      openaiBaseUrl: sim.baseUrl,
      mode: 'healthy',
      agentName: 'smoke-shard',
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-shard-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs smoke with `args`, keeps its --json report in `name` (and in $LKDIAG_SAVE_REPORTS: that is how fixtures/reports/ is made). */
  const smoke = async (name: string, args: string[]) => {
    const r = await lkdiag(['smoke', '--json', '--url', s.server.url, ...args], {
      timeoutMs: 200_000,
      env: { LIVEKIT_API_KEY: s.server.apiKey, LIVEKIT_API_SECRET: s.server.apiSecret },
    });
    if (r.code === null || !r.stdout.startsWith('{')) throw new Error(`no report from smoke ${args.join(' ')} (exit ${r.code}): ${r.stderr}`);
    const file = join(dir, name);
    writeFileSync(file, r.stdout);
    const save = process.env['LKDIAG_SAVE_REPORTS'];
    if (save) writeFileSync(join(save, name), r.stdout);
    return { r, report: r.json<SmokeJson>(), file };
  };
  const shard = (spec: string) => smoke(`smoke-shard-${spec.replace('/', '-of-')}.json`, ['--agent-name', 'smoke-shard', '--repeat', '4', '--shard', spec]);
  let one: Awaited<ReturnType<typeof shard>> | undefined;

  it('each shard makes its runs with their global index; the merge holds runs 1..4, exit 0, JUnit and step summary written', async () => {
    one = await shard('1/2');
    expect(one.report.runs.map((x) => x.index)).toEqual([1, 3]);
    expect(one.report.target.shard).toEqual({ index: 1, total: 2 });
    expect(one.report.target.repeat).toBe(4);
    expect(one.r.code, why(one.report)).toBe(0);
    const two = await shard('2/2');
    expect(two.report.runs.map((x) => x.index)).toEqual([2, 4]);
    expect(two.report.target.shard).toEqual({ index: 2, total: 2 });
    expect(two.r.code, why(two.report)).toBe(0);

    const junit = join(dir, 'merged.xml');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# before\n');
    // Given in the "wrong" order: the merge orders runs by index.
    const m = await lkdiag(['report', 'merge', two.file, one.file, '--json', '--junit', junit], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(m.code, m.stderr).toBe(0);
    const merged = m.json<SmokeJson>();
    expect(merged.schema).toBe('lkdiag/v1');
    expect(merged.command).toBe('smoke');
    expect(merged.ok).toBe(true);
    expect(merged.exitCode).toBe(0);
    expect(merged.runs.map((x) => x.index)).toEqual([1, 2, 3, 4]);
    expect(merged.runs.map((x) => x.room)).toEqual([one.report.runs[0]!.room, two.report.runs[0]!.room, one.report.runs[1]!.room, two.report.runs[1]!.room]);
    expect(merged.target.repeat).toBe(4);
    expect(merged.target.shard).toBeUndefined();
    expect(merged.merged?.map((x) => [x.file, x.shard, x.runs])).toEqual([
      [two.file, { index: 2, total: 2 }, [2, 4]],
      [one.file, { index: 1, total: 2 }, [1, 3]],
    ]);
    expect(merged.flake).toEqual({ runs: 4, failedRuns: 0, rate: 0 });
    expect(merged.stats.find((x) => x.name === 'agentJoinedMs')?.n).toBe(4);

    const xml = readFileSync(junit, 'utf8');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(4 * 5);
    expect(xml).not.toContain('<failure');
    if (xmllint) {
      const v = spawnSync('xmllint', ['--noout', '--schema', XSD, junit], { encoding: 'utf8' });
      expect(v.status, v.stderr).toBe(0);
    }
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# before\n')).toBe(true);
    expect(md).toContain('## lkdiag smoke: ✅ passed');
    expect(md).toContain('4 run(s)');
    expect(md).toMatch(/\| 4 \| `first-agent-audio` \| ✅ pass/);

    // The text output is smoke's.
    const t = await lkdiag(['report', 'merge', one.file, two.file]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^lkdiag smoke {2}✔ healthy|^lkdiag smoke {2}⚠ no errors/);
    expect(t.stdout).toMatch(/run 4 · room lkdiag-smoke-[0-9a-f]{8}/);
    expect(t.stdout).toContain('flake rate 0 (0 of 4 run(s) failed a gate)');

    // One shard alone is not the whole run.
    const half = await lkdiag(['report', 'merge', one.file]);
    expect(half.code).toBe(2);
    expect(half.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: shard\(s\) 2\/2 missing/), expect.stringMatching(/^hint: /)]);
    // The same shard twice.
    const dup = await lkdiag(['report', 'merge', one.file, one.file, two.file]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^error: shard 1\/2 is given twice/);
  });

  it('a shard whose agent never joined fails the merge as one smoke run would: exit 4, flake rate 0.5', async () => {
    expect(one, "needs the first test's shard 1/2").toBeDefined();
    const lost = await smoke('smoke-shard-2-of-2-no-agent.json', ['--agent-name', 'nobody-here', '--repeat', '4', '--shard', '2/2', '--concurrency', '2']);
    expect(lost.r.code).toBe(4);
    expect(lost.report.runs.map((x) => x.index)).toEqual([2, 4]);
    const junit = join(dir, 'lost.xml');
    const summary = join(dir, 'lost.md');
    const m = await lkdiag(['report', 'merge', one!.file, lost.file, '--json', '--junit', junit], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(m.code, m.stderr).toBe(4);
    const merged = m.json<SmokeJson>();
    expect(merged.ok).toBe(false);
    expect(merged.exitCode).toBe(4);
    expect(merged.runs.map((x) => [x.index, x.ok])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(merged.flake).toEqual({ runs: 4, failedRuns: 2, rate: 0.5 });
    expect(merged.findings.find((f) => f.code === 'preconnect/no-agent-dispatched')?.detail).toMatch(/\(seen in 2 of 4 runs\)$/);
    expect((readFileSync(junit, 'utf8').match(/<failure /g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(summary, 'utf8')).toContain('## lkdiag smoke: ❌ failed (exit 4)');
  });

  it('one smoke report without --shard merges into itself: the same runs, findings, statistics and exit code', async () => {
    const plain = await smoke('smoke-repeat-2.json', ['--agent-name', 'smoke-shard', '--repeat', '2']);
    expect(plain.r.code, why(plain.report)).toBe(0);
    const m = await lkdiag(['report', 'merge', plain.file, '--json']);
    expect(m.code, m.stderr).toBe(0);
    const merged = m.json<SmokeJson>();
    for (const k of ['ok', 'exitCode', 'startedAt', 'durationMs', 'target', 'config', 'runs', 'findings', 'stats', 'flake', 'gateFailures']) {
      expect(merged[k], k).toEqual(plain.report[k]);
    }
  });
});
