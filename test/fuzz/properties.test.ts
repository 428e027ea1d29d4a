/**
 * Properties of every input parser, on generated inputs (fast-check): none throws anything but a
 * UserError (exit 2, with a hint) or its documented error type, and the log reader's results do
 * not depend on how the bytes were cut into chunks.
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectWav, loadPcm16, MAX_WAV_MS } from '../../src/audio/wav.js';
import { MAX_SECONDS, MAX_TIMER_MS, nonNegativeMs, number, port, positiveInt, positiveSeconds } from '../../src/commands/parse.js';
import { Config, dropJunkLines } from '../../src/config.js';
import { UserError } from '../../src/errors.js';
import { loadConfigFile, validateSmokeConfig } from '../../src/smoke/config.js';
import { parseLogStream, parsePyRepr, PyReprError } from '../../src/sources/logs/index.js';
import { detectLine, newDetectState } from '../../src/sources/logs/detect.js';
import { decodeLine } from '../../src/sources/logs/reader.js';
import { LOG_LINES, makeWav } from './inputs/make.js';

const RUNS = { numRuns: 300 };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lkdiag-prop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Calls fn; a thrown error must be a usage error with a hint (what the CLI prints as two lines). */
function userErrorOr<T>(fn: () => T): T | UserError {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).hint).toMatch(/\S/);
    return err as UserError;
  }
}

// ───────────── agent logs ─────────────
const logLine = fc.oneof(
  fc.constantFrom(...Object.values(LOG_LINES).map((f) => f())),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 0, max: 1e6 }).map((ms) => LOG_LINES.pythonText(ms, 'x'.repeat(ms % 300))),
  fc
    .record({
      t: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
      source: fc.string({ maxLength: 8 }),
      kind: fc.string({ maxLength: 30 }),
      data: fc.jsonValue({ maxDepth: 3 }),
    })
    .map((o) => JSON.stringify(o)),
  fc
    .record({ level: fc.oneof(fc.integer(), fc.double(), fc.string()), time: fc.oneof(fc.integer(), fc.string()), msg: fc.jsonValue({ maxDepth: 2 }) })
    .map((o) => JSON.stringify(o)),
  fc
    .record({
      message: fc.jsonValue({ maxDepth: 2 }),
      level: fc.string({ maxLength: 10 }),
      name: fc.string({ maxLength: 20 }),
      timestamp: fc.oneof(fc.string(), fc.double()),
    })
    .map((o) => JSON.stringify(o)),
);
const logBytes = fc.oneof(
  fc.array(logLine, { maxLength: 30 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => Buffer.from(lines.join(eol)))),
  fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
  fc
    .tuple(fc.array(logLine, { maxLength: 10 }), fc.uint8Array({ maxLength: 300 }))
    .map(([l, junk]) => Buffer.concat([Buffer.from(l.join('\n')), Buffer.from(junk), Buffer.from(`\n${LOG_LINES.pino()}\n`)])),
);

async function parseAll(chunks: Buffer[], maxLineBytes?: number) {
  const parse = parseLogStream(
    (async function* () {
      yield* chunks;
    })(),
    { keepLines: true, ...(maxLineBytes ? { maxLineBytes } : {}) },
  );
  const events = [];
  for await (const e of parse) events.push(e);
  return { events, stats: parse.stats };
}

function cut(buf: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of at) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out.filter((b) => b.length > 0);
}

