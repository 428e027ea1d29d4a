// How logs are pasted (issue #12, the reading side): wrappers in front of every line, Python's default
// layout, tracebacks, agents-js pino-pretty output, cut-off timestamps. Every case reads verbatim lines
// of the public corpus (fixtures/logs/public/), except kubectl and journald, which the corpus lacks.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLine, newDetectState } from '../../src/sources/logs/detect.js';
import { LINE_PREFIX_REGISTRY, LOG_FORMAT_HELP } from '../../src/sources/logs/formats.js';
import type { LogRecord } from '../../src/sources/logs/record.js';
import { readRecords } from '../helpers/logs.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs/public');

/** Lines from..to (1-based, inclusive; one line without `to`, all without `from`) of the corpus excerpt whose name starts with `id`. */
function corpus(id: string, from?: number, to = from): string[] {
  const file = readdirSync(DIR).find((f) => f.startsWith(`${id}-`) && f.endsWith('.log'))!;
  return readFileSync(join(DIR, file), 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .slice((from ?? 1) - 1, to);
}

const read = readRecords;

const excLast = (r: LogRecord | undefined) => String(r?.extras['exc_info']).split('\n').at(-1);

describe('wrappers in front of every line', () => {
  it('Docker --timestamps before the default layout: stripped, its timestamp kept', () => {
    const { records, formats } = read(corpus('005', 1));
    expect(formats).toEqual(['python-default']);
    expect(records[0]).toMatchObject({
      t: Date.parse('2025-07-01T12:24:23.199Z'),
      level: 'error',
      logger: 'livekit.plugins.openai',
      message: 'Error in recv_task',
    });
  });

  it('Azure Container Apps "<ts> stdout F ": stripped, the inner record keeps its own time and extras', () => {
    const { records } = read(corpus('007', 2));
    expect(records[0]).toMatchObject({
      t: Date.parse('2025-11-23T19:48:27.335Z'),
      level: 'warning',
      message: 'job executor is unresponsive',
      extras: { delay: 508, job_id: 'AJ_QbTwxMLnrhGr' },
    });
  });

  it('docker compose "agent    | " and a sink\'s "<ts> | " before a JSON record', () => {
    const { records, formats } = read(corpus('035', 3));
    expect(formats).toEqual(['python-json']);
    expect(records[0]!.message).toBe('failed to connect to livekit, retrying in 0s');
  });

  it('a quoted paste "> " before pino-pretty lines and their fields', () => {
    const { records, formats, unrecognised } = read(corpus('028', 3, 5));
    expect(formats).toEqual(['pino-pretty', 'pino-pretty']);
    expect(records[0]).toMatchObject({ message: 'starting worker', extras: { pid: 68847, version: '1.2.1' } });
    expect(unrecognised).toEqual([]);
  });

  it('kubectl --prefix and journald (not in the corpus: the documented shapes)', () => {
    const inner = '2025-09-13 23:25:08,039 - INFO livekit.agents - registered worker {"id": "AW_x"}';
    expect(detectLine(`[pod/agent-7d9f/agent] ${inner}`, 1, newDetectState())?.format).toBe('python-text');
    const j = read([`Mar 01 10:00:00 host agent[123]: INFO:livekit.agents:registered worker`]);
    expect(j.formats).toEqual(['python-default']);
    expect(new Date(j.records[0]!.t).toISOString().slice(5)).toBe('03-01T10:00:00.000Z');
  });

  it('a traceback whose every line has the Docker prefix stays one record', () => {
    const { records, unrecognised } = read(corpus('005', 1, 8));
    expect(records).toHaveLength(1);
    expect(unrecognised).toEqual([]);
    expect(excLast(records[0])).toMatch(/^livekit\.agents\._exceptions\.APIStatusError: OpenAI Realtime STT connection closed unexpectedly/);
    // the wrapper's single space is all that is stripped: the frames keep their indentation
    expect(String(records[0]!.extras['exc_info']).split('\n')[1]).toMatch(/^ {2}File "/);
  });

  it('lists every wrapper in the help', () => {
    for (const p of LINE_PREFIX_REGISTRY) expect(LOG_FORMAT_HELP).toContain(`  ${p.name} `);
  });
});

describe("Python's default layout and cut-off timestamps", () => {
  it('ERROR:asyncio:… is a record, with the traceback after it', () => {
    const { records, formats } = read(corpus('001', 3, 12));
    expect(formats).toEqual(['python-default']);
    expect(records[0]).toMatchObject({ level: 'error', logger: 'asyncio', message: 'Task exception was never retrieved' });
    const exc = String(records[0]!.extras['exc_info']);
    expect(exc.split('\n')[0]).toMatch(/^future: <Task finished name='AgentActivity.realtime_reply'/);
    expect(excLast(records[0])).toBe('livekit.agents.llm.realtime.RealtimeError: generate_reply timed out waiting for generation_created event.');
  });

  it('records with no time before any timestamp get the time of the first record that has one', () => {
    const { records } = read(corpus('001'));
    const t = Date.UTC(2025, 3, 27, 12, 9, 30, 383);
    expect(records.map((r) => r.t)).toEqual(records.map(() => t));
  });

  it('the dev layout starting at the level (" ERROR name - msg"): a record, its extras read', () => {
    const { records, formats } = read(corpus('002', 1));
    expect(formats).toEqual(['python-text']);
    expect(records[0]).toMatchObject({ level: 'error', logger: 'livekit.plugins.openai.realtime' });
    expect(records[0]!.message).toMatch(/^OpenAI S2S error \{'type': 'error'/);
  });

  it('a line cut mid-way through the time ("08,039 - INFO …")', () => {
    const d = detectLine('08,039 - INFO livekit.agents - registered worker', 1, newDetectState());
    expect(d?.format).toBe('python-text');
  });
});

describe('tracebacks', () => {
  it("belong to the record before them; the extras livekit writes after them are the record's", () => {
    const { records } = read(corpus('021', 1, 8));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ message: 'failed to connect to OpenAI API S2S', extras: { pid: 64760, job_id: 'AJ_mzbDSWeHPhh5' } });
    expect(excLast(records[0])).toBe(
      "aiohttp.client_exceptions.WSServerHandshakeError: 403, message='Invalid response status', url='https://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview-2024-10-01'",
    );
    expect(records[1]!.message).toBe('job exiting');
  });

  it('a traceback with no record before it is a record named by its exception line', () => {
    const { records, formats } = read(corpus('032'));
    expect(formats).toEqual(['python-traceback']);
    expect(records[0]).toMatchObject({ level: 'error', message: "AttributeError: module 'livekit.agents.llm' has no attribute 'FunctionContext'" });
    expect(String(records[0]!.extras['exc_info']).split('\n')[0]).toBe('Traceback (most recent call last):');
  });

  it('a bare traceback under a line no format reads takes that line as its message', () => {
    const { records, unrecognised } = read(corpus('023'));
    // (its line is a known Gemini wording: read as a record with no time or level, loose.ts; the traceback is its own)
    expect(unrecognised).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]!.message).toMatch(/^error in receive task: received 1011 \(internal error\)/);
    expect(String(records[0]!.extras['exc_info']).split('\n')[0]).toBe('Traceback (most recent call last):');
    // an indented line (a shell command) is not taken
    expect(read(corpus('034')).records[0]!.message).toBe("ModuleNotFoundError: No module named 'livekit.plugin'");
  });

  it('a qualified exception line pasted alone is a record', () => {
    const { records, formats } = read(corpus('060'));
    expect(formats).toEqual(['python-traceback']);
    expect(records[0]!.message).toBe('livekit.agents.llm.realtime.RealtimeError: generate_reply timed out.');
  });

  it('a chained traceback stays one record', () => {
    const { records } = read([
      ...corpus('021', 1, 7),
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      'RuntimeError: boom',
    ]);
    expect(records).toHaveLength(1);
    expect(excLast(records[0])).toBe('RuntimeError: boom');
  });
});

