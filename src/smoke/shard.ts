/** `smoke --shard I/N`: which of the --repeat runs this machine makes. Pure. */
import { usageError } from '../errors.js';

export interface Shard {
  /** 1-based: this shard's number. */
  index: number;
  /** How many shards share the runs. */
  total: number;
}

const HINT = 'Pass --shard I/N with whole numbers 1 ≤ I ≤ N, e.g. --shard 1/4 … --shard 4/4 on four machines.';

/** "I/N" → { index, total }; any other shape is a usage error (exit 2). */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw usageError(`--shard ${JSON.stringify(value)} is not of the form I/N`, HINT);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (!Number.isSafeInteger(total) || total < 1) throw usageError(`--shard ${value}: the number of shards must be at least 1`, HINT);
  if (!Number.isSafeInteger(index) || index < 1 || index > total) throw usageError(`--shard ${value}: the shard number must be between 1 and ${total}`, HINT);
  return { index, total };
}

/**
 * The global (1-based) indices of the runs shard I/N makes out of `repeat`: i with (i-1) % N == I-1,
 * ascending. Without a shard: 1..repeat. Every run belongs to exactly one shard.
 */
export function shardRuns(repeat: number, shard: Shard | undefined): number[] {
  const all = Array.from({ length: repeat }, (_, k) => k + 1);
  return shard ? all.filter((i) => (i - 1) % shard.total === shard.index - 1) : all;
}
