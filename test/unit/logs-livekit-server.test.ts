// livekit-server's own log read as the server's side (issue #12 item 3): the zap console layout (tabs as the
// server writes it, spaces once pasted, indented, fields wrapped by the terminal or on the next line) and zap
// JSON. Lines are verbatim: from a real livekit-server v1.13.5 run (fixtures/logs/server/, see its README) and
// from the public corpus (009, 012, 051).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { RecordAssembler } from '../../src/sources/logs/assemble.js';
import { type Detected, newDetectState } from '../../src/sources/logs/detect.js';
import { parseLogFile, parseLogStream } from '../../src/sources/logs/index.js';
import type { LogRecord } from '../../src/sources/logs/record.js';

const SERVER = join(import.meta.dirname, '../../fixtures/logs/server');
const PUBLIC = join(import.meta.dirname, '../../fixtures/logs/public');

const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n');

function records(lines: string[]): { records: LogRecord[]; unrecognised: number } {
  const out: Detected[] = [];
  const a = new RecordAssembler(newDetectState(), (d) => out.push(d));
  let unrecognised = 0;
  lines.forEach((l, i) => {
    if (l.trim() !== '' && !a.push(l, i + 1)) unrecognised++;
  });
  a.end();
  return { records: out.flatMap((d) => (d.format === 'lkdiag-ndjson' ? [] : [d.record])), unrecognised };
}

async function eventsOf(file: string): Promise<{ events: TraceEvent[]; formats: Record<string, number | undefined> }> {
  const parse = parseLogFile(file);
  const events: TraceEvent[] = [];
  for await (const e of parse) events.push(e);
  return { events, formats: parse.stats.formats };
}

const codes = (events: TraceEvent[]) =>
  diagnose(events, ALL_RULES, { command: 'trace log' })
    .map((f) => `${f.severity}:${f.code}`)
    .sort();

describe('livekit-server console lines (zap)', () => {
  const real = linesOf(join(SERVER, 'livekit-server-1.13.5-dispatch.log'));
  const assign = real.find((l) => l.includes('failed to assign job to worker'))!;

  it('a real line: tabs, level, logger, caller, message, fields', () => {
    expect(assign).toContain('\t');
    const {
      records: [r],
      unrecognised,
    } = records([assign]);
    expect(unrecognised).toBe(0);
    expect(r).toMatchObject({
      t: Date.parse('2026-12-01T16:37:42.840Z'),
      level: 'warning',
      logger: 'livekit.agents',
      message: 'failed to assign job to worker',
      format: 'livekit-server',
      framework: 'server',
    });
    expect(r!.extras).toMatchObject({ caller: 'service/agentservice.go:428', retry: false, error: 'context deadline exceeded', agentName: 'slow-agent' });
  });

  it('the same line pasted with spaces for tabs reads the same', () => {
    const {
      records: [r],
    } = records([assign.replaceAll('\t', ' ')]);
    expect(r).toMatchObject({ message: 'failed to assign job to worker', level: 'warning', logger: 'livekit.agents' });
    expect(r!.extras['error']).toBe('context deadline exceeded');
  });

  it('a line with no fields (the message last)', () => {
    const {
      records: [r],
    } = records([real[0]!]);
    expect(r).toMatchObject({ message: 'starting in development mode', logger: 'livekit', level: 'info' });
    expect(r!.extras).toEqual({ caller: 'server/main.go:210' });
  });

  it('corpus 009: the fields alone on the next line (the message with a trailing space)', () => {
    const { records: rs, unrecognised } = records(linesOf(join(PUBLIC, '009-server-no-servers-available.log')));
    expect(unrecognised).toBe(0);
    expect(rs.map((r) => r.message)).toEqual(['failed to send job request', 'job ended']);
    expect(rs[0]!.extras).toMatchObject({ error: 'no servers available (received 1 responses)', jobType: 'JT_ROOM', agentName: '' });
    expect(rs[1]!.extras).toMatchObject({ status: 'JS_FAILED', error: 'agent worker left the room' });
  });

  it('corpus 051: indented lines whose fields the terminal wrapped over two and three lines', () => {
    const { records: rs, unrecognised } = records(linesOf(join(PUBLIC, '051-server-failed-to-assign-job-deadline.log')));
    expect(unrecognised).toBe(0);
    expect(rs.map((r) => r.message)).toEqual([
      'selected node for room',
      'API AgentDispatchService.CreateDispatch',
      'failed to assign job to worker',
      'closing room',
      'deleting room state',
      'room closed',
    ]);
    expect(rs[1]!.extras).toMatchObject({ method: 'CreateDispatch', status: '200' });
    expect(rs[2]!.extras).toMatchObject({ agentName: '<AGENT_NAME>', retry: false, error: 'context deadline exceeded' });
  });

  it('a Python or agents-js line is not taken for the server', () => {
    const { records: rs } = records([
      '2025-09-13 23:25:08,039 - INFO livekit.agents - registered worker {"id": "AW_x"}',
      '[12:04:37.724] ERROR (11228): failed to connect',
    ]);
    expect(rs.map((r) => r.format)).not.toContain('livekit-server');
  });
});

