/**
 * `report merge` on real smoke reports (fixtures/reports/, written by test/e2e/smoke-shard.test.ts
 * against a real livekit-server and the healthy Python agent).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lkdiag, type CliResult } from '../helpers/cli.js';
import { smokeExitCode } from '../../src/commands/smoke.run.js';
import { runDoctor } from '../../src/commands/doctor.run.js';
import { mergeRuns } from '../../src/diagnose/merge.js';
import { UserError } from '../../src/errors.js';
import { mergeSmokeReports, type MergeInput } from '../../src/smoke/merge.js';
import { smokeStats } from '../../src/smoke/stats.js';
import type { SmokeRun } from '../../src/smoke/types.js';

const DIR = 'fixtures/reports';
const load = (name: string): MergeInput => ({ file: name, json: JSON.parse(readFileSync(`${DIR}/${name}`, 'utf8')) as unknown });
/** A real report with one field changed (a shape the smoke code also produces). */
const variant = (name: string, change: (r: Record<string, any>) => void, file = `${name} (changed)`): MergeInput => {
  const json = structuredClone(load(name).json) as Record<string, any>;
  change(json);
  return { file, json };
};
const S1 = 'smoke-shard-1-of-2.json';
const S2 = 'smoke-shard-2-of-2.json';
const S2_LOST = 'smoke-shard-2-of-2-no-agent.json';
const PLAIN = 'smoke-repeat-2.json';
const merge = (...inputs: MergeInput[]) =>
  mergeSmokeReports(inputs, smokeExitCode) as ReturnType<typeof mergeSmokeReports> & { runs: SmokeRun[]; [k: string]: any };

function usage(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const u = err as UserError;
    expect(u.exitCode).toBe(2);
    expect(u.message).not.toMatch(/\n/);
    expect(u.hint.length).toBeGreaterThan(10);
    return u;
  }
  throw new Error('expected a usage error');
}

