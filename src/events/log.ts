/**
 * Agent-log facts with no other source (`log.*`, source `log`). Every one carries the log-line
 * fields (`level`, `logger`, `message`, `line`) plus the extras below. Facts other sources also see
 * (agent state, transcripts, items…) are the source-free `agent.*` / `user.*` / `conversation.*` kinds
 * of ./session.ts, with source `log`; Realtime events in LK_OPENAI_DEBUG output are `openai.*`.
 */
import type { KindsMeta, LogLineFields } from './meta.js';

type L<D = object> = LogLineFields & D;
type Framework = 'python' | 'node';

export interface LogKinds {
  'log.preconnect.received': L<{ duration?: number; trackId?: string; participant?: string; sampleRate?: number; channels?: number }>;
  'log.preconnect.pushed': L<{ duration?: number; trackId?: string }>;
  'log.preconnect.timeout': L;
  'log.preconnect.not-completed': L<{ participant?: string }>;
  'log.preconnect.too-old': L<{ trackId?: string; deltaTime?: number }>;
  'log.preconnect.registered-late': L;
  'log.preconnect.no-track-id': L;
  'log.preconnect.read-error': L;
  'log.preconnect.ignored': L<{ topic?: string; framework: Framework }>;
  'log.openai.connecting': L<{ url?: string }>;
  'log.openai.late-response': L;
  'log.openai.response-not-complete': L<{ status?: string; reason?: string }>;
  'log.openai.connection-error': L;
  'log.openai.text-in-audio': L;
  'log.openai.extra-message-dropped': L;
  'log.job.received': L<{ jobId?: string; room?: string; agentName?: string }>;
  'log.framework': L<{ framework: Framework; version?: string }>;
  'log.job.unresponsive': L<{ what: 'executor' | 'task'; seconds?: number }>;
  'log.job.killed': L<{ why: 'unresponsive' | 'memory' }>;
  'log.job.exited': L<{ exitCode?: number }>;
  'log.job.entrypoint-failed': L<{ exception?: string }>;
  'log.job.not-connected': L;
  'log.job.memory-high': L<{ memoryMb?: number; warnMb?: number; limitMb?: number }>;
  'log.worker.at-capacity': L;
  'log.worker.connection-lost': L;
  'log.worker.shutdown': L;
  'log.worker.connect-failed': L<{ reason?: string; status?: number; retryInS?: number; final?: boolean }>;
  'log.worker.registered': L<{ workerId?: string }>;
  'log.worker.failed': L<{ exception?: string }>;
  'log.stt.connection-closed': L<{ exception: string }>;
  'log.gemini.closed': L<{ code: 1007 | 1008 | 1011; reason: string }>;
  'log.gemini.connect-failed': L<{ final: boolean; attempts?: number; retryInS?: number; reason?: string }>;
  'log.gemini.handshake-timeout': L;
  'log.gemini.go-away': L<{ timeLeft?: string }>;
  'log.azure.deployment-error': L<{ what: 'deployment-not-found' | 'resource-not-found'; status?: number; exception?: string }>;
  'log.azure.realtime-error': L<{ what: 'operation-not-supported' | 'api-version-deprecated'; said?: string }>;
  'log.openai.text-only-recovery': L<{ outcome: 'trying' | 'failed' | 'recovered' | 'cancelled'; retries?: number }>;
  'log.server.no-worker': L<{ reason: string; agentName?: string }>;
  'log.job.init-timeout': L<{ inference?: boolean }>;
  'log.job.process': L<{ step: 'initializing' | 'initialized' | 'killing' | 'exiting'; pid?: number; inference?: boolean }>;
  'log.setup.import-failed': L<{ what: 'missing-attribute' | 'missing-name' | 'missing-module'; module: string; name?: string; exception: string }>;
  'log.room.connect-failed': L<{ reason?: string }>;
  'log.room.resuming': L<{ attempt?: number; reason?: string }>;
  'log.room.reconnect-failed': L;
  'log.room.leave-request': L<{ reason?: string; canReconnect?: boolean }>;
  'log.tts.failed': L<{ retrying: boolean; tts?: string; attempt?: number; reason?: string }>;
  'log.line': L;
}

const S = ['log'] as const;
const line = (level: LogLineFields['level'], logger: string, message: string, n = 42): LogLineFields => ({ level, logger, message, line: n });

