// Logs pasted broken (issue #12 item 3): JSON records that are not JSON any more (unescaped quotes, a value
// cut by a line break, split over lines, glued), records printed twice, CRLF and ANSI, custom layouts with a
// timestamp and a level somewhere, lines with neither. Verbatim corpus lines where the corpus has the shape.
import { describe, expect, it } from 'vitest';
import { sameRecord } from '../../src/sources/logs/assemble.js';
import { repairJsonRecord } from '../../src/sources/logs/json-repair.js';
import { eventFor } from '../../src/sources/logs/messages.js';
import type { LogRecord } from '../../src/sources/logs/record.js';
import { publicExcerpt, readRecords } from '../helpers/logs.js';

const corpus = publicExcerpt;

const read = readRecords;

const TS = '2025-12-01T15:54:36.712546+00:00';

describe('JSON records that are not JSON', () => {
  it('046: unescaped quotes in the traceback and a line break inside job_id — one record, its fields, its traceback', () => {
    const { records, formats, unrecognised } = read(corpus('046'));
    expect(unrecognised).toEqual([]);
    expect(formats).toEqual(['python-json']);
    const r = records[0]!;
    expect(r).toMatchObject({ t: Date.parse(TS), level: 'warning', logger: 'livekit.agents', line: 1 });
    expect(r.message.split('\n')[0]).toBe('failed to synthesize speech, retrying in 0.1s');
    expect(r.extras).toMatchObject({ tts: 'livekit.plugins.elevenlabs.tts.TTS', attempt: 1, streamed: true, pid: 30844, job_id: 'AJ_5Q9Q9Sgvq5H3' });
    expect(String(r.extras['exc_info']).split('\n').at(-1)).toBe(
      'livekit.agents.exceptions.APIStatusError: Could not synthesize (status_code=-1, request_id=None, body=None, retryable=True)',
    );
    const e = eventFor(r);
    expect(e.kind).toBe('log.tts.failed');
    expect(e.data).toMatchObject({
      retrying: true,
      attempt: 1,
      reason: expect.stringMatching(/^livekit\.agents\.exceptions\.APIStatusError: Could not synthesize/),
    });
  });

  it('071: Markdown backticks pasted inside the object (after "message": and after the brace)', () => {
    const { records, unrecognised } = read(corpus('071'));
    expect(unrecognised).toEqual([]);
    expect(records[0]).toMatchObject({
      level: 'warning',
      logger: 'livekit.agents',
      message:
        'failed to connect to livekit, retrying in 4s: Cannot connect to host localhost:7880 ssl:default [The remote computer refused the network connection]',
    });
    expect(eventFor(records[0]!).data).toMatchObject({ retryInS: 4, reason: expect.stringMatching(/^Cannot connect to host localhost:7880/) });
  });

  it('a record pretty-printed over lines is joined and read; the next record is its own', () => {
    const { records, unrecognised } = read([
      '{',
      '  "message": "process initialized",',
      '  "level": "INFO",',
      '  "name": "livekit.agents",',
      '  "pid": 7,',
      `  "timestamp": "${TS}"`,
      '}',
      `{"message": "registered worker", "level": "INFO", "name": "livekit.agents", "id": "AW_1", "timestamp": "${TS}"}`,
    ]);
    expect(unrecognised).toEqual([]);
    expect(records.map((r) => [r.message, r.line])).toEqual([
      ['process initialized', 1],
      ['registered worker', 8],
    ]);
    expect(records[0]!.extras['pid']).toBe(7);
  });

  it('a record cut short (its end lost) is repaired when the next record starts, and at the end of the input', () => {
    const cut = `{"message": "process exceeded memory limit, killing process", "level": "WARNING", "name": "livekit.agents", "pid": 9, "timestamp": "${TS}`;
    const { records } = read([cut, `{"message": "draining worker", "level": "INFO", "name": "livekit.agents", "timestamp": "${TS}"}`, cut]);
    expect(records.map((r) => r.message)).toEqual([
      'process exceeded memory limit, killing process',
      'draining worker',
      'process exceeded memory limit, killing process',
    ]);
    expect(records[0]!.extras['pid']).toBe(9);
    expect(eventFor(records[0]!).kind).toBe('log.job.killed');
  });

  it('glued records (two objects on one line) are two records', () => {
    const a = `{"message": "initializing process", "level": "INFO", "name": "livekit.agents", "pid": 1, "timestamp": "${TS}"}`;
    const b = `{"message": "process initialized", "level": "INFO", "name": "livekit.agents", "pid": 1, "timestamp": "${TS}"}`;
    expect(read([`${a} ${b}`]).records.map((r) => r.message)).toEqual(['initializing process', 'process initialized']);
  });

  it('never throws, and text with a brace that is no record is not one', () => {
    for (const s of ['{', '{"', '{"message": ', '{"a": 1, "b": ', '{"message": "x"}', '{ not json at all }', '{"message": "\\u12"}'])
      expect(() => repairJsonRecord(s)).not.toThrow();
    // a message alone (no level, logger or time) is not a log record
    expect(repairJsonRecord('{"message": "he said "hi"}')).toBeUndefined();
    expect(read(['{ this is a code block }', '{', 'not a record']).records).toEqual([]);
    expect(read(['{ this is a code block }']).unrecognised).toEqual([1]);
  });
});

