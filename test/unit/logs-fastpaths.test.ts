/**
 * The log parsers' fast paths (no regex, no Buffer per line, cached dates) must give exactly what
 * the general code gives: each is compared with it on generated inputs, including malformed ones.
 */
import { describe, expect, it } from 'vitest';
import { LineSplitter, decodeLine } from '../../src/sources/logs/reader.js';
import { naiveTimestamp, parseIsoUtc, parseTextTimestamp, scanDateTime, textTimestampByRegex } from '../../src/sources/logs/record.js';
import { byLayouts, fromPythonText } from '../../src/sources/logs/python-text.js';
import { ownedRealtimeEvent } from '../../src/sources/logs/messages.js';
import { realtimeTraceEvent } from '../../src/protocol/realtime-events.js';
import { BETA_TO_GA_EVENT } from '../../src/protocol/realtime.js';
import { prng } from '../../src/audio/pcm.js';

/** A small deterministic PRNG (mulberry32, the simulator's). */
const rng = prng;
const pickFrom = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: () => number, n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
const two = (r: () => number, max: number): string => String(Math.floor(r() * (max + 1))).padStart(2, '0');

function timestamp(r: () => number): string {
  const date = r() < 0.1 ? `${digits(r, 4)}-${digits(r, 2)}-${digits(r, 2)}` : `${pickFrom(r, ['2025', '2026', '0025', '1999'])}-${two(r, 12)}-${two(r, 31)}`;
  const time = r() < 0.1 ? `${digits(r, 2)}:${digits(r, 2)}:${digits(r, 2)}` : `${two(r, 23)}:${two(r, 59)}:${two(r, 59)}`;
  const frac = r() < 0.2 ? '' : `${pickFrom(r, ['.', ',', ',', '.'])}${digits(r, pickFrom(r, [0, 1, 2, 3, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10]))}`;
  const zone = pickFrom(r, ['', '', '', '', 'Z', '+00:00', '-05:30', '+0200', '+24:00', '+01:99', 'z', '+1:00']);
  const sep = pickFrom(r, [' ', ' ', 'T', 't', '  ']);
  return r() < 0.1 ? `${time}${frac}` : `${date}${sep}${time}${frac}${zone}`;
}

function isoTimestamp(r: () => number): string {
  if (r() < 0.2) return timestamp(r);
  const date =
    r() < 0.1 ? `${digits(r, 4)}-${digits(r, 2)}-${digits(r, 2)}` : `${pickFrom(r, ['2025', '2026', '0025', '0000', '9999'])}-${two(r, 12)}-${two(r, 31)}`;
  const time = r() < 0.1 ? `${digits(r, 2)}:${digits(r, 2)}:${digits(r, 2)}` : `${two(r, 24)}:${two(r, 60)}:${two(r, 60)}`;
  const frac = r() < 0.2 ? '' : `.${digits(r, Math.floor(r() * 11))}`;
  const zone = r() < 0.5 ? pickFrom(r, ['Z', '+00:00', '-00:00']) : `${pickFrom(r, ['+', '-'])}${two(r, 24)}:${two(r, 60)}`;
  return `${date}T${time}${frac}${zone}`;
}

