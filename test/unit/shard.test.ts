import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseShard, shardRuns } from '../../src/smoke/shard.js';

describe('smoke --shard I/N', () => {
  it('parses I/N', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, total: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, total: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, total: 1 });
    expect(parseShard(' 2 / 5 ')).toEqual({ index: 2, total: 5 });
  });

  it.each(['0/2', '3/2', 'a/b', '1/0', '0/0', '1', '1/2/3', '-1/2', '1.5/2', '', '/', '1/', '/2', '1/2x', '99999999999999999999/99999999999999999999'])('rejects %j as a usage error (exit 2) with a hint', (bad) => {
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
  });

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
