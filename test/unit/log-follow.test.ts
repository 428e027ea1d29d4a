import { PassThrough } from 'node:stream';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followFile, followStream } from '../../src/sources/log-follow.js';
import { parseLogStream } from '../../src/sources/logs/index.js';

const line = (message: string, t = '2026-01-10T08:00:02.000000+00:00') =>
  `${JSON.stringify({ message, level: 'WARNING', name: 'livekit.agents', timestamp: t })}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits on a condition (polled every 5 ms), bounded: a loaded machine only makes it slower, never wrong. */
async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(5);
  }
}

describe('followFile', () => {
  it('reads what is there, then what is appended, and ends after the trace ends and the file is quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-follow-'));
    const file = join(dir, 'agent.log');
    writeFileSync(file, line('timeout waiting for pre-connect audio buffer'));
    const stop = new AbortController();
    const follow = followFile(file, { signal: stop.signal, pollMs: 20, settleMs: 100 });
    const parse = parseLogStream(follow, { live: true });
    const kinds: string[] = [];
    const done = (async () => {
      for await (const e of parse) kinds.push(e.kind);
    })();
    await until('the first line parsed', () => kinds.length === 1);
    expect(kinds).toEqual(['log.preconnect.timeout']);
    // A line written in two pieces is parsed once, whole: the first piece read gives nothing.
    const half = line('pre-connect audio received but no trackId');
    const before = follow.stats.bytes;
    appendFileSync(file, half.slice(0, 30));
    await until('the first piece read', () => follow.stats.bytes === before + 30);
    await sleep(30); // a chance for a wrong early parse of the piece to show (not a wait for anything)
    expect(kinds).toEqual(['log.preconnect.timeout']);
    appendFileSync(file, half.slice(30));
    await until('the whole line parsed', () => kinds.length === 2);
    expect(kinds).toEqual(['log.preconnect.timeout', 'log.preconnect.no-track-id']);
    // Lines written right after the trace ended are still read (drain), then it ends.
    stop.abort();
    appendFileSync(file, line('AgentSession is closing due to unrecoverable error'));
    const t0 = Date.now();
    await done;
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(kinds).toEqual(['log.preconnect.timeout', 'log.preconnect.no-track-id', 'agent.fatal']);
    expect(parse.stats.recognised).toBe(3);
  });

  it('bounds each read and re-reads a file that was truncated in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-follow-'));
    const file = join(dir, 'agent.log');
    writeFileSync(file, 'x'.repeat(10_000));
    const stop = new AbortController();
    const it = followFile(file, { signal: stop.signal, pollMs: 10, chunkBytes: 4096, settleMs: 50 });
    const sizes: number[] = [];
    const done = (async () => {
      for await (const c of it) sizes.push(c.length);
    })();
    await until('the file read', () => it.stats.bytes === 10_000);
    expect(sizes).toEqual([4096, 4096, 1808]);
    writeFileSync(file, 'y'.repeat(100)); // truncated and rewritten
    await until('the rewrite read', () => it.stats.bytes === 10_100);
    stop.abort();
    await done;
    expect(sizes.at(-1)).toBe(100);
    expect(it.stats.truncations).toBe(1);
    expect(it.stats.bytes).toBe(10_100);
  });

  it('ends within maxSettleMs even when the writer never pauses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-follow-'));
    const file = join(dir, 'agent.log');
    writeFileSync(file, '');
    const stop = new AbortController();
    stop.abort();
    const writer = setInterval(() => appendFileSync(file, 'busy\n'), 5);
    const t0 = Date.now();
    for await (const _ of followFile(file, { signal: stop.signal, pollMs: 10, settleMs: 100, maxSettleMs: 300 })) {
      /* keep reading */
    }
    clearInterval(writer);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a missing file fails on iteration', async () => {
    const it = followFile('/nonexistent/agent.log', { signal: new AbortController().signal });
    await expect(
      (async () => {
        for await (const _ of it) {
          /* nothing */
        }
      })(),
    ).rejects.toThrow(/ENOENT/);
  });
});

describe('followStream (stdin)', () => {
  it('passes chunks on, and stops settleMs after the trace ended even if the pipe stays open', async () => {
    const pipe = new PassThrough();
    const stop = new AbortController();
    const parse = parseLogStream(followStream(pipe, { signal: stop.signal, settleMs: 100 }), { live: true });
    const kinds: string[] = [];
    const done = (async () => {
      for await (const e of parse) kinds.push(e.kind);
    })();
    pipe.write(line('timeout waiting for pre-connect audio buffer'));
    await until('the first line parsed', () => kinds.length === 1);
    expect(kinds).toEqual(['log.preconnect.timeout']);
    stop.abort();
    pipe.write(line('pre-connect audio received but no trackId'));
    const t0 = Date.now();
    await done;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(kinds).toEqual(['log.preconnect.timeout', 'log.preconnect.no-track-id']);
    expect(pipe.destroyed).toBe(true);
  });

  it('ends at EOF', async () => {
    const pipe = new PassThrough();
    pipe.end(line('timeout waiting for pre-connect audio buffer'));
    const kinds: string[] = [];
    for await (const e of parseLogStream(followStream(pipe, { signal: new AbortController().signal }))) kinds.push(e.kind);
    expect(kinds).toEqual(['log.preconnect.timeout']);
  });
});
