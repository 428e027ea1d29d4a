/**
 * The session-report reader (src/sources/logs/session-report.ts) on the real reports of
 * fixtures/logs/session-reports/ (livekit-agents 1.8.9, 1.5.4, 1.3.12; @livekit/agents 1.9.0 when
 * captured), and the whole-document detection that must leave JSON-lines logs to the line formats.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogStream } from '../../src/sources/logs/index.js';
import { isSessionReport, parseLogOrReport, reportTimeMs, sessionReportEvents, startVerdict } from '../../src/sources/logs/session-report.js';
import type { TraceEvent } from '../../src/diagnose/types.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs/session-reports');
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, `${name}.session_report.json`), 'utf8')) as Record<string, unknown>;
const kinds = (evs: readonly TraceEvent[]) => evs.map((e) => e.kind);
const count = (evs: readonly TraceEvent[]) => {
  const out: Record<string, number> = {};
  for (const e of evs) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
};
async function collect(parse: AsyncIterable<TraceEvent>): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const e of parse) out.push(e);
  return out;
}
/** The text as an async stream of `size`-byte chunks (a file read, a pipe). */
async function* chunks(text: string, size = 4096): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('session report detection', () => {
  it('recognises each real report and nothing that merely looks like one', () => {
    for (const n of ['python-1.8.9-healthy', 'python-1.8.9-invalid-api-key', 'python-1.5.4-healthy', 'python-1.3.12-healthy'])
      expect(isSessionReport(read(n))).toBe(true);
    expect(isSessionReport({ message: 'hello', level: 'INFO', job_id: 'AJ_1', room: 'r' })).toBe(false); // a python-json log record with job context
    expect(isSessionReport({ job_id: 'AJ_1', room: 'r', events: [] })).toBe(false); // no chat_history
    expect(isSessionReport({ jobId: 'AJ_1', room: 'r', events: [], chatHistory: { items: [] } })).toBe(true); // agents-js before 1.4.10
    expect(isSessionReport([])).toBe(false);
  });

  it('reads seconds (Python, chat items) and milliseconds (agents-js events) as epoch ms', () => {
    expect(reportTimeMs(1796154278.642997)).toBeCloseTo(1796154278642.997, 3);
    expect(reportTimeMs(1796154278643)).toBe(1796154278643);
    expect(reportTimeMs(null)).toBeUndefined();
    expect(reportTimeMs(0)).toBeUndefined();
  });
});

