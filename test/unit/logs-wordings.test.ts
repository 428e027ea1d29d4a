// Wordings of other livekit-agents versions, and causes stated only in a traceback (issue #12): each becomes
// the event the existing rules already read (openai.error, agent.generate-reply-failed,
// log.openai.connection-error). The lines are taken from fixtures/logs/public/ (verbatim user logs).
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parseLogStream } from '../../src/sources/logs/index.js';
import { eventFor } from '../../src/sources/logs/messages.js';
import { parsePyObjectRepr, parsePyRepr, PyReprError } from '../../src/sources/logs/pyrepr.js';
import type { LogRecord } from '../../src/sources/logs/record.js';
import type { TraceEvent } from '../../src/diagnose/types.js';

async function events(text: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const e of parseLogStream(Readable.from([Buffer.from(text)]))) out.push(e);
  return out;
}

const record = (message: string, extras: Record<string, unknown> = {}): LogRecord => ({
  t: 1_000,
  level: 'error',
  logger: 'livekit.agents',
  message,
  extras,
  line: 1,
  format: 'python-text',
  framework: 'python',
});

const errorBody = (e: TraceEvent | undefined) => (e?.data as { event?: { error?: unknown } } | undefined)?.event?.error;

describe('parsePyObjectRepr', () => {
  it('reads a dataclass / pydantic repr as the object of its fields', () => {
    expect(
      parsePyObjectRepr(`Error(message="Unknown parameter: 'x'.", type='invalid_request_error', code='unknown_parameter', event_id=None, param='x')`),
    ).toEqual({
      message: "Unknown parameter: 'x'.",
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      event_id: null,
      param: 'x',
    });
    expect(parsePyObjectRepr(`Outer(inner=Inner(a=1), items=[1, 2], 3)`)).toEqual({ inner: { a: 1 }, items: [1, 2], '0': 3 });
    expect(parsePyObjectRepr(`{'a': Error(code='c')}`)).toEqual({ a: { code: 'c' } });
  });

  it('fails on what is not a repr, and parsePyRepr stays strict', () => {
    expect(() => parsePyObjectRepr('Error(message=')).toThrow(PyReprError);
    expect(() => parsePyObjectRepr('<Foo at 0x1>')).toThrow(PyReprError);
    expect(() => parsePyRepr(`Error(code='c')`)).toThrow(PyReprError);
  });
});