export const LOG_KINDS: KindsMeta<LogKinds> = {
  'log.preconnect.received': {
    description: 'The agent received the pre-connect audio buffer.',
    from: '`pre-connect audio received`',
    fields: {
      duration: '? buffered audio, s',
      trackId: '? the track the buffer belongs to',
      participant: '? the sender',
      sampleRate: '? Hz',
      channels: '? channel count',
    },
    sources: S,
    example: {
      ...line('debug', 'livekit.agents', 'pre-connect audio received'),
      duration: 1.2,
      trackId: 'TR_AMabc',
      participant: 'user-1',
      sampleRate: 48000,
      channels: 1,
    },
  },
  'log.preconnect.pushed': {
    description: 'The agent pushed the pre-connect buffer into the session input.',
    from: '`pre-connect audio buffer pushed`',
    fields: { duration: '? pushed audio, s', trackId: '? the track' },
    sources: S,
    example: { ...line('debug', 'livekit.agents', 'pre-connect audio buffer pushed'), duration: 1.2, trackId: 'TR_AMabc' },
  },
  'log.preconnect.timeout': {
    description: 'The agent gave up waiting for the pre-connect buffer.',
    from: '`timeout waiting for pre-connect audio buffer`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.agents', 'timeout waiting for pre-connect audio buffer'),
  },
  'log.preconnect.not-completed': {
    description: 'The buffer started arriving but was not complete in time.',
    from: '`pre-connect audio received but not completed in time`',
    fields: { participant: '? the sender' },
    sources: S,
    example: { ...line('warning', 'livekit.agents', 'pre-connect audio received but not completed in time'), participant: 'user-1' },
  },
  'log.preconnect.too-old': {
    description: 'The agent discarded the buffer as too old.',
    from: '`pre-connect audio buffer is too old`',
    fields: { trackId: '? the track', deltaTime: '? its age, s' },
    sources: S,
    example: { ...line('warning', 'livekit.agents', 'pre-connect audio buffer is too old'), trackId: 'TR_AMabc', deltaTime: 12.3 },
  },
  'log.preconnect.registered-late': {
    description: 'The pre-connect handler was registered after the room connected (the buffer may be missed).',
    from: '`pre-connect audio handler registered after room connection…`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.agents', 'pre-connect audio handler registered after room connection, pre-connect audio may be missed'),
  },
  'log.preconnect.no-track-id': {
    description: 'A buffer arrived without the trackId attribute.',
    from: '`pre-connect audio received but no trackId`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.agents', 'pre-connect audio received but no trackId'),
  },
  'log.preconnect.read-error': {
    description: 'The agent failed to read or decode the buffer.',
    from: '`error reading pre-connect audio buffer`, `error decoding audio`',
    fields: {},
    sources: S,
    example: line('error', 'livekit.agents', 'error reading pre-connect audio buffer'),
  },
  'log.preconnect.ignored': {
    description: 'No handler was registered for the pre-connect topic: the buffer was dropped.',
    from: "rtc: `ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached`; JS: `ignoring incoming byte stream due to no handler for topic: lk.agent.pre-connect-audio-buffer`",
    fields: { topic: '? the byte-stream topic', framework: '`python` or `node`' },
    sources: S,
    example: {
      ...line('info', 'livekit', "ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached"),
      topic: 'lk.agent.pre-connect-audio-buffer',
      framework: 'python',
    },
  },
  'log.openai.connecting': {
    description: 'The OpenAI plugin connects to the Realtime API.',
    from: '`connecting to Realtime API: <url>`',
    fields: { url: '? the URL' },
    sources: S,
    example: {
      ...line('debug', 'livekit.plugins.openai', 'connecting to Realtime API: wss://api.openai.com/v1/realtime?model=gpt-realtime'),
      url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
    },
  },
  'log.openai.late-response': {
    description: 'A response arrived after generate_reply had timed out or been interrupted, and was discarded.',
    from: "`discarding response that arrived after it was timed out or interrupted` (≥1.6.5) or `response of generate_reply received after it's timed out.` (≤1.4)",
    fields: {},
    sources: S,
    example: line('warning', 'livekit.plugins.openai', 'discarding response that arrived after it was timed out or interrupted'),
  },
  'log.openai.response-not-complete': {
    description: 'A response ended with a status other than completed.',
    from: '`… response done but not complete with status: S (type=T, reason=R)`',
    fields: { status: '? the response status', reason: '? status_details.reason, if not None' },
    sources: S,
    example: {
      ...line('warning', 'livekit.plugins.openai', 'response done but not complete with status: incomplete (type=incomplete, reason=max_output_tokens)'),
      status: 'incomplete',
      reason: 'max_output_tokens',
    },
  },
  'log.openai.connection-error': {
    description: 'The Realtime connection closed unexpectedly or failed.',
    from: '`OpenAI Realtime API connection closed unexpectedly`, `connection failed, retrying`, `…connection failed after N attempts`',
    fields: {},
    sources: S,
    example: line('error', 'livekit.plugins.openai', 'OpenAI Realtime API connection closed unexpectedly'),
  },
  'log.openai.text-in-audio': {
    description: 'The model answered with text while the session expected audio.',
    from: '`Text response received from OpenAI Realtime API in audio modality.`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.plugins.openai', 'Text response received from OpenAI Realtime API in audio modality.'),
  },
  'log.openai.extra-message-dropped': {
    description:
      'The agent got a second message item in one Realtime response (a gpt-realtime-2 preamble, then the answer) and dropped it: only the first was played (livekit-agents < 1.5.12, @livekit/agents < 1.4.5).',
    from: '`expected to receive only one message generation from the realtime API`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.agents', 'expected to receive only one message generation from the realtime API'),
  },
  'log.job.received': {
    description: 'The worker received a job request.',
    from: '`received job request`',
    fields: { jobId: '? the job id', room: '? the room name', agentName: '? the dispatched agent name' },
    sources: S,
    example: { ...line('info', 'livekit.agents', 'received job request'), jobId: 'AJ_abc', room: 'room-1', agentName: 'my-agent' },
  },
  'log.framework': {
    description: 'A line that identifies the agent framework and its version (e.g. worker start).',
    from: '`starting worker` with `version`',
    fields: { framework: '`python` or `node`', version: '? the framework version' },
    sources: S,
    example: { ...line('info', 'livekit.agents', 'starting worker'), framework: 'python', version: '1.2.14' },
  },
  'log.job.unresponsive': {
    description: "The job process's event loop was blocked: the worker's pings went unanswered, or one task ran too long.",
    from: '`job executor is unresponsive`; `Running <Task …> took too long: N seconds`',
    fields: { what: '`executor` (pings unanswered) or `task` (one callback ran too long)', seconds: '? how long the task ran' },
    sources: S,
    example: { ...line('warning', 'livekit.agents', 'job executor is unresponsive'), what: 'executor' },
  },
  'log.job.killed': {
    description: 'The worker killed a job (or inference) process.',
    from: '`process is unresponsive, killing process`; `process exceeded memory limit, killing process`',
    fields: { why: '`unresponsive` or `memory`' },
    sources: S,
    example: { ...line('error', 'livekit.agents', 'process is unresponsive, killing process'), why: 'unresponsive' },
  },
  'log.job.exited': {
    description: 'A job process ended on its own with an error.',
    from: '`process exited with non-zero exit code N`; agents-js `job process exited unexpectedly`',
    fields: { exitCode: '? the exit code (negative: the signal)' },
    sources: S,
    example: { ...line('error', 'livekit.agents', 'process exited with non-zero exit code -4'), exitCode: -4 },
  },
  'log.job.entrypoint-failed': {
    description: "The agent's entrypoint (the job task) raised: the session never started or ended there.",
    from: '`unhandled exception while running the job task` (livekit-agents 0.12–1.8, with the traceback); agents-js `error in entry function`',
    fields: { exception: '? the exception line at the end of the traceback (or the error message)' },
    sources: S,
    example: { ...line('error', 'livekit.agents', 'unhandled exception while running the job task'), exception: "KeyError: 'AGENT_VOICE_NAME'" },
  },
  'log.job.not-connected': {
    description: 'The job task ran for 10 s without connecting to the room.',
    from: '`The room connection was not established within 10 seconds after calling job_entry. …` (livekit-agents 1.x); agents-js `room not connect after job_entry was called after 10 seconds`',
    fields: {},
    sources: S,
    example: line('warning', 'livekit.agents', 'The room connection was not established within 10 seconds after calling job_entry.'),
  },
  'log.job.memory-high': {
    description: 'A job process is above its memory warning threshold.',
    from: '`process memory usage is high` with `memory_usage_mb`, `memory_warn_mb`, `memory_limit_mb`',
    fields: { memoryMb: '? memory in use (MB)', warnMb: '? the warning threshold (MB)', limitMb: '? the kill limit (MB, 0: none)' },
    sources: S,
    example: { ...line('warning', 'livekit.agents', 'process memory usage is high'), memoryMb: 582.8, warnMb: 500, limitMb: 0 },
  },
  'log.worker.at-capacity': {
    description: 'The worker passed its load threshold and marked itself unavailable for new jobs.',
    from: '`worker is at full capacity, marking as unavailable`',
    fields: {},
    sources: S,
    example: line('info', 'livekit.agents', 'worker is at full capacity, marking as unavailable'),
  },
  'log.worker.connection-lost': {
    description: "The worker's WebSocket to the LiveKit server closed unexpectedly (the worker reconnects).",
    from: '`worker connection closed unexpectedly` (alone, or after `failed to connect to livekit, retrying in Ns:`)',
    fields: {},
    sources: S,
    example: line('error', 'agents-js', 'worker connection closed unexpectedly'),
  },
  'log.worker.shutdown': {
    description: 'The worker is draining or shutting down (job processes exit with it, often non-zero).',
    from: '`draining worker`, `shutting down worker`',
    fields: {},
    sources: S,
    example: line('info', 'livekit.agents', 'draining worker'),
  },
  'log.worker.connect-failed': {
    description: 'The worker could not connect (or register) to the LiveKit server; it retries, or gives up after its last attempt.',
    from: '`failed to connect to livekit, retrying in Ns` (the reason after `: `, in the traceback or the `error` extra), `failed to connect to livekit after N attempts`, agents-js `failed to connect to LiveKit server, retrying in N seconds`',
    fields: {
      reason: '? what the connection failed with (the exception line), when the log has it',
      status: '? the HTTP status the server answered the upgrade with (401: key/secret rejected)',
      retryInS: '? the delay before the next attempt, s',
      final: '? the worker gave up (`after N attempts`)',
    },
    sources: S,
    example: {
      ...line('warning', 'livekit.agents', 'failed to connect to livekit, retrying in 0s'),
      reason: 'aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host localhost:7880 ssl:default [Connect call failed]',
      retryInS: 0,
    },
  },
  'log.worker.registered': {
    description: 'The worker registered with the LiveKit server (it is connected and can take jobs).',
    from: '`registered worker` (with `id`)',
    fields: { workerId: '? the worker id (AW_…)' },
    sources: S,
    example: { ...line('info', 'livekit.agents', 'registered worker'), workerId: 'AW_cXrPvqYmXqmF' },
  },
  'log.worker.failed': {
    description: 'The worker itself stopped on an exception (`cli` logs it with the traceback): no job runs on it any more.',
    from: '`worker failed` (the exception in the traceback that follows)',
    fields: { exception: '? the exception line ending the traceback, when the log has it' },
    sources: S,
    example: { ...line('error', 'livekit.agents', 'worker failed'), exception: 'TimeoutError' },
  },
  'log.room.connect-failed': {
    description: "The agent's SDK could not join the room's media session.",
    from: '`error while connecting to a room: <reason>` (livekit_ffi, e.g. `wait_pc_connection timed out`)',
    fields: { reason: '? what the SDK said after the colon' },
    sources: S,
    example: {
      ...line('error', 'livekit', 'error while connecting to a room: engine: connection error: wait_pc_connection timed out'),
      reason: 'engine: connection error: wait_pc_connection timed out',
    },
  },
  'log.room.resuming': {
    description: "The room's signal connection dropped and the SDK is resuming it.",
    from: '`resuming connection... attempt: N`; `received session close: "<reason>" <code> Resume` (livekit::rtc_engine)',
    fields: { attempt: '? the attempt number', reason: '? the close reason the server or client gave' },
    sources: S,
    example: { ...line('warning', 'livekit', 'livekit::rtc_engine:628:livekit::rtc_engine - resuming connection... attempt: 0'), attempt: 0 },
  },
  'log.room.reconnect-failed': {
    description: 'The SDK gave up resuming and reconnecting to the room.',
    from: '`failed to reconnect to the livekit room` (livekit::rtc_engine)',
    fields: {},
    sources: S,
    example: line('error', 'livekit', 'livekit::rtc_engine:545:livekit::rtc_engine - failed to reconnect to the livekit room'),
  },
  'log.room.leave-request': {
    description: 'The server asked the agent to leave the room (a LeaveRequest on the signal connection).',
    from: '`received leave request: LeaveRequest { can_reconnect: …, reason: … }` (livekit::rtc_engine)',
    fields: { reason: '? the LeaveRequest reason (DuplicateIdentity, …)', canReconnect: '? can_reconnect' },
    sources: S,
    example: {
      ...line('debug', 'livekit::rtc_engine::rtc_session', 'received leave request: LeaveRequest { can_reconnect: false, reason: DuplicateIdentity }'),
      reason: 'DuplicateIdentity',
      canReconnect: false,
    },
  },
  'log.tts.failed': {
    description: 'A text-to-speech request failed (the framework may retry it).',
    from: '`failed to synthesize speech, retrying in Ns` / `failed to synthesize speech`; agents-js `Error in SynthesizeStream`',
    fields: {
      retrying: 'the framework said it retries',
      tts: '? the TTS class',
      attempt: '? the attempt number',
      reason: "? the error: the traceback's last line or the logged error",
    },
    sources: S,
    example: {
      ...line('warning', 'livekit.agents', 'failed to synthesize speech, retrying in 0.1s'),
      retrying: true,
      tts: 'livekit.plugins.google.tts.TTS',
      attempt: 1,
    },
  },
  'log.job.init-timeout': {
    description: 'A job, prewarm or inference process did not finish initialising in time and was killed.',
    from: '`initialization timed out, killing process`',
    fields: { inference: '? the process was the inference process (turn detector, …)' },
    sources: S,
    example: { ...line('error', 'livekit.agents', 'initialization timed out, killing process'), inference: true },
  },
  'log.job.process': {
    description: "A step of a worker process's life: initialising, initialised, killed (job, prewarm or inference process).",
    from: '`initializing process`, `process initialized`, `killing process` with `pid` (and `inference`)',
    fields: { step: '`initializing`, `initialized` or `killing`', pid: '? the process id', inference: '? it is the inference process' },
    sources: S,
    example: { ...line('info', 'livekit.agents', 'killing process'), step: 'killing', pid: 34476, inference: true },
  },
  'log.setup.import-failed': {
    description: 'Importing a livekit module, or a name from one, failed (the exception ending a traceback).',
    from: "`AttributeError: module 'livekit.…' has no attribute 'X'`, `ImportError: cannot import name 'X' from 'livekit.…'`, `ModuleNotFoundError: No module named 'livekit.…'`",
    fields: {
      what: '`missing-attribute`, `missing-name` or `missing-module`',
      module: 'the livekit module',
      name: '? the attribute or name it lacks',
      exception: 'the exception line',
    },
    sources: S,
    example: {
      ...line('error', '', "AttributeError: module 'livekit.agents.llm' has no attribute 'FunctionContext'"),
      what: 'missing-attribute',
      module: 'livekit.agents.llm',
      name: 'FunctionContext',
      exception: "AttributeError: module 'livekit.agents.llm' has no attribute 'FunctionContext'",
    },
  },
  'log.stt.connection-closed': {
    description: "The speech-to-text plugin's streaming connection closed unexpectedly.",
    from: '`… STT connection closed unexpectedly (status_code=-1, …)` as the exception ending a traceback (APIStatusError)',
    fields: { exception: 'the exception line' },
    sources: S,
    example: {
      ...line('error', 'livekit.plugins.openai', 'Error in recv_task'),
      exception: 'livekit.agents._exceptions.APIStatusError: OpenAI Realtime STT connection closed unexpectedly (status_code=-1, request_id=None, body=None)',
    },
  },
  'log.gemini.closed': {
    description: 'The Gemini Live WebSocket was closed by Google with 1007, 1008 or 1011.',
    from: '`received 1007 (invalid frame payload data) …`, `received 1008 (policy violation) …`, `received 1011 (internal error) …` in a Gemini record or traceback',
    fields: { code: 'the close code', reason: 'the close reason Google gave' },
    sources: S,
    example: {
      ...line(
        'error',
        'livekit.plugins.google',
        'Gemini Realtime API error: received 1007 (invalid frame payload data) Cannot extract voices from a non-audio request.',
      ),
      code: 1007,
      reason: 'Cannot extract voices from a non-audio request.',
    },
  },
  'log.gemini.connect-failed': {
    description: 'livekit-plugins-google could not open (or reopen) its Gemini Live session: retrying, or given up.',
    from: '`Gemini Realtime API connection failed, retrying in Ns` (attempt, max_retries); `APIConnectionError: Failed to connect to Gemini Live[ after N attempts]`',
    fields: {
      final: 'the plugin gave up (APIConnectionError) rather than retrying',
      attempts: '? the attempts it made (`after N attempts`, or the retry attempt)',
      retryInS: '? seconds before the next attempt',
      reason: '? what the plugin said',
    },
    sources: S,
    example: {
      ...line('error', '', 'livekit.agents._exceptions.APIConnectionError: Failed to connect to Gemini Live'),
      final: true,
      reason: 'Failed to connect to Gemini Live',
    },
  },
  'log.gemini.handshake-timeout': {
    description: "The Gemini Live WebSocket's opening handshake timed out (websockets' TimeoutError).",
    from: '`TimeoutError: timed out during opening handshake` in a Gemini record or traceback; `Gemini Realtime API error: timed out during opening handshake`',
    fields: {},
    sources: S,
    example: line('error', 'livekit.plugins.google', 'Gemini Realtime API error: timed out during opening handshake'),
  },
  'log.gemini.go-away': {
    description: 'Gemini Live sent GoAway: the server will close the session soon (the plugin reconnects).',
    from: '`Gemini server indicates disconnection soon. Time left: …`',
    fields: { timeLeft: '? the time left Google gave' },
    sources: S,
    example: { ...line('warning', 'livekit.plugins.google', 'Gemini server indicates disconnection soon. Time left: 50s'), timeLeft: '50s' },
  },
  'log.azure.deployment-error': {
    description: 'Azure OpenAI answered that the deployment (or the resource path / api-version) does not exist.',
    from: "`DeploymentNotFound` / `The API deployment for this resource does not exist` (404), `{'code': '404', 'message': 'Resource not found'}`, in a record or its traceback",
    fields: {
      what: '`deployment-not-found` (the deployment name) or `resource-not-found` (the path or api-version)',
      status: '? the HTTP status',
      exception: '? the line that said it',
    },
    sources: S,
    example: {
      ...line('error', 'livekit.agents', 'failed to generate LLM completion, retrying in 0.1s'),
      what: 'deployment-not-found',
      status: 404,
      exception:
        "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'}}",
    },
  },
  'log.azure.realtime-error': {
    description:
      "Azure OpenAI Realtime: the deployment's model does not serve the realtime operation, or the plugin warns that the api-version (preview protocol) is retired.",
    from: '`OperationNotSupported` / `The realtime operation does not work with the specified model` (HTTP 400); livekit-agents `The `api_version` parameter … is deprecated and will be removed on April 30, 2026.`, `The OPENAI_API_VERSION environment variable is deprecated …`, agents-js `The `apiVersion` parameter for Azure OpenAI Realtime is deprecated …`',
    fields: {
      what: '`operation-not-supported` or `api-version-deprecated`',
      said: '? the line that said it',
    },
    sources: S,
    example: {
      ...line('warning', 'livekit.plugins.openai', 'The `api_version` parameter in `with_azure` is deprecated and will be removed on April 30, 2026.'),
      what: 'api-version-deprecated',
    },
  },
  'log.openai.text-only-recovery': {
    description: 'livekit-plugins-openai (1.0.14–1.1) trying to turn a text-only answer back into audio, and how it ended.',
    from: '`trying to recover from text-only response` (retries), `failed to recover from text-only response`, `recovered from text-only response` (retried_times), `generate_reply timed out, cancel recovery`',
    fields: { outcome: '`trying`, `failed`, `recovered` or `cancelled`', retries: '? the retries so far' },
    sources: S,
    example: { ...line('error', 'livekit.plugins.openai', 'failed to recover from text-only response'), outcome: 'failed', retries: 5 },
  },
  'log.server.no-worker': {
    description: 'livekit-server log: a dispatch found no agent worker to send the job to.',
    from: '`not dispatching agent job since no worker is available`; `failed to send job request` with `no servers available` / `no response from servers`',
    fields: { reason: 'what the server said', agentName: "? the agent name of the job (empty: a room's automatic job)" },
    sources: S,
    example: {
      ...line('info', 'livekit', 'agent/client.go:146 not dispatching agent job since no worker is available'),
      reason: 'not dispatching agent job since no worker is available',
    },
  },
  'log.line': {
    description: 'Any other line recognised as a log record (counted; kept only with --verbose).',
    fields: {},
    sources: S,
    example: line('info', 'my-agent', 'hello'),
  },
};