describe('livekit-server JSON (logging: {json: true})', () => {
  it('a real record: level name, ts in epoch seconds, msg, caller', async () => {
    const line = linesOf(join(SERVER, 'livekit-server-1.13.5-dispatch-json.log')).find((l) => l.includes('failed to assign job to worker'))!;
    const {
      records: [r],
    } = records([line]);
    expect(r).toMatchObject({
      level: 'warning',
      logger: 'livekit.agents',
      message: 'failed to assign job to worker',
      format: 'livekit-server-json',
      framework: 'server',
    });
    expect(r!.t).toBe(Math.round(1796143062.5943005 * 1000));
    expect(r!.extras).toMatchObject({ caller: 'service/agentservice.go:428', error: 'context deadline exceeded', retry: false });
  });

  it('a livekit-agents JSON record stays python-json', async () => {
    const parse = parseLogStream(
      Readable.from([
        '{"message": "registered worker", "level": "INFO", "name": "livekit.agents", "id": "AW_x", "timestamp": "2026-12-01T16:56:14.983000+00:00"}\n',
      ]),
    );
    for await (const _ of parse);
    expect(parse.stats.formats).toEqual({ 'python-json': 1 });
  });
});

describe('the real captures as events and findings', () => {
  it('console and JSON captures of the same run give the same kinds and the same findings', async () => {
    const consoleRun = await eventsOf(join(SERVER, 'livekit-server-1.13.5-dispatch.log'));
    const jsonRun = await eventsOf(join(SERVER, 'livekit-server-1.13.5-dispatch-json.log'));
    expect(consoleRun.formats).toEqual({ 'livekit-server': 31 });
    expect(jsonRun.formats).toEqual({ 'livekit-server-json': 31 });
    // two servers run side by side: the same facts, not quite in the same order
    const kinds = (es: TraceEvent[]) =>
      es
        .map((e) => e.kind)
        .filter((k) => k !== 'log.line')
        .sort();
    expect(kinds(consoleRun.events)).toEqual(kinds(jsonRun.events));
    expect(new Set(kinds(consoleRun.events))).toEqual(
      new Set(['log.server.worker', 'log.server.no-worker', 'log.server.job-assignment-failed', 'log.server.room']),
    );
    const failed = consoleRun.events.find((e) => e.kind === 'log.server.job-assignment-failed')!;
    expect(failed.data).toMatchObject({
      error: 'context deadline exceeded',
      timeout: true,
      retry: false,
      workerId: 'AW_ngiG4i39r3RZ',
      agentName: 'slow-agent',
    });
    // the dispatch to "nobody" found no worker: a named agent, so an error even though slow-agent was registered
    expect(codes(consoleRun.events)).toEqual(['error:server/job-assignment-timeout', 'error:server/no-worker-available']);
    expect(codes(jsonRun.events)).toEqual(['error:server/job-assignment-timeout', 'error:server/no-worker-available']);
  });

  it('a healthy explicit dispatch (the real pair): the automatic job\'s "no response from servers" and the JS_FAILED at room deletion are no findings', async () => {
    const { events } = await eventsOf(join(SERVER, 'pair-livekit-server.log'));
    const none = events.filter((e) => e.kind === 'log.server.no-worker');
    expect(none.map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'no response from servers', agentName: '' })]);
    expect(events.some((e) => e.kind === 'log.server.job-ended' && e.data.status === 'JS_FAILED')).toBe(true);
    expect(events.filter((e) => e.kind === 'log.server.participant').map((e) => e.data.what)).toEqual(['joined', 'active', 'closing']);
    expect(codes(events)).toEqual([]);
  });
});
