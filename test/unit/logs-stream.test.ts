import { Readable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeUnrecognised, parseLogFile, parseLogStream } from '../../src/sources/logs/index.js';
import { LineSplitter, decodeLine } from '../../src/sources/logs/reader.js';
import type { TraceEvent } from '../../src/diagnose/types.js';

const REC = '2025-09-13 23:25:08,039 - DEBUG livekit.agents - user turn committed';

async function run(chunks: Iterable<Buffer> | AsyncIterable<Buffer>, opts = {}) {
  const p = parseLogStream(Readable.from(chunks), opts);
  const events: TraceEvent[] = [];
  for await (const e of p) events.push(e);
  return { events, stats: p.stats };
}

describe('line splitter', () => {
  it('splits across chunk boundaries, including inside a multi-byte character', () => {
    const text = Buffer.from('héllo\nwörld\r\nlast');
    const s = new LineSplitter(100);
    const lines: string[] = [];
    for (let i = 0; i < text.length; i++) s.push(text.subarray(i, i + 1), (l) => lines.push(l === null ? '<oversized>' : decodeLine(l).text));
    s.end((l) => lines.push(l === null ? '<oversized>' : decodeLine(l).text));
    expect(lines).toEqual(['héllo', 'wörld', 'last']);
  });

  it('never holds more than the bound of one line', () => {
    const s = new LineSplitter(8);
    const out: Array<string | null> = [];
    s.push(Buffer.from('12345'), (l) => out.push(l === null ? null : l.toString()));
    s.push(Buffer.from('6789abc'), (l) => out.push(l === null ? null : l.toString())); // over 8: dropped from here on
    expect(Reflect.get(s, 'pending')).toBe(0);
    s.push(Buffer.from('def\nok\n'), (l) => out.push(l === null ? null : l.toString()));
    expect(out).toEqual([null, 'ok']);
  });
});

describe('parseLogStream on bad input', () => {
  it('a 10 MB line is counted as oversized and the next line still parses', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const chunks = function* () {
      for (let i = 0; i < big.length; i += 65536) yield big.subarray(i, i + 65536);
      yield Buffer.from(`\n${REC}\n`);
    };
    const { events, stats } = await run(chunks());
    expect(stats).toMatchObject({ lines: 2, oversized: 1, recognised: 1, unrecognised: 0 });
    expect(events.map((e) => e.kind)).toEqual(['agent.turn-committed']);
  });

  it('a binary file is reported as binary data', async () => {
    const bin = Buffer.alloc(300_000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const { stats } = await run([bin]);
    expect(stats.recognised).toBe(0);
    expect(stats.binary).toBeGreaterThan(0);
    expect(describeUnrecognised(stats)).toMatch(/no log line recognised in [\d,]+ line\(s\) \(binary data\)/);
  });

  it('invalid UTF-8 lines are counted, not fatal', async () => {
    const bad = Buffer.concat([Buffer.from('2025-09-13 23:25:08,039 - INFO x - caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`\n${REC}\n`)]);
    const { stats } = await run([bad]);
    expect(stats).toMatchObject({ lines: 2, recognised: 1, unrecognised: 1, invalidUtf8: 1 });
  });

  it('an empty input has no lines', async () => {
    const { stats } = await run([]);
    expect(stats).toMatchObject({ lines: 0, recognised: 0 });
    expect(describeUnrecognised(stats)).toBe('the log is empty');
  });

  it('mixed formats in one stream, blank lines, no final newline, CRLF', async () => {
    const text = [
      REC,
      '',
      '{"message": "session closed", "level": "DEBUG", "name": "livekit.agents", "reason": "user_initiated", "timestamp": "2025-09-13T23:25:09+00:00"}',
      '{"level":20,"time":1757805910000,"msg":"received OpenAI Realtime server event","lk.pii.event":{"type":"session.created"}}',
      '{"t":1757805911000,"source":"room","kind":"room.closed","data":{}}\r',
      'plain text',
    ].join('\n');
    const { events, stats } = await run([Buffer.from(text)]);
    expect(events.map((e) => e.kind)).toEqual(['agent.turn-committed', 'agent.session-closed', 'openai.session.created', 'room.closed']);
    expect(stats).toMatchObject({
      lines: 6,
      blank: 1,
      recognised: 4,
      unrecognised: 1,
      formats: { 'python-text': 1, 'python-json': 1, pino: 1, 'lkdiag-ndjson': 1 },
    });
    expect(stats.firstT).toBe(Date.UTC(2025, 8, 13, 23, 25, 8, 39));
    expect(stats.lastT).toBe(1757805911000);
  });

  it('parseLogFile reads a file, and a missing file fails on iteration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-logs-'));
    writeFileSync(join(dir, 'a.log'), `${REC}\n`);
    const p = parseLogFile(join(dir, 'a.log'));
    const kinds: string[] = [];
    for await (const e of p) kinds.push(e.kind);
    expect(kinds).toEqual(['agent.turn-committed']);
    await expect(async () => {
      for await (const _ of parseLogFile(join(dir, 'missing.log'))) void _;
    }).rejects.toThrow(/ENOENT/);
  });

  it('can be read only once', async () => {
    const p = parseLogStream(Readable.from([Buffer.from(REC)]));
    for await (const _ of p) void _;
    await expect(async () => {
      for await (const _ of p) void _;
    }).rejects.toThrow(/once/);
  });
});
