// livekit-agents' console/dev terminal output (rich), Gemini plugin messages pasted alone, and the Gemini and
// text-only wordings (issue #12 item 5). Lines are verbatim from fixtures/logs/public/ (024, 025, 026, 056) or
// the upstream f-strings of livekit-plugins-google realtime_api.py (1.2.12, 1.7.0) and livekit-plugins-openai
// realtime_model.py (1.0.13, 1.0.23), filled in as the plugin fills them.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { parseLogStream } from '../../src/sources/logs/index.js';
import { eventFor } from '../../src/sources/logs/messages.js';
import type { LogRecord } from '../../src/sources/logs/record.js';
import { isRich, middleTruncate, rejoin } from '../../src/sources/logs/rich.js';
import { publicExcerpt, readRecords } from '../helpers/logs.js';

const corpus = publicExcerpt;

const read = readRecords;

async function events(text: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const e of parseLogStream(Readable.from([Buffer.from(text)]))) out.push(e);
  return out;
}

const record = (message: string, extras: Record<string, unknown> = {}, logger = 'livekit.plugins.google'): LogRecord => ({
  t: 1_000,
  level: 'error',
  logger,
  message,
  extras,
  line: 1,
  format: 'python-text',
  framework: 'python',
});

describe('rich console layout', () => {
  it("cuts a logger name as RichLoggingHandler does (18 cells, the middle replaced by '…')", () => {
    expect(middleTruncate('livekit.plugins.google')).toBe('livekit.…ns.google');
    expect(middleTruncate('livekit.agents')).toBe('livekit.agents');
  });

  it('026: the wrapped message column rejoined into one record, the cut logger named back', () => {
    const { records, formats, unrecognised } = read(corpus('026'));
    expect(unrecognised).toEqual([]);
    expect(formats).toEqual(['python-rich']);
    expect(records[0]).toMatchObject({
      level: 'error',
      logger: 'livekit.plugins.google',
      message:
        'error in receive task: received 1008 (policy violation) Operation is not implemented, or supported, or enabled.; then sent 1008 (policy violation) Operation is not implemented, or supported, or enabled.',
    });
    expect(eventFor(records[0]!)).toMatchObject({
      kind: 'log.gemini.closed',
      data: { code: 1008, reason: 'Operation is not implemented, or supported, or enabled.' },
    });
  });

  it('024: a traceback wrapped inside the column is one record; its folded words glued back', () => {
    const { records, formats, unrecognised } = read(corpus('024'));
    expect(unrecognised).toEqual([]);
    expect(formats).toEqual(['python-rich']);
    const r = records[0]!;
    expect(r.message).toBe('livekit.agents._exceptions.APIConnectionError: Failed to connect to Gemini Live');
    expect(String(r.extras['exc_info']).split('\n')).toEqual([
      'Traceback (most recent call last):',
      '  File "D:\\Programming\\Silo\\forest-dept-voice-assistant\\venv\\Lib\\site-packages\\livekit\\agents\\utils\\log.py", line 16, in async_fn_logs',
      '    return await fn(*args, **kwargs)',
      '           ^^^^^^^^^^^^^^^^^^^^^^^^^',
      '  File "D:\\Programming\\Silo\\forest-dept-voice-assistant\\venv\\Lib\\site-packages\\livekit\\plugins\\google\\realtime\\realtime_api.py", line 717, in _main_task',
      '    raise APIConnectionError(message="Failed to connect to Gemini Live") from e',
      'livekit.agents._exceptions.APIConnectionError: Failed to connect to Gemini Live',
    ]);
    expect(eventFor(r)).toMatchObject({ kind: 'log.gemini.connect-failed', data: { final: true, reason: 'Failed to connect to Gemini Live' } });
  });

  it('056: 1.3.11 console rows (time, 6-cell level, name column) read with their extras; the user handler lines are not rich', () => {
    const lines = corpus('056');
    const { records, formats, unrecognised } = read(lines);
    expect(formats.every((f) => f === 'python-rich')).toBe(true);
    // the "[DEBUG] msg" lines of the user's own handler are not claimed
    expect(unrecognised).toEqual(lines.flatMap((l, i) => (l.startsWith('[') ? [i + 1] : [])));
    expect(records[1]).toMatchObject({
      level: 'info',
      logger: 'livekit.agents',
      message: 'starting worker',
      extras: { version: '1.3.11', 'rtc-version': '1.0.23' },
    });
    expect(records.find((r) => r.message.startsWith('connecting to Gemini'))).toMatchObject({ level: 'debug', logger: 'livekit.plugins.google' });
    expect(eventFor(records[1]!)).toMatchObject({ kind: 'log.framework', data: { version: '1.3.11' } });
  });

  it('does not claim the other text layouts', () => {
    expect(isRich('2025-07-16 19:39:20,490 - INFO livekit.agents - killing process {"pid": 73960, "inference": true}')).toBe(false);
    expect(isRich('19:39:20 livekit.agents ERROR   worker failed')).toBe(false);
    expect(isRich('  File "/usr/lib/python3.12/asyncio/tasks.py", line 520, in wait_for')).toBe(false);
    expect(isRich('ERROR:asyncio:Task exception was never retrieved')).toBe(false);
  });

  it("rejoins by rich's own rule: a wrapped word continues the line, a line that had room for it did not", () => {
    const col = (texts: Array<[number, string]>) => texts.map(([indent, text]) => ({ indent, text }));
    expect(
      rejoin(
        '',
        col([
          [0, 'aaaa bbbb'],
          [0, 'cccc'],
          [0, 'dd'],
          [0, 'eeee'],
        ]),
      ),
    ).toEqual(['aaaa bbbb cccc', 'dd', 'eeee']);
    expect(
      rejoin(
        '',
        col([
          [0, 'xxxxxxxxx'],
          [0, 'yy z'],
        ]),
      ),
    ).toEqual(['xxxxxxxxxyy z']);
  });
});