describe('agents-js pino-pretty', () => {
  it('the header and its indented key: value fields', () => {
    const { records, formats } = read(corpus('037'));
    expect(formats).toEqual(['pino-pretty', 'pino-pretty']);
    expect(records[0]).toMatchObject({
      level: 'error',
      message: 'worker connection closed unexpectedly',
      extras: { pid: 11228, version: '0.1.0' },
      framework: 'node',
    });
    expect(new Date(records[0]!.t).toISOString().slice(11)).toBe('12:04:37.724Z');
  });

  it('an err block that is not JSON (an unquoted stack) is read field by field', () => {
    const { records, unrecognised } = read(corpus('042', 2, 13));
    expect(unrecognised).toEqual([]);
    expect(records[0]).toMatchObject({ level: 'warning', message: 'job process exited unexpectedly; this likely means the error above caused a crash' });
    expect(records[0]!.extras['err']).toMatchObject({
      type: 'Error',
      message: 'Subprocess.send() cannot be used after the process has exited.',
      name: 'Error',
      code: 'ERR_IPC_CHANNEL_CLOSED',
    });
    expect(String((records[0]!.extras['err'] as Record<string, unknown>)['stack'])).toMatch(/^Error: Subprocess.send\(\) cannot be used/);
  });

  it('a JSON block is read as JSON', () => {
    const { records } = read(corpus('038', 5, 16));
    expect(records[0]!.message).toBe('registered worker');
    expect(records[0]!.extras['server_info']).toMatchObject({ edition: 'Cloud', version: '1.7.2' });
  });
});

describe('more layouts and shapes', () => {
  it('"ts - LEVEL - target - msg" (the Rust SDK\'s lines)', () => {
    const { records, formats } = read(corpus('013', 2));
    expect(formats).toEqual(['python-text']);
    expect(records[0]).toMatchObject({ level: 'debug', logger: 'livekit::rtc_engine::rtc_session:455:livekit::rtc_engine::rtc_session' });
    expect(records[0]!.message).toMatch(/^received leave request: LeaveRequest \{ can_reconnect: false, reason: DuplicateIdentity \}$/);
  });

  it('the 1.x console "time name LEVEL msg", with its traceback', () => {
    const { records } = read(corpus('031', 1, 5));
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ level: 'error', logger: 'livekit.agents', message: 'worker failed' });
    expect(new Date(records[1]!.t).toISOString()).toBe('2025-07-16T19:39:20.000Z');
    expect(String(records[1]!.extras['exc_info']).split('\n')[0]).toBe('Traceback (most recent call last):');
  });

  it('JSON records glued on one line, with no timestamp: each its own record', () => {
    const { records, formats } = read(corpus('030'));
    expect(formats).toEqual(['python-json', 'python-json', 'python-json', 'python-json']);
    expect(records.map((r) => r.message)).toEqual([
      'initializing inference process',
      'initialization timed out, killing process',
      'killing process',
      'worker failed',
    ]);
  });

  it('a JSON object without a timestamp is a record only with a level and a logger name', () => {
    expect(detectLine('{"message": "hello"}', 1, newDetectState())).toBeUndefined();
    expect(detectLine('{"message": "hello", "level": "INFO", "name": "livekit.agents"}', 1, newDetectState())?.format).toBe('python-json');
  });
});
