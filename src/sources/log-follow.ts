/**
 * Follow mode for `--agent-log FILE|-` (trace room): hands the agent log to parseLogStream as it is
 * written, like `tail -f`, in bounded memory.
 *
 *   followFile(path, { signal })    reads what the file holds, then polls for appended bytes; on
 *                                   `signal` abort it keeps reading until the file stops growing
 *                                   (settleMs) or maxSettleMs passed, then ends.
 *   followStream(stream, { signal }) the same for a pipe (stdin): ends at EOF, or settleMs after abort.
 *
 * Each yielded chunk is at most `chunkBytes`; the next read happens only when the consumer asks for
 * more, so a fast writer cannot make this buffer more than one chunk. A file that shrinks (truncated
 * or rewritten in place) is read again from the start.
 */
import { open } from 'node:fs/promises';
import { sleep } from './clock.js';

export interface FollowOptions {
  /** Aborted when the trace ends: drain what is still being written, then stop. */
  signal: AbortSignal;
  /** How often to look for new bytes (default 100 ms). */
  pollMs?: number;
  /** Bound on one read (default 256 KiB). */
  chunkBytes?: number;
  /** After abort: stop once nothing new arrived for this long (default 300 ms). */
  settleMs?: number;
  /** After abort: stop after this long whatever is still arriving (default 2000 ms). */
  maxSettleMs?: number;
}

export interface FollowStats {
  /** Bytes handed on. */
  bytes: number;
  /** Times the file shrank and was read again from the start. */
  truncations: number;
}

export function followFile(path: string, opts: FollowOptions): AsyncIterable<Buffer> & { stats: FollowStats } {
  const stats: FollowStats = { bytes: 0, truncations: 0 };
  const pollMs = opts.pollMs ?? 100;
  const chunkBytes = opts.chunkBytes ?? 256 * 1024;
  const settleMs = opts.settleMs ?? 300;
  const maxSettleMs = opts.maxSettleMs ?? 2000;

  async function* gen(): AsyncGenerator<Buffer> {
    const fh = await open(path, 'r');
    try {
      let pos = 0;
      let stopAt: number | undefined; // when draining ends at the latest
      let quietSince: number | undefined;
      for (;;) {
        if (opts.signal.aborted && stopAt === undefined) stopAt = Date.now() + maxSettleMs;
        const { size } = await fh.stat();
        if (size < pos) {
          stats.truncations++;
          pos = 0;
        }
        if (size > pos) {
          const want = Math.min(chunkBytes, size - pos);
          const buf = Buffer.allocUnsafe(want);
          const { bytesRead } = await fh.read(buf, 0, want, pos);
          if (bytesRead > 0) {
            pos += bytesRead;
            stats.bytes += bytesRead;
            quietSince = undefined;
            yield bytesRead === want ? buf : buf.subarray(0, bytesRead);
            if (stopAt !== undefined && Date.now() > stopAt) return;
            continue;
          }
        }
        if (stopAt !== undefined) {
          const t = Date.now();
          quietSince ??= t;
          if (t - quietSince >= settleMs || t >= stopAt) return;
          await sleep(Math.min(pollMs, settleMs));
        } else {
          await sleep(pollMs, opts.signal);
        }
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
  }
  return { stats, [Symbol.asyncIterator]: gen };
}

export function followStream(stream: NodeJS.ReadableStream, opts: FollowOptions): AsyncIterable<Buffer> & { stats: FollowStats } {
  const stats: FollowStats = { bytes: 0, truncations: 0 };
  const settleMs = opts.settleMs ?? 300;
  const maxSettleMs = opts.maxSettleMs ?? 2000;

  async function* gen(): AsyncGenerator<Buffer> {
    const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    let stopAt: number | undefined;
    let pending: Promise<IteratorResult<Buffer | string>> | undefined;
    try {
      for (;;) {
        if (opts.signal.aborted && stopAt === undefined) stopAt = Date.now() + maxSettleMs;
        pending ??= it.next();
        const wait = stopAt === undefined ? undefined : Math.max(0, Math.min(settleMs, stopAt - Date.now()));
        const timeout = new AbortController();
        const timer = wait === undefined ? undefined : setTimeout(() => timeout.abort(), wait);
        const onAbort = () => timeout.abort();
        if (wait === undefined) opts.signal.addEventListener('abort', onAbort, { once: true });
        const r = await Promise.race([pending, new Promise<'tick'>((res) => timeout.signal.addEventListener('abort', () => res('tick'), { once: true }))]);
        if (timer) clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
        if (r === 'tick') {
          if (wait !== undefined) return; // draining, and nothing arrived for settleMs (or the bound passed)
          continue; // the trace just ended: start draining
        }
        pending = undefined;
        if (r.done) return;
        const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        stats.bytes += chunk.length;
        yield chunk;
        if (stopAt !== undefined && Date.now() >= stopAt) return;
      }
    } finally {
      // Leave the pipe: stdin is not read after the trace ends.
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    }
  }
  return { stats, [Symbol.asyncIterator]: gen };
}