describe('log parsers', () => {
  it('never throw; every line is counted once; results do not depend on chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(logBytes, fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom(undefined, 64), async (buf, points, maxLine) => {
        const whole = await parseAll([buf], maxLine);
        const s = whole.stats;
        expect(s.recognised + s.unrecognised + s.blank + s.oversized).toBe(s.lines);
        expect(s.events).toBe(whole.events.length);
        for (const e of whole.events) expect(typeof e.kind).toBe('string');
        const pieces = await parseAll(cut(buf, points), maxLine);
        expect(pieces.stats).toEqual(s);
        expect(JSON.stringify(pieces.events)).toBe(JSON.stringify(whole.events));
      }),
      RUNS,
    );
  });

  it('decodeLine and detectLine accept any bytes and any string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string({ unit: 'binary', maxLength: 300 }), (bytes, text) => {
        expect(['text', 'blank', 'oversized', 'binary', 'invalid-utf8']).toContain(decodeLine(Buffer.from(bytes)).kind);
        detectLine(text, 1, newDetectState());
        detectLine(`{${text}`, 1, newDetectState());
        detectLine(`2025-09-13 23:25:08,000 - INFO livekit.agents - ${text}`, 1, newDetectState());
      }),
      { numRuns: 1000 },
    );
  });

  it('parsePyRepr returns a value or throws PyReprError, whatever the text (and however deep)', () => {
    const reprish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v).replace(/"/g, "'").replace(/true/g, 'True').replace(/null/g, 'None')),
      fc.integer({ min: 150, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.stringMatching(/^[{}[\]()'"\\,:bxuU0-9a-fN]{0,80}$/),
    );
    fc.assert(
      fc.property(reprish, (text) => {
        try {
          parsePyRepr(text);
        } catch (err) {
          expect(err).toBeInstanceOf(PyReprError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

// ───────────── WAV ─────────────
const interesting32 = fc.oneof(fc.constantFrom(0, 1, 2, 7, 8, 16, 24, 32, 64, 999, 8000, 16000, 48000, 768_000, 768_001, 0x7fffffff, 0xffffffff), fc.nat());
const wavSpec = fc.record(
  {
    code: fc.constantFrom(0, 1, 2, 3, 6, 7, 0x11, 0xfffe, 0xffff),
    channels: fc.constantFrom(0, 1, 2, 3, 8, 64, 65, 65535),
    rate: interesting32,
    bits: fc.constantFrom(0, 1, 7, 8, 12, 16, 24, 32, 33, 64, 65535),
    blockAlign: fc.constantFrom(0, 1, 3, 4, 65535),
    dataBytes: fc.integer({ min: 0, max: 6000 }),
    declaredData: fc.oneof(fc.integer({ min: 0, max: 6000 }), fc.constant(0xffffffff)),
    riffSize: interesting32,
    fmtSize: fc.constantFrom(0, 2, 14, 16, 18, 22, 40, 41),
    ext: fc.record({ sub: fc.constantFrom(1, 3, 0, 0x1234, 0xfffe), valid: fc.constantFrom(0, 16, 99), cbSize: fc.constantFrom(0, 22, 65535) }),
    extra: fc.array(
      fc.record({
        id: fc.constantFrom('LIST', 'fact', 'JUNK', 'data', 'fmt ', '\0\0\0\0'),
        body: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
        size: fc.option(interesting32, { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    noData: fc.boolean(),
    noFmt: fc.boolean(),
  },
  { requiredKeys: [] },
);
/** A valid header with one field made odd: most are still read, so the conversion itself is exercised. */
const nearlyValid = fc.oneof(
  fc
    .record({
      code: fc.constantFrom(1, 3),
      bits: fc.constantFrom(8, 16, 24, 32),
      channels: fc.constantFrom(1, 2, 3),
      rate: fc.constantFrom(8000, 16000, 44100, 48000),
      dataBytes: fc.integer({ min: 1, max: 6000 }),
    })
    .map((s) => ({ ...s, bits: s.code === 3 ? 32 : s.bits })),
  fc.record({ blockAlign: fc.constantFrom(0, 1, 3, 65535) }),
  fc.record({ riffSize: interesting32 }),
  fc.record({
    code: fc.constant(0xfffe),
    fmtSize: fc.constant(40),
    ext: fc.record({ sub: fc.constantFrom(1, 3), valid: fc.constantFrom(0, 99) }),
    bits: fc.constant(32),
  }),
  fc.record({
    extra: fc.array(fc.record({ id: fc.constantFrom('LIST', 'fact', 'JUNK'), body: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) }), {
      maxLength: 12,
    }),
  }),
  fc.record({ rate: fc.constantFrom(1000, 768_000), dataBytes: fc.integer({ min: 2, max: 400 }) }),
);

describe('WAV reader', () => {
  it('inspectWav: a WavInfo within the bounds, or a usage error — for any header and any bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          wavSpec.map((s) => makeWav(s)),
          nearlyValid.map((s) => makeWav(s)),
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.from(a)])),
          fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        ),
        fc.nat(),
        (buf, cutAt) => {
          for (const b of [buf, buf.subarray(0, cutAt % (buf.length + 1))]) {
            const r = userErrorOr(() => inspectWav('x.wav', b));
            if (r instanceof UserError) continue;
            expect(r.channels).toBeGreaterThanOrEqual(1);
            expect(r.frames).toBeGreaterThanOrEqual(1);
            expect(r.durationMs).toBeLessThanOrEqual(MAX_WAV_MS);
            expect(r.frames * r.channels * (r.bitsPerSample / 8)).toBeLessThanOrEqual(b.length);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('loadPcm16: converts what inspectWav accepts, to any target, without throwing anything else', () => {
    let n = 0;
    let converted = 0;
    fc.assert(
      fc.property(fc.oneof(wavSpec, nearlyValid), fc.constantFrom(16000, 24000, 48000), fc.constantFrom(1 as const, 2 as const), (spec, rate, channels) => {
        const path = join(dir, `p${n++}.wav`);
        writeFileSync(path, makeWav(spec));
        const r = userErrorOr(() => loadPcm16(path, { sampleRate: rate, channels }));
        if (r instanceof UserError) return;
        expect(r.pcm.samples.length % channels).toBe(0);
        // the converted length follows the duration (the resampler may add a few frames)
        expect(r.pcm.samples.length / channels).toBeLessThanOrEqual(Math.ceil((r.info.durationMs / 1000) * rate) + 64);
        converted++;
      }),
      { numRuns: 200 },
    );
    expect(converted).toBeGreaterThan(40); // the generator reaches the decoder, not only the header checks
  });
});

// ───────────── configuration ─────────────
describe('configuration', () => {
  it('validateSmokeConfig: the config back, or a usage error, for any JSON value', () => {
    const smokeish = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          agentName: fc.jsonValue({ maxDepth: 1 }),
          joinDelayMs: fc.oneof(fc.double(), fc.integer(), fc.string()),
          gates: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.dictionary(
              fc.constantFrom('agentJoinedWithinS', 'skip', 'ignoreFindings', 'bufferConsumed', 'constructor', 'toString', '__proto__'),
              fc.jsonValue({ maxDepth: 2 }),
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(smokeish, (raw) => {
        const r = userErrorOr(() => validateSmokeConfig(raw, 'lkdiag.config.json'));
        if (r instanceof UserError || raw === undefined) return;
        const g = (r as { gates?: Record<string, unknown> }).gates ?? {};
        for (const k of Object.keys(g))
          expect(['agentJoinedWithinS', 'firstAgentAudioWithinS', 'bufferConsumed', 'noErrorFinding', 'noCancelledReply', 'skip', 'ignoreFindings']).toContain(
            k,
          );
        const jd = (r as { joinDelayMs?: number }).joinDelayMs;
        if (jd !== undefined) expect(jd).toBeLessThanOrEqual(MAX_TIMER_MS);
      }),
      { numRuns: 1000 },
    );
  });

  it('loadConfigFile and Config: any bytes in lkdiag.config.json, package.json, .env and .env.local', () => {
    let n = 0;
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify({ smoke: v, lkdiag: { smoke: v } }))),
      fc
        .array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('LIVEKIT_URL=ws://x', 'A="multi', 'end"', '\0', '#c', '\uFEFF')), { maxLength: 12 })
        .map((l) => Buffer.from(l.join(n % 2 ? '\r\n' : '\n'))),
    );
    fc.assert(
      fc.property(content, fc.constantFrom('lkdiag.config.json', 'package.json', '.env', '.env.local'), (bytes, name) => {
        n++;
        const at = mkdtempSync(join(dir, 'c'));
        writeFileSync(join(at, name), bytes);
        userErrorOr(() => loadConfigFile(at));
        const cfg = userErrorOr(() => new Config({}, at));
        if (cfg instanceof Config) cfg.get('LIVEKIT_URL');
      }),
      RUNS,
    );
  });

  it('dropJunkLines leaves a dotenv file of NAME=value lines as it is', () => {
    const line = fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), fc.stringMatching(/^[^\n\r\0"'`]{0,30}$/)).map(([k, v]) => `${k}=${v}`);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (lines) => {
        expect(dropJunkLines(lines.join('\n'))).toBe(lines.join('\n'));
      }),
      RUNS,
    );
  });
});

// ───────────── flag parsers ─────────────
describe('flag parsers', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.double().map(String),
    fc.integer().map(String),
    fc.constantFrom('', ' ', '0x10', '1e400', '-0', 'Infinity', 'NaN', '3000000', '2147483', '2147483648', '65536', '1_000'),
  );
  it('each returns a value inside its bounds or throws InvalidArgumentError (a commander usage error)', () => {
    const parsers: Array<[string, (v: string) => number, (n: number) => boolean]> = [
      ['positiveSeconds', positiveSeconds, (n) => n > 0 && n <= MAX_SECONDS],
      ['nonNegativeMs', nonNegativeMs, (n) => n >= 0 && n <= MAX_TIMER_MS],
      ['positiveInt', positiveInt, (n) => Number.isInteger(n) && n > 0],
      ['port', port, (n) => Number.isInteger(n) && n >= 1 && n <= 65535],
      ['number', number, (n) => Number.isFinite(n)],
    ];
    fc.assert(
      fc.property(text, (v) => {
        for (const [, parse, ok] of parsers) {
          try {
            expect(ok(parse(v))).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidArgumentError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