describe('Realtime API errors logged without LK_OPENAI_DEBUG', () => {
  it('1.x "OpenAI Realtime API returned an error" with the error as a Python repr (003)', async () => {
    const [e] = await events(
      `{"message": "OpenAI Realtime API returned an error", "level": "ERROR", "name": "livekit.plugins.openai", "error": "Error(message=\\"Unknown parameter: 'session.tools[2].meta'.\\", type='invalid_request_error', code='unknown_parameter', event_id='tools_update_ddd408f9eb85', param='session.tools[2].meta')", "pid": 54, "job_id": "AJ_dUELujzcHtqN", "timestamp": "2025-09-10T12:15:54.241442+00:00"}\n`,
    );
    expect(e?.kind).toBe('openai.error');
    expect(e?.data).toMatchObject({ direction: 'server', line: 1 });
    expect(errorBody(e)).toEqual({
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.tools[2].meta'.",
      param: 'session.tools[2].meta',
      event_id: 'tools_update_ddd408f9eb85',
    });
  });

  it('1.x active-response conflict in the repr', () => {
    const e = eventFor(
      record('OpenAI Realtime API returned an error', {
        error:
          "Error(message='Conversation already has an active response', type='invalid_request_error', code='conversation_already_has_active_response', event_id='response_create_1', param=None)",
      }),
    );
    expect(e.kind).toBe('openai.error');
    expect(errorBody(e)).toMatchObject({ code: 'conversation_already_has_active_response', event_id: 'response_create_1', param: null });
  });

  it('0.x "OpenAI S2S error {dict}" in a JSON record (019) and in the text layout (004)', async () => {
    const [json] = await events(
      `{"message": "OpenAI S2S error {'type': 'error', 'event_id': 'event_AW4k97NLw8djhOYGTmAKE', 'error': {'type': 'invalid_request_error', 'code': 'session_expired', 'message': 'Your session hit the maximum duration of 15 minutes.', 'param': None, 'event_id': None}}", "level": "ERROR", "name": "livekit.plugins.openai.realtime", "session_id": "sess_AW4VdS3rzu9Urm09yxmVF", "pid": 14, "job_id": "AJ_tvF6DWGpnsJx", "timestamp": "2024-11-21T16:54:53.552867+00:00"}\n`,
    );
    expect(json?.kind).toBe('openai.error');
    expect((json?.data as { event?: unknown } | undefined)?.event).toMatchObject({
      type: 'error',
      event_id: 'event_AW4k97NLw8djhOYGTmAKE',
      error: { code: 'session_expired' },
    });
    const [text] = await events(
      `2025-01-23 00:01:37,654 - ERROR livekit.plugins.openai.realtime - OpenAI S2S error {'type': 'error', 'event_id': 'event_Asc8vxN58ca3H8a0YwbJs', 'error': {'type': 'invalid_request_error', 'code': 'unknown_parameter', 'message': "Unknown parameter: 'session.custom_voice_id'.", 'param': 'session.custom_voice_id', 'event_id': None}} {"session_id": "sess_Asc8vo1uXMpFrwvH7vrC5", "pid": 22340, "job_id": "AJ_Mz7gMiomhTUd"}\n`,
    );
    expect(text?.kind).toBe('openai.error');
    expect(errorBody(text)).toMatchObject({ code: 'unknown_parameter', param: 'session.custom_voice_id', event_id: null });
  });

  it('a mangled repr keeps only what can be trusted (the code), and no code is no event', () => {
    const e = eventFor(record("OpenAI S2S error {'type': 'error', 'error': {'code': 'session_expired', 'message': 'cut off"));
    expect(e.kind).toBe('openai.error');
    expect(errorBody(e)).toEqual({ code: 'session_expired' });
    expect(eventFor(record('OpenAI S2S error {garbage')).kind).toBe('log.line');
    expect(eventFor(record('OpenAI Realtime API returned an error')).kind).toBe('log.line');
  });
});

describe('causes in tracebacks', () => {
  it('RealtimeError: generate_reply timed out as a standalone last line (060) or as a record of its own', () => {
    for (const line of [
      'livekit.agents.llm.realtime.RealtimeError: generate_reply timed out.',
      'livekit.agents.llm.realtime.RealtimeError: generate_reply timed out waiting for generation_created event.',
    ]) {
      const e = eventFor(record(line));
      expect(e.kind).toBe('agent.generate-reply-failed');
      expect(e.data).toMatchObject({ inner: line.slice(line.indexOf('generate_reply')), timeout: true });
    }
  });

  it('in the exc_info text of a record, and in "Task exception was never retrieved" (001)', () => {
    const tb = [
      'Traceback (most recent call last):',
      '  File "/x/livekit/agents/voice/agent_activity.py", line 1313, in _realtime_reply_task',
      '    generation_ev = await self._rt_session.generate_reply(',
      'livekit.agents.llm.realtime.RealtimeError: generate_reply timed out waiting for generation_created event.',
    ].join('\n');
    expect(eventFor(record('Task exception was never retrieved', { exc_info: tb })).kind).toBe('agent.generate-reply-failed');
    expect(eventFor(record(`Error in _realtime_reply_task\n${tb}`)).kind).toBe('agent.generate-reply-failed');
    const future =
      "Task exception was never retrieved\nfuture: <Task finished name='AgentActivity.realtime_reply' coro=<AgentActivity._realtime_reply_task() done> exception=RealtimeError('generate_reply timed out waiting for generation_created event.')>";
    const e = eventFor(record(future));
    expect(e.kind).toBe('agent.generate-reply-failed');
    expect(e.data).toMatchObject({ inner: 'generate_reply timed out waiting for generation_created event.', timeout: true });
  });

  it('0.x "Exception: OpenAI S2S connection closed unexpectedly" ending a traceback (017)', () => {
    const msg =
      'Error in _recv_task\nTraceback (most recent call last):\n  File "realtime_model.py", line 1243, in _recv_task\n    raise Exception("OpenAI S2S connection closed unexpectedly")\nException: OpenAI S2S connection closed unexpectedly';
    expect(eventFor(record(msg)).kind).toBe('log.openai.connection-error');
  });

  it('the wording alone, not in a raise, is not read as the cause', () => {
    expect(eventFor(record('retrying after "generate_reply timed out." was reported')).kind).toBe('log.line');
    expect(eventFor(record('raise Exception("OpenAI S2S connection closed unexpectedly")')).kind).toBe('log.line');
  });
});