describe('report merge: the shards of one smoke run', () => {
  it('shards 1/2 + 2/2 → runs 1..4 by index, stats, findings and exit code over all of them', () => {
    const m = merge(load(S1), load(S2));
    expect(m.schema).toBe('lkdiag/v1');
    expect(m.command).toBe('smoke');
    expect(m.runs.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(m.exitCode).toBe(0);
    expect(m.ok).toBe(true);
    expect(m['target'].repeat).toBe(4);
    expect(m['target'].shard).toBeUndefined();
    expect(m['merged']).toEqual([
      { file: S1, shard: { index: 1, total: 2 }, runs: [1, 3] },
      { file: S2, shard: { index: 2, total: 2 }, runs: [2, 4] },
    ]);
    const st = smokeStats(m.runs);
    expect(m.stats).toEqual(st.stats);
    expect(m['flake']).toEqual({ runs: 4, failedRuns: 0, rate: 0 });
    expect(m['gateFailures']).toEqual(st.gateFailures);
    expect(m.stats!.find((s) => s.name === 'agentJoinedMs')!.n).toBe(4);
    expect(m.findings).toEqual(mergeRuns(m.runs.map((r) => r.findings)));
    expect(m.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['info:preconnect/consumed']);
    expect(m.findings[0]!.detail).toMatch(/\(seen in 4 of 4 runs\)$/);
    // The span of the shards: from the first start to the last end.
    const [a, b] = [load(S1).json, load(S2).json] as Array<{ startedAt: string; durationMs: number }>;
    expect(m.startedAt).toBe(a!.startedAt);
    expect(Date.parse(m.startedAt) + m.durationMs).toBe(Date.parse(b!.startedAt) + b!.durationMs);
  });

  it('the order of the files does not matter (except in the `merged` listing)', () => {
    const ab = merge(load(S1), load(S2));
    const ba = merge(load(S2), load(S1));
    for (const k of ['runs', 'findings', 'stats', 'flake', 'gateFailures', 'exitCode', 'ok', 'startedAt', 'durationMs']) expect(ba[k], k).toEqual(ab[k]);
  });

  it('a shard whose agent never joined: exit 4 as smoke gives it, flake rate 0.5', () => {
    const m = merge(load(S1), load(S2_LOST));
    expect(m.runs.map((r) => [r.index, r.ok])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(m.exitCode).toBe(4);
    expect(m.ok).toBe(false);
    expect(m['flake']).toEqual({ runs: 4, failedRuns: 2, rate: 0.5 });
    expect(m['gateFailures']['agent-joined']).toBe(2);
    expect(m.findings.map((f) => `${f.severity}:${f.code}`).sort()).toEqual(['error:preconnect/no-agent-dispatched', 'info:preconnect/consumed']);
    expect(m.findings.find((f) => f.code === 'preconnect/no-agent-dispatched')!.detail).toMatch(/\(seen in 2 of 4 runs\)$/);
  });

  it('an interrupted shard makes the merge interrupted (exit 130)', () => {
    const m = merge(
      load(S1),
      variant(S2, (r) => (r['interrupted'] = true)),
    );
    expect(m.interrupted).toBe(true);
    expect(m.exitCode).toBe(130);
  });

  it('one report without --shard merges into itself', () => {
    const plain = load(PLAIN).json as Record<string, unknown>;
    const m = merge(load(PLAIN));
    for (const k of ['ok', 'exitCode', 'startedAt', 'durationMs', 'interrupted', 'target', 'config', 'runs', 'findings', 'stats', 'flake', 'gateFailures'])
      expect(m[k], k).toEqual(plain[k]);
    expect(Object.keys(m).filter((k) => k !== 'merged')).toEqual(Object.keys(plain));
  });
});

describe('report merge: what it refuses (exit 2, one line + hint)', () => {
  it('no report', () => {
    expect(usage(() => merge()).message).toBe('no report to merge');
  });

  it('a report of another command', async () => {
    const doctor = await runDoctor({ path: 'fixtures/projects/py-pipfile', signal: new AbortController().signal, globals: {}, startedAt: Date.now() });
    const u = usage(() => merge(load(S1), { file: 'doctor.json', json: JSON.parse(JSON.stringify(doctor)) }));
    expect(u.message).toBe('doctor.json is a report of `lkdiag doctor`, not of `lkdiag smoke`');
  });

  it('another schema, not an object, an incomplete smoke report', () => {
    expect(usage(() => merge(variant(S1, (r) => (r['schema'] = 'lkdiag/v2'), 'a.json'))).message).toBe(
      'a.json is not an lkdiag/v1 report (schema: "lkdiag/v2")',
    );
    expect(usage(() => merge({ file: 'b.json', json: [1, 2] })).message).toBe('b.json is not an lkdiag report (not a JSON object)');
    expect(usage(() => merge({ file: 'c.json', json: null })).message).toBe('c.json is not an lkdiag report (not a JSON object)');
    expect(usage(() => merge(variant(S1, (r) => delete r['runs'], 'd.json'))).message).toMatch(/^d\.json is not a complete smoke report/);
    expect(usage(() => merge(variant(S1, (r) => (r['runs'][0].index = 'one'), 'e.json'))).message).toMatch(/^e\.json is not a complete smoke report/);
  });

  it('a run index in two reports', () => {
    expect(
      usage(() =>
        merge(
          load(PLAIN),
          variant(PLAIN, () => undefined, 'again.json'),
        ),
      ).message,
    ).toBe(`run 1 is in both ${PLAIN} and again.json`);
  });

  it('a shard given twice, or missing', () => {
    expect(usage(() => merge(load(S1), load(S1), load(S2))).message).toBe(`shard 1/2 is given twice: ${S1} and ${S1}`);
    expect(usage(() => merge(load(S2))).message).toBe('shard(s) 1/2 missing: 1 of 2 report(s) given');
    expect(usage(() => merge(load(S2_LOST), load(S2))).message).toBe(`shard 2/2 is given twice: ${S2_LOST} and ${S2}`);
  });

  it('shards of different runs (another N or --repeat), and shards mixed with a plain report', () => {
    expect(
      usage(() =>
        merge(
          load(S1),
          variant(S2, (r) => (r['target'].shard.total = 3), 'x.json'),
        ),
      ).message,
    ).toBe(`x.json is shard 2/3 of 4 run(s), ${S1} shard 1/2 of 4`);
    expect(
      usage(() =>
        merge(
          load(S1),
          variant(S2, (r) => (r['target'].repeat = 6), 'y.json'),
        ),
      ).message,
    ).toBe(`y.json is shard 2/2 of 6 run(s), ${S1} shard 1/2 of 4`);
    expect(usage(() => merge(load(S1), load(S2), load(PLAIN))).message).toBe(`${PLAIN} is not a shard, but ${S1} is (shard 1/2)`);
  });

  it('other gate settings', () => {
    const u = usage(() =>
      merge(
        load(S1),
        variant(S2, (r) => (r['config'].gates.firstAgentAudioWithinS = 2), 'z.json'),
      ),
    );
    expect(u.message).toBe(`z.json was made with other gate settings than ${S1}`);
    // The order of a list does not count as another setting.
    const skip2 = (order: string[]) => (r: Record<string, any>) => (r['config'].gates.skip = order);
    expect(merge(variant(S1, skip2(['buffer-consumed', 'no-cancelled-reply'])), variant(S2, skip2(['no-cancelled-reply', 'buffer-consumed']))).exitCode).toBe(
      0,
    );
  });
});

describe('lkdiag report merge (the built CLI): files it cannot use → exit 2, two lines, nothing on stdout', () => {
  const twoLines = (r: CliResult, error: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(error);
    expect(lines[1]).toMatch(/^hint: \S/);
  };
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-merge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.concurrent('a missing file, a directory, invalid JSON, an empty file, a doctor report, no file at all', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"schema": "lkdiag/v1", ');
    writeFileSync(join(dir, 'empty.json'), '');
    const doctor = await lkdiag(['doctor', 'fixtures/projects/py-pipfile', '--json']);
    writeFileSync(join(dir, 'doctor.json'), doctor.stdout);
    const [missing, isDir, bad, empty, doc, none] = await Promise.all([
      lkdiag(['report', 'merge', `${DIR}/${S1}`, join(dir, 'nope.json')]),
      lkdiag(['report', 'merge', dir]),
      lkdiag(['report', 'merge', join(dir, 'bad.json')]),
      lkdiag(['report', 'merge', join(dir, 'empty.json')]),
      lkdiag(['report', 'merge', join(dir, 'doctor.json')]),
      lkdiag(['report', 'merge']),
    ]);
    twoLines(missing, /^error: cannot read .*nope\.json: no such file$/);
    twoLines(isDir, /^error: cannot read .*: is a directory$/);
    twoLines(bad, /^error: .*bad\.json is not valid JSON \(/);
    twoLines(empty, /^error: .*empty\.json is not valid JSON \(/);
    twoLines(doc, /^error: .*doctor\.json is a report of `lkdiag doctor`, not of `lkdiag smoke`$/);
    twoLines(none, /^error: missing required argument 'files'/);
  });

  it.concurrent('an unwritable --junit: the merged report is still printed in full, then exit 2 with two lines (as smoke does)', async () => {
    const r = await lkdiag(['report', 'merge', `${DIR}/${S1}`, `${DIR}/${S2}`, '--json', '--junit', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.json<{ runs: unknown[]; exitCode: number }>().runs).toHaveLength(4);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:') || l.startsWith('hint:'));
    expect(lines).toEqual([expect.stringMatching(/^error: cannot write \/dev\/full: /), expect.stringMatching(/^hint: /)]);
  });

  it.concurrent('the merged shards as text, the exit code of the merge', async () => {
    const [ok, lost] = await Promise.all([
      lkdiag(['report', 'merge', `${DIR}/${S1}`, `${DIR}/${S2}`]),
      lkdiag(['report', 'merge', `${DIR}/${S1}`, `${DIR}/${S2_LOST}`]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('lkdiag smoke  ✔ healthy  0 error(s), 0 warning(s), 1 info · exit 0');
    expect(ok.stdout).toContain('4 run(s), 1 at a time');
    expect(ok.stdout.match(/^run \d · room /gm)).toEqual(['run 1 · room ', 'run 2 · room ', 'run 3 · room ', 'run 4 · room ']);
    expect(ok.stderr).toContain('merged 2 report(s): 4 run(s)');
    expect(lost.code).toBe(4);
    expect(lost.stdout.split('\n')[0]).toBe('lkdiag smoke  ✖ problems found  1 error(s), 0 warning(s), 1 info · exit 4');
    expect(lost.stdout).toContain('flake rate 0.5 (2 of 4 run(s) failed a gate)');
  });
});
