import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseShard, shardRuns } from '../../src/smoke/shard.js';
import { lkdiag } from '../helpers/cli.js';

describe('smoke --shard I/N', () => {
  it('parses I/N', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, total: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, total: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, total: 1 });
    expect(parseShard(' 2 / 5 ')).toEqual({ index: 2, total: 5 });
  });

  it.each(['0/2', '3/2', 'a/b', '1/0', '0/0', '1', '1/2/3', '-1/2', '1.5/2', '', '/', '1/', '/2', '1/2x', '99999999999999999999/99999999999999999999'])(
    'rejects %j as a usage error (exit 2) with a hint',
    (bad) => {
      let err: unknown;
      try {
        parseShard(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      const u = err as UserError;
      expect(u.exitCode).toBe(2);
      expect(u.message).toContain('--shard');
      expect(u.message).not.toContain('\n');
      expect(u.hint).toMatch(/--shard I\/N/);
    },
  );

  it('takes runs i with (i-1) % N == I-1, keeping their global index', () => {
    expect(shardRuns(4, { index: 1, total: 2 })).toEqual([1, 3]);
    expect(shardRuns(4, { index: 2, total: 2 })).toEqual([2, 4]);
    expect(shardRuns(7, { index: 3, total: 3 })).toEqual([3, 6]);
    expect(shardRuns(5, undefined)).toEqual([1, 2, 3, 4, 5]);
    // --shard without --repeat: the one run belongs to shard 1; the other shards have none.
    expect(shardRuns(1, { index: 1, total: 3 })).toEqual([1]);
    expect(shardRuns(1, { index: 2, total: 3 })).toEqual([]);
  });

  it('every run belongs to exactly one shard, for every repeat and shard count', () => {
    for (let repeat = 1; repeat <= 12; repeat++) {
      for (let total = 1; total <= 6; total++) {
        const all = Array.from({ length: total }, (_, k) => shardRuns(repeat, { index: k + 1, total })).flat();
        expect(all.sort((a, b) => a - b)).toEqual(shardRuns(repeat, undefined));
      }
    }
  });
});

describe('lkdiag smoke --shard (the built CLI; nothing connects before the shard is validated)', () => {
  it.concurrent.each(['0/2', '3/2', 'a/b', '1/0'])('--shard %s: exit 2, one error line and one hint line, nothing on stdout', async (bad) => {
    const r = await lkdiag(['smoke', '--agent-name', 'x', '--shard', bad, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: --shard /);
    expect(lines[1]).toMatch(/^hint: Pass --shard I\/N/);
  });

  it('a shard without a run of its own (--shard 2/2 without --repeat) is an empty report, exit 0, with its shard', async () => {
    // Port 9 (discard): a run would fail to connect; this shard has none, so nothing connects.
    const r = await lkdiag(['smoke', '--agent-name', 'x', '--url', 'ws://127.0.0.1:9', '--shard', '2/2', '--json'], {
      env: { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 'shard-test-secret' },
    });
    expect(r.code, r.stderr).toBe(0);
    const rep = r.json<{ exitCode: number; runs: unknown[]; target: { repeat: number; shard: unknown }; flake: unknown }>();
    expect(rep.exitCode).toBe(0);
    expect(rep.runs).toEqual([]);
    expect(rep.target.repeat).toBe(1);
    expect(rep.target.shard).toEqual({ index: 2, total: 2 });
    expect(rep.flake).toEqual({ runs: 0, failedRuns: 0, rate: 0 });
    expect(r.stderr).toContain('shard 2/2: no run of 1');
    expect(r.stdout + r.stderr).not.toContain('shard-test-secret');
  });
});