describe('Gemini plugin messages', () => {
  it('025: the bare "Gemini Realtime API error: received 1007" line is a record of the plugin', async () => {
    const [e] = await events(`${corpus('025')[0]}\n`);
    expect(e).toMatchObject({
      kind: 'log.gemini.closed',
      data: { code: 1007, reason: 'Cannot extract voices from a non-audio request.', logger: 'livekit.plugins.google' },
    });
  });

  it.each([
    // realtime_api.py 1.2.12 / 1.7.0: logger.warning(f"Gemini Realtime API connection failed, retrying in {retry_interval}s", extra={"attempt": …})
    [
      'Gemini Realtime API connection failed, retrying in 2.0s',
      { attempt: 1, max_retries: 3 },
      'log.gemini.connect-failed',
      { final: false, retryInS: 2, attempts: 1 },
    ],
    // raise APIConnectionError(message=f"Failed to connect to Gemini Live after {max_retries} attempts")
    ['Failed to connect to Gemini Live after 3 attempts', {}, 'log.gemini.connect-failed', { final: true, attempts: 3 }],
    // _handle_go_away: f"Gemini server indicates disconnection soon. Time left: {go_away.time_left}"
    ['Gemini server indicates disconnection soon. Time left: 50s', {}, 'log.gemini.go-away', { timeLeft: '50s' }],
    // f"Gemini Realtime API error: {e}" with websockets' TimeoutError("timed out during opening handshake")
    ['Gemini Realtime API error: timed out during opening handshake', {}, 'log.gemini.handshake-timeout', {}],
    [
      'Gemini Realtime API error: received 1011 (internal error) Internal error occurred.',
      {},
      'log.gemini.closed',
      { code: 1011, reason: 'Internal error occurred.' },
    ],
  ])('%s', (message, extras, kind, data) => {
    expect(eventFor(record(message, extras))).toMatchObject({ kind, data });
  });

  it("the OpenAI plugin's 'Realtime API connection failed, retrying' is still OpenAI's", () => {
    expect(eventFor(record('OpenAI Realtime API connection failed, retrying in 2.0s', {}, 'livekit.plugins.openai')).kind).toBe('log.openai.connection-error');
  });

  it('a traceback ending in handshake TimeoutError under a Gemini frame (issue livekit/agents#2371)', () => {
    const tb = [
      'Traceback (most recent call last):',
      '  File "C:\\venv\\Lib\\site-packages\\livekit\\plugins\\google\\beta\\realtime\\realtime_api.py", line 596, in _main_task',
      '    async with self._client.aio.live.connect(',
      '  File "C:\\venv\\Lib\\site-packages\\websockets\\asyncio\\client.py", line 578, in __await_impl__',
      '    raise TimeoutError("timed out during opening handshake") from exc',
      'TimeoutError: timed out during opening handshake',
    ].join('\n');
    expect(eventFor(record('Error in _main_task', { exc_info: tb })).kind).toBe('log.gemini.handshake-timeout');
    // the same exception outside Gemini is not Gemini's
    expect(
      eventFor(
        record('Error in _main_task', { exc_info: tb.replace(/plugins\\google\\beta\\realtime/g, 'plugins\\openai\\realtime') }, 'livekit.plugins.openai'),
      ).kind,
    ).toBe('log.line');
  });
});