describe('records printed twice', () => {
  const text = '2025-01-01 10:00:00,123 - WARNING livekit.agents - process memory usage is high {"memory_usage_mb": 582.8, "memory_warn_mb": 500}';
  const json = `{"message": "process memory usage is high", "level": "WARNING", "name": "livekit.agents", "memory_usage_mb": 582.8, "memory_warn_mb": 500, "memory_limit_mb": 0, "timestamp": "2025-01-01T10:00:00.123000+00:00"}`;

  it('the same line twice is one record', () => {
    expect(read([text, text]).records).toHaveLength(1);
  });

  it('a text copy and a JSON copy (two handlers) are one record, with the fields of both', () => {
    const { records } = read([text, json]);
    expect(records).toHaveLength(1);
    expect(records[0]!.extras).toMatchObject({ memory_usage_mb: 582.8, memory_limit_mb: 0 });
  });

  it('a console copy with whole seconds is the same record; the finer time is kept', () => {
    const copy = '10:00:00 livekit.agents WARNING process memory usage is high';
    expect(read([text, copy]).records.map((r) => r.t)).toEqual([Date.UTC(2025, 0, 1, 10, 0, 0, 123)]);
    const first = `{"message": "starting worker", "level": "INFO", "name": "livekit.agents", "timestamp": "2025-01-01T09:59:59.000000+00:00"}`;
    expect(read([first, copy, json]).records.map((r) => [r.message, r.t])).toEqual([
      ['starting worker', Date.UTC(2025, 0, 1, 9, 59, 59)],
      ['process memory usage is high', Date.UTC(2025, 0, 1, 10, 0, 0, 123)],
    ]);
  });

  it('the same message again later, or with other fields, is another record', () => {
    expect(read([text, text.replace('10:00:00,123', '10:00:05,123')]).records).toHaveLength(2);
    expect(read([text, text.replace('582.8', '611.2')]).records).toHaveLength(2);
    const r = read([text]).records[0]!;
    expect(sameRecord(r, { ...r, level: 'error' })).toBe(false);
    expect(sameRecord(r, { ...r, t: r.t + 1 })).toBe(false);
  });
});