describe('timestamp fast paths', () => {
  it('fractions up to 6 digits: truncating the first three is what the formula gives', () => {
    const wrong: string[] = [];
    const clock = { lastDayMs: 0, lastT: 0 };
    for (let i = 0; i < 1_000_000; i++) {
      const s = String(i).padStart(6, '0');
      const ts = `2025-01-01 00:00:00,${s}`;
      if (naiveTimestamp(ts, 0, scanDateTime(ts, 0), clock) - Date.UTC(2025, 0, 1) !== Math.floor(Number(`0.${s}`) * 1000)) wrong.push(s);
    }
    expect(wrong).toEqual([]);
  });

  it('parseTextTimestamp gives what its regex gives, and leaves the clock the same', () => {
    const r = rng(1);
    const a = { lastDayMs: Date.UTC(2025, 0, 1), lastT: Date.UTC(2025, 0, 1, 23) };
    const b = { ...a };
    for (let i = 0; i < 50_000; i++) {
      const ts = timestamp(r);
      const got = parseTextTimestamp(ts, a);
      const want = textTimestampByRegex(ts, b);
      if (!Object.is(got, want) || a.lastDayMs !== b.lastDayMs || a.lastT !== b.lastT) expect([got, a], ts).toEqual([want, b]);
    }
  });

  it('parseIsoUtc is Date.parse wherever it answers', () => {
    const r = rng(2);
    let answered = 0;
    for (let i = 0; i < 50_000; i++) {
      const ts = isoTimestamp(r);
      const fast = parseIsoUtc(ts);
      if (fast === undefined) continue;
      answered++;
      expect(fast, ts).toBe(Date.parse(ts));
    }
    expect(answered).toBeGreaterThan(3000);
    for (const ts of ['2026-01-05T09:00:00.003000+00:00', '2025-04-31T23:59:59.999999Z', '0025-01-01T00:00:00Z', '2025-02-29T10:00:00-05:30']) {
      expect(parseIsoUtc(ts), ts).toBe(Date.parse(ts));
    }
    // not answered: Date.parse decides (local time, a comma, an out-of-range field)
    for (const ts of ['2026-01-05T09:00:00.003', '2026-01-05 09:00:00Z', '2026-01-05T09:00:00,003Z', '2026-01-05T24:00:00Z', '2026-13-05T09:00:00Z']) {
      expect(parseIsoUtc(ts), ts).toBeUndefined();
    }
  });
});

describe('python text fast path', () => {
  const LEVELS = [
    'DEBUG',
    'INFO',
    'WARNING',
    'WARN',
    'ERROR',
    'CRITICAL',
    'FATAL',
    'debug',
    'info',
    'warning',
    'Info',
    'TRACE',
    'INFOS',
    'warn',
    'critical',
    'fatal',
    'error',
  ];
  const NAMES = ['livekit.agents', 'livekit.plugins.openai', 'a', '_x', 'my-app:worker<1>', '9bad', 'bad/name', 'name,', 'x.y-z'];
  const MESSAGES = [
    '',
    'user turn committed',
    '<<< {"lk.pii.event": {"type": "response.created"}}',
    'eot {"a": 1}',
    ' leading space',
    'x - y - z',
    'a {"b": 1} c {"d": 2}',
    '{"only": 1}',
    'tab\there',
    'trailing   ',
  ];
  function line(r: () => number): string {
    const sp = () => pickFrom(r, [' ', ' ', ' ', ' ', '  ', '\t']);
    const ts = timestamp(r);
    const lvl = pickFrom(r, LEVELS);
    const name = pickFrom(r, NAMES);
    const msg = pickFrom(r, MESSAGES);
    const tail = pickFrom(r, [`${sp()}${msg}`, `${sp()}${msg}`, '', '-x', `\u00a0${msg}`]);
    switch (pickFrom(r, ['A', 'A', 'A', 'A', 'B', 'C'])) {
      case 'A':
        return `${ts}${sp()}-${sp()}${lvl}${sp()}${name}${sp()}-${tail}`;
      case 'B':
        return `${ts}${sp()}${pickFrom(r, [lvl, `[${lvl}]`])}${sp()}${name}${pickFrom(r, [':', ''])}${sp()}${msg}`;
      default:
        return `${ts}${sp()}-${sp()}${name}${sp()}-${sp()}${lvl}${sp()}-${tail}`;
    }
  }

  it('reads every line as the layout regexes do, with the same clock', () => {
    const r = rng(3);
    let fast = 0;
    for (let i = 0; i < 50_000; i++) {
      const text = line(r);
      const a = { lastDayMs: Date.UTC(2025, 0, 1), lastT: Date.UTC(2025, 0, 1, 23) };
      const b = { ...a };
      const got = fromPythonText(text, 7, a);
      const want = byLayouts(text, 7, b);
      if (JSON.stringify([got, a]) !== JSON.stringify([want, b])) expect([got, a], JSON.stringify(text)).toEqual([want, b]);
      if (got) fast++;
    }
    expect(fast).toBeGreaterThan(5000);
  });
});