describe('job processes and the worker (the corpus wordings)', () => {
  const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>]> = [
    ['job executor is unresponsive', {}, 'log.job.unresponsive', { what: 'executor' }],
    [
      "Running <Task pending name='RealtimeSession._main_task' coro=<RealtimeSession._main_task() running at /x/log.py:16>> took too long: 3.05 seconds",
      {},
      'log.job.unresponsive',
      { what: 'task', seconds: 3.05 },
    ],
    ['process is unresponsive, killing process', {}, 'log.job.killed', { why: 'unresponsive' }],
    ['process exceeded memory limit, killing process', {}, 'log.job.killed', { why: 'memory' }],
    ['process exited with non-zero exit code -4', {}, 'log.job.exited', { exitCode: -4 }],
    ['job process exited unexpectedly; this likely means the error above caused a crash', {}, 'log.job.exited', {}],
    [
      'process memory usage is high',
      { memory_usage_mb: 582.828125, memory_warn_mb: 500, memory_limit_mb: 0 },
      'log.job.memory-high',
      { memoryMb: 582.828125, warnMb: 500, limitMb: 0 },
    ],
    ['worker is at full capacity, marking as unavailable', {}, 'log.worker.at-capacity', {}],
    ['worker connection closed unexpectedly', {}, 'log.worker.connection-lost', {}],
    ['failed to connect to livekit, retrying in 0s: worker connection closed unexpectedly', {}, 'log.worker.connection-lost', {}],
    [
      'failed to connect to livekit, retrying in 0s',
      {
        exc_info:
          'Traceback (most recent call last):\n    raise Exception("worker connection closed unexpectedly")\nException: worker connection closed unexpectedly',
      },
      'log.worker.connection-lost',
      {},
    ],
    ['draining worker', {}, 'log.worker.shutdown', {}],
    ['initialization timed out, killing process', {}, 'log.job.init-timeout', {}],
    [
      'Error in recv_task',
      {
        exc_info:
          'Traceback (most recent call last):\nlivekit.agents._exceptions.APIStatusError: OpenAI Realtime STT connection closed unexpectedly (status_code=-1, request_id=None, body=None, retryable=True)',
      },
      'log.stt.connection-closed',
      {
        exception:
          'livekit.agents._exceptions.APIStatusError: OpenAI Realtime STT connection closed unexpectedly (status_code=-1, request_id=None, body=None, retryable=True)',
      },
    ],
    [
      'Gemini Realtime API error: received 1007 (invalid frame payload data) Cannot extract voices from a non-audio request.; then sent 1007 (invalid frame payload data) Cannot extract voices from a non-audio request.',
      {},
      'log.gemini.closed',
      { code: 1007, reason: 'Cannot extract voices from a non-audio request.' },
    ],
    ['agent/client.go:146     not dispatching agent job since no worker is available', {}, 'log.server.no-worker', {}],
    [
      'agent/client.go:173 failed to send job request',
      { error: 'no servers available (received 1 responses)' },
      'log.server.no-worker',
      { reason: 'no servers available (received 1 responses)' },
    ],
    [
      "AttributeError: module 'livekit.rtc' has no attribute 'ArgbFrame'",
      {},
      'log.setup.import-failed',
      { what: 'missing-attribute', module: 'livekit.rtc', name: 'ArgbFrame' },
    ],
    [
      'worker failed',
      {
        exc_info:
          "Traceback (most recent call last):\n  File \"agent.py\", line 3, in <module>\nImportError: cannot import name 'VoicePipelineAgent' from 'livekit.agents.pipeline'",
      },
      'log.setup.import-failed',
      { what: 'missing-name', module: 'livekit.agents.pipeline', name: 'VoicePipelineAgent' },
    ],
    ["ModuleNotFoundError: No module named 'livekit.plugin'", {}, 'log.setup.import-failed', { what: 'missing-module', module: 'livekit.plugin' }],
    [
      'livekit_ffi::server::room:200:livekit_ffi::server::room - error while connecting to a room: engine: connection error: wait_pc_connection timed out',
      {},
      'log.room.connect-failed',
      { reason: 'engine: connection error: wait_pc_connection timed out' },
    ],
    ['livekit::rtc_engine:611:livekit::rtc_engine - resuming connection... attempt: 0', {}, 'log.room.resuming', { attempt: 0 }],
    [
      'livekit::rtc_engine:410:livekit::rtc_engine - received session close: "server request to leave" StateMismatch Resume',
      {},
      'log.room.resuming',
      { reason: '"server request to leave" StateMismatch' },
    ],
    ['livekit::rtc_engine:545:livekit::rtc_engine - failed to reconnect to the livekit room', {}, 'log.room.reconnect-failed', {}],
    [
      'failed to synthesize speech, retrying in 0.1s',
      {
        tts: 'livekit.plugins.google.tts.TTS',
        attempt: 1,
        exc_info: 'Traceback (most recent call last):\n    raise APIStatusError(\nlivekit.agents._exceptions.APIStatusError: bad voice (status_code=400)',
      },
      'log.tts.failed',
      { retrying: true, tts: 'livekit.plugins.google.tts.TTS', attempt: 1, reason: 'livekit.agents._exceptions.APIStatusError: bad voice (status_code=400)' },
    ],
    ['Error in SynthesizeStream', {}, 'log.tts.failed', { retrying: false }],
  ];
  it.each(cases)('%s', (message, extras, kind, fields) => {
    const e = eventFor(record(message, extras));
    expect(e.kind).toBe(kind);
    expect(e.data).toMatchObject(fields);
  });

  it('a 1011 close with nothing about Gemini is not read as Gemini', () => {
    expect(eventFor(record('websockets.exceptions.ConnectionClosedError: received 1011 (internal error) keepalive ping timeout')).kind).toBe('log.line');
  });

  it('a missing module that is not livekit is not read as a livekit mismatch', () => {
    expect(eventFor(record("ModuleNotFoundError: No module named 'dotenv'")).kind).toBe('log.line');
    expect(eventFor(record("AttributeError: module 'numpy' has no attribute 'float'")).kind).toBe('log.line');
  });

  it('"deleting room on agent session close" is not a resumed session', () => {
    expect(eventFor(record('deleting room on agent session close (disable via RoomInputOptions.delete_room_on_close=False)')).kind).toBe('log.line');
  });

  it('"failed to connect to livekit" for another reason is not a lost worker connection: a failed connect, with its reason', () => {
    const e = eventFor(record('failed to connect to livekit, retrying in 2s', { exc_info: 'ClientConnectorError: Cannot connect to host localhost:7880' }));
    expect(e.kind).toBe('log.worker.connect-failed');
    expect(e.data).toMatchObject({ reason: 'ClientConnectorError: Cannot connect to host localhost:7880', retryInS: 2 });
  });
});