describe('CRLF, ANSI, custom layouts, lines with neither a time nor a level', () => {
  it('ANSI colours and a CR are not part of the record', () => {
    const { records } = read(['\x1b[2m10:00:01\x1b[0m \x1b[1mlivekit.agents\x1b[0m \x1b[31mERROR\x1b[0m   worker failed\r']);
    expect(records[0]).toMatchObject({ level: 'error', logger: 'livekit.agents', message: 'worker failed' });
  });

  it.each([
    ['[2025-01-01 10:00:00,123] 1234 livekit.agents - ERROR - worker failed', 123],
    ['2025-01-01 10:00:00 | ERROR | livekit.agents | worker failed', 0],
    ['ERROR 2025-01-01 10:00:00,123 livekit.agents worker failed', 123],
    ['[ERROR] 2025-01-01 10:00:00 livekit.agents - worker failed', 0],
    ['2025-01-01 10:00:00.123 | ERROR    | livekit.agents:run:12 - worker failed', 123],
    ['2025-01-01T10:00:00.123Z [ERROR] livekit.agents: worker failed', 123],
  ])('a timestamp and a level somewhere: %s', (l, ms) => {
    const { records, unrecognised } = read([l]);
    expect(unrecognised).toEqual([]);
    expect(records[0]).toMatchObject({ t: Date.UTC(2025, 0, 1, 10, 0, 0, ms), level: 'error', logger: 'livekit.agents', message: 'worker failed' });
  });

  it('a line with neither is read when its message is a known wording, at the time of the record before it', () => {
    const { records, unrecognised } = read([
      '2025-01-01 10:00:00,123 - INFO livekit.agents - starting worker {"version": "1.2.18"}',
      'failed to connect to livekit, retrying in 2s',
      'livekit.agents - worker failed',
      'something the user typed between the lines',
      'An error occurred while connecting, please help',
    ]);
    expect(records.map((r) => [r.message, r.logger, r.t])).toEqual([
      ['starting worker', 'livekit.agents', Date.UTC(2025, 0, 1, 10, 0, 0, 123)],
      ['failed to connect to livekit, retrying in 2s', '', Date.UTC(2025, 0, 1, 10, 0, 0, 123)],
      ['worker failed', 'livekit.agents', Date.UTC(2025, 0, 1, 10, 0, 0, 123)],
    ]);
    expect(unrecognised).toEqual([4, 5]);
  });

  it('a level word inside prose, with no timestamp, is not a layout', () => {
    expect(read(['I get an ERROR when the agent starts']).unrecognised).toEqual([1]);
  });
});

describe('the causes inside the tracebacks (015, 021, 031)', () => {
  it("015: 'failed to connect to livekit, retrying in 0s' with its traceback cut off: a connect failure with no reason", () => {
    const { records } = read(corpus('015'));
    const e = eventFor(records.at(-1)!);
    expect(e.kind).toBe('log.worker.connect-failed');
    expect(e.data).toMatchObject({ retryInS: 0 });
    expect(e.data).not.toHaveProperty('reason');
  });

  it('the reason after ": " (0.x), in the error extra (≥ 1.4) or the traceback, and a 401 status', () => {
    const rec = (message: string, extras: Record<string, unknown> = {}): LogRecord => ({
      t: 0,
      level: 'warning',
      logger: 'livekit.agents',
      message,
      extras,
      line: 1,
      format: 'python-text',
      framework: 'python',
    });
    expect(
      eventFor(rec("failed to connect to livekit, retrying in 0s: 401, message='Invalid response status', url='wss://hw.example:17880/agent'")).data,
    ).toMatchObject({
      status: 401,
      retryInS: 0,
    });
    expect(
      eventFor(rec('failed to connect to livekit, retrying in 4s', { error: 'Cannot connect to host localhost:7880 ssl:default [Connect call failed]' })).data,
    ).toMatchObject({
      reason: 'Cannot connect to host localhost:7880 ssl:default [Connect call failed]',
      retryInS: 4,
    });
    expect(eventFor(rec('failed to connect to livekit after 16 attempts')).data).toMatchObject({ final: true });
    expect(eventFor(rec('failed to connect to LiveKit server, retrying in 2 seconds:  (1/10)')).data).toMatchObject({ retryInS: 2 });
    // the lost-connection wording keeps its own kind
    expect(eventFor(rec('failed to connect to livekit, retrying in 0s: worker connection closed unexpectedly')).kind).toBe('log.worker.connection-lost');
  });

  it("021: the WSServerHandshakeError 403 under 0.x 'failed to connect to OpenAI API S2S' is the upgrade's status", () => {
    const e = eventFor(read(corpus('021')).records[0]!);
    expect(e).toMatchObject({ source: 'log', kind: 'probe.upgrade.response', data: { status: 403 } });
  });

  it('031: "worker failed" in the console layout, its traceback cut in the frames: no exception claimed', () => {
    const { records } = read(corpus('031'));
    expect(records.map((r) => eventFor(r).kind)).toEqual(['log.job.process', 'log.worker.failed']);
    expect(eventFor(records[1]!).data).not.toHaveProperty('exception');
  });
});