describe('LineSplitter.pushLines', () => {
  function reference(chunks: Buffer[], max: number): string[] {
    const s = new LineSplitter(max);
    const out: string[] = [];
    const emit = (l: Buffer | null) => out.push(l === null ? '<oversized>' : JSON.stringify(decodeLine(l)));
    for (const c of chunks) s.push(c, emit);
    s.end(emit);
    return out;
  }
  function fast(chunks: Buffer[], max: number): string[] {
    const s = new LineSplitter(max);
    const out: string[] = [];
    const emit = (l: Buffer | null) => out.push(l === null ? '<oversized>' : JSON.stringify(decodeLine(l)));
    const text = (t: string) => out.push(JSON.stringify({ kind: 'text', text: t }));
    for (const c of chunks) s.pushLines(c, emit, text);
    s.end(emit);
    return out;
  }
  const PIECES = [
    '2025-09-13 23:25:08,039 - INFO x - héllo',
    '',
    '\r',
    '   ',
    '\u00a0',
    '\u3000x',
    '{"a":1}',
    'plain',
    'tab\tx',
    '\x01\x02\x03binary',
    'x\x00y',
    'a\r',
    '€uro',
    'long'.repeat(30),
  ];
  const BAD = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xe2, 0x82])];

  it('classifies every line as push() + decodeLine() do, whatever the chunking', () => {
    const r = rng(4);
    for (let round = 0; round < 400; round++) {
      const parts: Buffer[] = [];
      const n = 1 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        parts.push(r() < 0.05 ? pickFrom(r, BAD) : Buffer.from(pickFrom(r, PIECES)));
        if (r() < 0.8) parts.push(Buffer.from(pickFrom(r, ['\n', '\r\n', '\n\n'])));
      }
      const all = Buffer.concat(parts);
      const chunks: Buffer[] = [];
      for (let at = 0; at < all.length; ) {
        const len = 1 + Math.floor(r() * pickFrom(r, [3, 40, 400, 4000]));
        chunks.push(all.subarray(at, at + len));
        at += len;
      }
      const max = pickFrom(r, [8, 64, 200, 1024 * 1024]);
      expect(fast(chunks, max)).toEqual(reference(chunks, max));
    }
  });
});

describe('Realtime events from logs, built in place', () => {
  /** What the log parser did before: realtimeTraceEvent (which copies), then the log's own touches. */
  function reference(t: number, direction: 'client' | 'server', event: Record<string, unknown>, line: number) {
    const ev = realtimeTraceEvent(t, 'log', direction, event);
    const out = ev.data.event as Record<string, unknown>;
    for (const k of ['audio', 'delta']) if (event[k] === '...') out[k] = '<elided in log>';
    (ev.data as Record<string, unknown>)['line'] = line;
    return ev;
  }
  const TYPES = [
    ...Object.keys(BETA_TO_GA_EVENT),
    ...Object.values(BETA_TO_GA_EVENT),
    'input_audio_buffer.append',
    'response.output_audio.delta',
    'response.audio.delta',
    'response.output_audio_transcript.delta',
    'session.update',
    'error',
    'not.a.known.type',
  ];
  const VALUES = [undefined, 'AAAAAAAAAAAA', '...', '', 5, null, { nested: true }];

  it('is exactly what realtimeTraceEvent gives, for every type, payload and key order', () => {
    let n = 0;
    for (const type of TYPES) {
      for (const audio of VALUES) {
        for (const delta of VALUES) {
          for (const typeFirst of [true, false]) {
            const make = (): Record<string, unknown> => {
              const e: Record<string, unknown> = typeFirst ? { type, event_id: 'ev_1' } : { event_id: 'ev_1' };
              if (audio !== undefined) e['audio'] = audio;
              e['response_id'] = 'resp_1';
              if (delta !== undefined) e['delta'] = delta;
              if (!typeFirst) e['type'] = type;
              return e;
            };
            const want = reference(1234, 'server', make(), 9);
            const got = ownedRealtimeEvent(1234, 'server', make() as { type: string }, 9);
            expect(JSON.stringify(got), JSON.stringify(make())).toBe(JSON.stringify(want));
            expect(got).toEqual(want);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
  });
});
