import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parseLogStream, type LogParse } from '../../src/sources/logs/index.js';
import { splitExtras } from '../../src/sources/logs/python-text.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { fieldsOf } from '../../src/events/index.js';

async function parse(text: string, opts = {}): Promise<{ events: TraceEvent[]; p: LogParse }> {
  const p = parseLogStream(Readable.from([Buffer.from(text)]), opts);
  const events: TraceEvent[] = [];
  for await (const e of p) events.push(e);
  return { events, p };
}

describe('Python JSON (start mode)', () => {
  it('maps message, level, name, extras and the ISO timestamp', async () => {
    const { events } = await parse(
      '{"message": "pre-connect audio buffer is too old", "level": "WARNING", "name": "livekit.agents", "track_id": "TR_1", "delta_time": 1.5, "timestamp": "2025-09-13T23:25:08.039123+00:00"}\n',
    );
    expect(events).toEqual([
      {
        t: Date.UTC(2025, 8, 13, 23, 25, 8, 39),
        source: 'log',
        kind: 'log.preconnect.too-old',
        data: { level: 'warning', logger: 'livekit.agents', message: 'pre-connect audio buffer is too old', line: 1, trackId: 'TR_1', deltaTime: 1.5 },
      },
    ]);
  });

  it('≥1.7 >>> / <<< carry the event in lk.pii.event; audio elided', async () => {
    const { events } = await parse(
      [
        '{"message": ">>>", "level": "DEBUG", "name": "livekit.plugins.openai", "lk.pii.event": {"type": "response.create", "event_id": "r1"}, "timestamp": "2026-01-01T00:00:00+00:00"}',
        '{"message": "<<<", "level": "DEBUG", "name": "livekit.plugins.openai", "lk.pii.event": {"type": "response.output_audio.delta", "delta": "..."}, "timestamp": "2026-01-01T00:00:01+00:00"}',
        '{"message": "<<<", "level": "DEBUG", "name": "livekit.plugins.openai", "lk.pii.event": {"type": "response.audio_transcript.delta", "delta": "hi"}, "timestamp": "2026-01-01T00:00:02+00:00"}',
      ].join('\n'),
    );
    expect(events.map((e) => [e.kind, fieldsOf(e)['direction']])).toEqual([
      ['openai.response.create', 'client'],
      ['openai.response.output_audio.delta', 'server'],
      ['openai.response.output_audio_transcript.delta', 'server'],
    ]);
    expect(fieldsOf(events[1]!)['event']).toMatchObject({ delta: '<elided in log>' });
    expect(events[0]!.source).toBe('log');
  });

  it('log.line only with keepLines; unrecognised JSON objects are counted', async () => {
    const text = '{"message": "hello", "level": "INFO", "name": "x", "timestamp": "2026-01-01T00:00:00+00:00"}\n{"foo": 1}\n[1,2]\n';
    const a = await parse(text);
    expect(a.events).toEqual([]);
    expect(a.p.stats).toMatchObject({ lines: 3, recognised: 1, unrecognised: 2 });
    const b = await parse(text, { keepLines: true });
    expect(b.events.map((e) => e.kind)).toEqual(['log.line']);
  });
});