describe('text-only answers (livekit-plugins-openai 1.0.13–1.1)', () => {
  it.each([
    ['text-only response received from OpenAI Realtime API', {}, 'log.openai.text-in-audio', {}],
    ['received text-only response from realtime API', {}, 'log.openai.text-in-audio', {}],
    ['trying to recover from text-only response', { retries: 2 }, 'log.openai.text-only-recovery', { outcome: 'trying', retries: 2 }],
    ['failed to recover from text-only response', { retried_times: 5 }, 'log.openai.text-only-recovery', { outcome: 'failed', retries: 5 }],
    ['recovered from text-only response', { retried_times: 1 }, 'log.openai.text-only-recovery', { outcome: 'recovered', retries: 1 }],
    ['generate_reply timed out, cancel recovery', {}, 'log.openai.text-only-recovery', { outcome: 'cancelled' }],
  ])('%s', (message, extras, kind, data) => {
    expect(eventFor(record(message, extras, 'livekit.plugins.openai'))).toMatchObject({ kind, data });
  });
});

describe('Azure OpenAI deployment errors', () => {
  it.each([
    // rashadphz/farfalle#79 (verbatim): a 404 DeploymentNotFound body on one line
    [
      "500: AzureException NotFoundError - Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'}}",
      { what: 'deployment-not-found', status: 404 },
    ],
    // microsoft/agent-framework#2035 (verbatim): the path / api-version Azure does not serve
    [
      "ServiceResponseException: <class 'agent_framework.azure._chat_client.AzureOpenAIChatClient'> service failed to complete the prompt: Error code: 404 - {'error': {'code': '404', 'message': 'Resource not found'}}",
      { what: 'resource-not-found', status: 404 },
    ],
  ])('%s', (message, data) => {
    expect(eventFor(record(message, {}, 'livekit.agents'))).toMatchObject({ kind: 'log.azure.deployment-error', data });
  });

  it('in the traceback of an LLM call: the exception line is kept', () => {
    const exc = [
      'Traceback (most recent call last):',
      '  File "/app/livekit/plugins/openai/llm.py", line 700, in _run',
      "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'}}",
    ].join('\n');
    const e = eventFor(record('Error in _llm_inference_task', { exc_info: exc }, 'livekit.agents'));
    expect(e).toMatchObject({ kind: 'log.azure.deployment-error', data: { what: 'deployment-not-found', status: 404 } });
    expect((e.data as { exception?: string }).exception).toMatch(/^openai\.NotFoundError: Error code: 404/);
  });

  it('an OpenAI 404 without an Azure body is not Azure', () => {
    expect(
      eventFor(
        record(
          "openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-x` does not exist', 'code': 'model_not_found'}}",
          {},
          'livekit.agents',
        ),
      ).kind,
    ).not.toBe('log.azure.deployment-error');
  });
});