describe('sessionReportEvents on real reports', () => {
  it('livekit-agents 1.8.9, healthy: two turns, states, transcripts, chat messages with their metrics, the close', () => {
    const doc = read('python-1.8.9-healthy');
    const evs = sessionReportEvents(doc);
    expect(evs.every((e) => e.source === 'report')).toBe(true);
    expect(evs[0]).toMatchObject({
      kind: 'agent.session-report',
      data: { jobId: 'AJ_RXxo4LSj3oxX', sdkVersion: '1.8.9', events: 30, messages: 4, closeReason: 'CR_USER_INITIATED' },
    });
    expect(count(evs)).toEqual({
      'agent.session-report': 1,
      'session.other': 3, // speech_created ×3 (session_usage_updated is left out)
      'agent.state': 5,
      'user.state': 4,
      'user.transcript': 6,
      'conversation.item': 4,
      'agent.session-closed': 1,
    });
    // time order, stable
    expect(evs.map((e) => e.t)).toEqual([...evs.map((e) => e.t)].sort((a, b) => a - b));
    const items = evs.filter((e): e is TraceEvent<'conversation.item'> => e.kind === 'conversation.item');
    expect(items.map((i) => i.data.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // an assistant message from chat_history: camelCased metrics, at the time its conversation_item_added was recorded
    expect(items[1]!.data).toMatchObject({ text: 'Hello! I heard you. How can I help?', interrupted: false });
    expect(items[1]!.data.metrics).toMatchObject({ startedSpeakingAt: 1796154282.3531113, stoppedSpeakingAt: 1796154284.7299235 });
    const added = (doc.events as Array<Record<string, unknown>>).filter((e) => e.type === 'conversation_item_added')[2]!;
    expect(items[1]!.t).toBeCloseTo((added.created_at as number) * 1000, 3);
    expect(evs.at(-1)).toMatchObject({ kind: 'agent.session-closed', data: { reason: 'user_initiated' } });
    expect(evs.find((e) => e.kind === 'agent.state')!.data).toEqual({ from: 'initializing', to: 'listening' });
  });

  it('livekit-agents 1.8.9, invalid API key: the unrecoverable realtime error, named by type and label (the report keeps no message)', () => {
    const evs = sessionReportEvents(read('python-1.8.9-invalid-api-key'));
    const errors = evs.filter((e) => e.kind === 'agent.error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.data).toMatchObject({
      message: 'realtime_model_error from livekit.plugins.openai.realtime.realtime_model.RealtimeModel (the session report keeps no error message)',
      recoverable: false,
    });
    expect(kinds(evs)).not.toContain('agent.session-closed'); // 1.8.9 wrote this report before any close event
  });

  it('livekit-agents 1.5.4 (no duration/close_reason keys; an error whose source was written with default=str)', () => {
    const doc = read('python-1.5.4-healthy');
    expect(doc).not.toHaveProperty('close_reason');
    const evs = sessionReportEvents(doc);
    const err = evs.find((e) => e.kind === 'agent.error')!;
    expect(err.data).toMatchObject({ recoverable: true });
    expect(String(err.data['by'])).toMatch(/^<livekit\.plugins\.openai\.realtime\.realtime_model\.RealtimeModel object at 0x/);
    expect(count(evs)['conversation.item']).toBe(4);
  });

  it('livekit-agents 1.3.12: the oldest shape reads the same kinds', () => {
    const evs = sessionReportEvents(read('python-1.3.12-healthy'));
    expect(new Set(kinds(evs))).toEqual(
      new Set(['agent.session-report', 'session.other', 'agent.state', 'user.state', 'user.transcript', 'conversation.item', 'agent.session-closed']),
    );
  });

  it('@livekit/agents 1.9.0, start mode: no events (recorded only with recording on), the chat messages from chat_history', () => {
    const doc = read('node-1.9.0-healthy');
    expect(doc['events']).toEqual([]); // agent_session.js emit(): pushed only when _enableRecording
    const evs = sessionReportEvents(doc);
    expect(kinds(evs)).toEqual(['agent.session-report', 'conversation.item', 'conversation.item', 'conversation.item', 'conversation.item']);
    expect(evs[0]!.data).toMatchObject({ sdkVersion: '1.9.0', events: 0, messages: 4 });
    const first = (doc['chat_history'] as { items: Array<{ type: string; created_at: number }> }).items.find((i) => i.type === 'message')!;
    expect(evs[1]!.t).toBeCloseTo(first.created_at * 1000, 3); // chat items in seconds (msToUnixSeconds)
    expect(evs.slice(1).map((e) => (e as TraceEvent<'conversation.item'>).data.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('@livekit/agents 1.9.0 with recording on: its events in milliseconds, on one clock with the chat items in seconds', () => {
    const doc = read('node-1.9.0-recording-healthy');
    const raw = doc['events'] as Array<{ type: string; created_at: number }>;
    expect(raw[0]!.created_at).toBeGreaterThan(1e12); // Date.now(), not converted by sessionReportToJSON
    const evs = sessionReportEvents(doc);
    expect(evs[0]!.data).toMatchObject({ sdkVersion: '1.9.0', events: 24, messages: 4 });
    const ts = evs.map((e) => e.t);
    expect(Math.max(...ts) - Math.min(...ts)).toBeLessThan(60_000); // one session of seconds: no 1000x stray
    expect(count(evs)).toMatchObject({ 'agent.state': 5, 'user.state': 4, 'conversation.item': 4, 'agent.session-closed': 1 });
    // the assistant's chat item sits at its conversation_item_added event (ms), not at its own created_at
    const added = raw.filter((e) => e.type === 'conversation_item_added')[2]!;
    const item = evs.filter((e) => e.kind === 'conversation.item')[1]!;
    expect(item.t).toBe(added.created_at);
  });

  it('agents-js event times in milliseconds land beside chat items in seconds', () => {
    const doc = {
      job_id: 'AJ_1',
      room: 'r',
      events: [{ type: 'agent_state_changed', old_state: 'listening', new_state: 'speaking', created_at: 1796154786363 }],
      chat_history: { items: [{ id: 'i1', type: 'message', role: 'assistant', content: ['hi'], created_at: 1796154786.3 }] },
    };
    expect(sessionReportEvents(doc).map((e) => [e.kind, e.t])).toEqual([
      ['agent.session-report', 1796154786300],
      ['conversation.item', 1796154786300],
      ['agent.state', 1796154786363],
    ]);
  });
});

describe('parseLogOrReport', () => {
  const pretty = readFileSync(join(DIR, 'python-1.8.9-healthy.session_report.json'), 'utf8');

  it('reads an indented report, in small chunks, as one session-report record', async () => {
    const p = parseLogOrReport(chunks(pretty, 512));
    const evs = await collect(p);
    expect(evs).toEqual(sessionReportEvents(JSON.parse(pretty) as Record<string, unknown>));
    expect(p.stats).toMatchObject({ formats: { 'session-report': 1 }, unrecognised: 0, events: 24 });
    expect(p.stats.lines).toBe(pretty.split('\n').length - (pretty.endsWith('\n') ? 1 : 0));
  });

  it('reads a report written on one line (json.dumps without indent) the same', async () => {
    const compact = JSON.stringify(JSON.parse(pretty));
    const p = parseLogOrReport(chunks(compact));
    expect(await collect(p)).toHaveLength(24);
    expect(p.stats.formats).toEqual({ 'session-report': 1 });
  });

  it('leaves a JSON-lines agent log to the line formats, unchanged', async () => {
    const log = readFileSync(join(DIR, 'python-1.8.9-healthy.agent.log'), 'utf8');
    const viaReport = parseLogOrReport(chunks(log, 1000));
    const direct = parseLogStream(chunks(log, 1000));
    expect(await collect(viaReport)).toEqual(await collect(direct));
    expect(viaReport.stats).toEqual(direct.stats);
    expect(viaReport.stats.formats['python-json']).toBeGreaterThan(5);
  });

  it('decides from the first key alone', () => {
    expect(startVerdict('{\n  "job_id": "AJ_1",')).toBe('report');
    expect(startVerdict('{"jobId":"AJ_1"')).toBe('report');
    expect(startVerdict('{"message": "x", "job_id": "AJ_1"')).toBe('log');
    expect(startVerdict('  \n')).toBeUndefined();
    expect(startVerdict('{\n  "job')).toBeUndefined(); // could still be a report
    expect(startVerdict('{\n  "job', true)).toBe('log');
    expect(startVerdict('2026-12-01 19:44:38,000 - INFO livekit.agents - x')).toBe('log');
  });

  it('hands a live JSON-lines log with job_id fields on at once, never holding it back as a possible report', async () => {
    const line = `${JSON.stringify({ message: 'received job request', level: 'INFO', name: 'livekit.agents', job_id: 'AJ_1', room: 'r', timestamp: '2026-12-01T19:44:38.000000+00:00' })}\n`;
    let release = (): void => {};
    const more = new Promise<void>((r) => {
      release = r;
    });
    async function* live(): AsyncGenerator<Buffer> {
      yield Buffer.from(line);
      await more; // the log is still being written
    }
    const it = parseLogOrReport(live(), { live: true }).batches()[Symbol.asyncIterator]();
    const first = await Promise.race([it.next(), new Promise<'held'>((r) => setTimeout(() => r('held'), 2_000))]);
    release();
    if (first === 'held' || first.done === true) throw new Error('the first record was held back (or the parse ended)');
    expect(first.value.map((e: TraceEvent) => e.kind)).toEqual(['log.job.received']);
  });

  it('reads a cut-off report (not one JSON document) line by line instead of failing', async () => {
    const cut = pretty.slice(0, 2000);
    const p = parseLogOrReport(chunks(cut));
    await collect(p);
    expect(p.stats.formats['session-report']).toBeUndefined();
    expect(p.stats.lines).toBe(cut.split('\n').length);
  });
});