describe('Python text layouts', () => {
  it('the issue example: naive asctime read as UTC, pre-1.7 dict repr', async () => {
    const { events } = await parse(
      "2025-09-13 23:25:08,039 - INFO events - User state changed from: listening to speaking\n2025-09-13 23:25:08,039 - DEBUG livekit.plugins.openai - >>> {'type': 'response.cancel'}\n",
    );
    expect(events).toEqual([
      {
        t: Date.UTC(2025, 8, 13, 23, 25, 8, 39),
        source: 'log',
        kind: 'user.state',
        data: { level: 'info', logger: 'events', message: 'User state changed from: listening to speaking', line: 1, from: 'listening', to: 'speaking' },
      },
      {
        t: Date.UTC(2025, 8, 13, 23, 25, 8, 39),
        source: 'log',
        kind: 'openai.response.cancel',
        data: { direction: 'client', event: { type: 'response.cancel' }, line: 2 },
      },
    ]);
  });

  it('reads the three layouts and time-only asctime', async () => {
    const { events } = await parse(
      [
        '2025-06-01 09:15:00,500 - WARNING livekit.agents - timeout waiting for pre-connect audio buffer',
        '2025-06-01 09:15:00,600 INFO livekit.agents user turn committed',
        '2025-06-01 09:15:00,700 - livekit.agents - ERROR - failed to generate a reply: generate_reply timed out.',
        '23:59:59 DEBUG  livekit.agents start reading stream',
        '00:00:01 DEBUG  livekit.agents start reading stream',
      ].join('\n'),
    );
    expect(events.map((e) => e.kind)).toEqual([
      'log.preconnect.timeout',
      'agent.turn-committed',
      'agent.generate-reply-failed',
      'agent.start-reading',
      'agent.start-reading',
    ]);
    expect(events[2]!.data).toMatchObject({ level: 'error', inner: 'generate_reply timed out.', timeout: true });
    // time-only stamps take the last full date, and roll over midnight
    expect(events[3]!.t).toBe(Date.UTC(2025, 5, 1, 23, 59, 59));
    expect(events[4]!.t).toBe(Date.UTC(2025, 5, 2, 0, 0, 1));
  });

  it('≥1.7 text: the event is in the trailing JSON extras', async () => {
    const { events } = await parse(
      '2026-02-01 12:00:01,120 - DEBUG livekit.plugins.openai - <<< {"lk.pii.event": {"type": "input_audio_buffer.speech_started", "audio_start_ms": 40, "item_id": "i1"}}\n',
    );
    expect(events[0]).toMatchObject({ kind: 'openai.input_audio_buffer.speech_started', data: { direction: 'server', event: { audio_start_ms: 40 } } });
  });

  it('splits trailing extras only when they parse', () => {
    expect(splitExtras('pre-connect audio received {"duration": 1.0}')).toEqual({ message: 'pre-connect audio received', extras: { duration: 1 } });
    expect(splitExtras('value is {"a": 1} then {"b": {"c": 2}}')).toEqual({ message: 'value is {"a": 1} then', extras: { b: { c: 2 } } });
    expect(splitExtras('a set {1, 2}')).toEqual({ message: 'a set {1, 2}', extras: {} });
    expect(splitExtras('trailing space   ')).toEqual({ message: 'trailing space', extras: {} });
  });

  it('a broken dict repr keeps the event type', async () => {
    const { events } = await parse(
      "2025-01-01 00:00:00,000 - DEBUG livekit.plugins.openai - >>> {'type': 'session.update', 'session': <Session object at 0x7f>}\n",
    );
    expect(events[0]).toMatchObject({ kind: 'openai.session.update', data: { event: { type: 'session.update', unparsed: true } } });
  });
});

describe('agents-js pino', () => {
  it('≥1.7 messages with lk.pii.event', async () => {
    const { events, p } = await parse(
      '{"level":20,"time":1767225601500,"pid":1,"hostname":"h","eventType":"response.cancel","lk.pii.event":{"type":"response.cancel"},"msg":"sent OpenAI Realtime client event"}\n',
    );
    expect(events).toEqual([
      { t: 1767225601500, source: 'log', kind: 'openai.response.cancel', data: { direction: 'client', event: { type: 'response.cancel' }, line: 1 } },
    ]);
    expect(p.stats.formats).toEqual({ pino: 1 });
  });

  it('1.x `(server) <- type` rebuilds the event from the record; beta names become GA', async () => {
    const { events } = await parse(
      '{"level":20,"time":1,"pid":1,"hostname":"h","type":"response.audio_transcript.delta","response_id":"r","delta":"Hel","msg":"(server) <- response.audio_transcript.delta"}\n',
    );
    expect(events[0]).toEqual({
      t: 1,
      source: 'log',
      kind: 'openai.response.output_audio_transcript.delta',
      data: { direction: 'server', event: { type: 'response.output_audio_transcript.delta', response_id: 'r', delta: 'Hel' }, line: 1 },
    });
  });

  it('0.x `(client) -> {json}`', async () => {
    const { events } = await parse('{"level":20,"time":5,"msg":"(client) -> {\\"type\\":\\"response.create\\",\\"response\\":{}}"}\n');
    expect(events[0]).toMatchObject({ kind: 'openai.response.create', data: { direction: 'client', event: { type: 'response.create', response: {} } } });
  });

  it('numeric levels', async () => {
    const lines = [10, 20, 30, 40, 50, 60].map((l, i) => `{"level":${l},"time":${i},"msg":"session closed"}`).join('\n');
    const { events } = await parse(lines);
    expect(events.map((e) => fieldsOf(e)['level'])).toEqual(['debug', 'debug', 'info', 'warning', 'error', 'critical']);
  });
});

describe('lkdiag NDJSON', () => {
  it('re-uses events, ignores a report after them, and takes a lone report’s events', async () => {
    const ev = { t: 10, source: 'room', kind: 'room.closed', data: {} };
    const report = {
      schema: 'lkdiag/v1',
      command: 'trace room',
      ok: false,
      findings: [{ code: 'x' }],
      events: [{ t: 1, source: 'log', kind: 'agent.fatal', data: {} }],
    };
    const a = await parse(`${JSON.stringify(ev)}\n${JSON.stringify(report)}\n`);
    expect(a.events).toEqual([ev]);
    const b = await parse(`${JSON.stringify(report)}\n`);
    expect(b.events.map((e) => e.kind)).toEqual(['agent.fatal']);
    expect(b.p.stats.formats).toEqual({ 'lkdiag-ndjson': 1 });
  });

  it('rejects objects that only look like events', async () => {
    const { p } = await parse('{"t":"x","source":"log","kind":"k","data":{}}\n{"t":1,"source":"mars","kind":"k","data":{}}\n');
    expect(p.stats.recognised).toBe(0);
  });
});
