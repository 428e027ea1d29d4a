/**
 * Recognised log messages → trace event kinds (docs/events.md, "Agent logs"). Realtime API events
 * logged under LK_OPENAI_DEBUG become `openai.*` events (as realtimeTraceEvent makes them), not `log.*`.
 */
import type { TraceEvent } from '../../diagnose/types.js';
import type { AnyOpenAIEvent, UnlistedRealtimeEvent } from '../../events/index.js';
import { elideAudioInPlace, gaType } from '../../protocol/realtime-events.js';
import { parsePyObjectRepr, parsePyRepr } from './pyrepr.js';
import { PINO_BASE_KEYS } from './pino.js';
import { isPlainObject, type LogRecord } from './record.js';

export const PRECONNECT_TOPIC = 'lk.agent.pre-connect-audio-buffer';

import { errText, type Extras, lastLine, num, pick, type Rule, str, type TableKind } from './table-kit.js';
import { azureFact } from './tables/azure.js';
import { geminiTracebackFact } from './tables/gemini.js';
import { AREA_TABLES } from './tables/index.js';
import { nodeCrashEvent } from './tables/node-crash.js';

const RULES: Rule[] = [
  {
    kind: 'log.preconnect.received',
    exact: ['pre-connect audio received'],
    extras: (r) => ({
      duration: num(r.extras['duration']),
      trackId: str(pick(r.extras, 'track_id', 'trackId')),
      participant: str(r.extras['participant']),
      sampleRate: num(pick(r.extras, 'sample_rate', 'sampleRate')),
      channels: num(r.extras['channels']),
    }),
  },
  {
    kind: 'log.preconnect.pushed',
    exact: ['pre-connect audio buffer pushed'],
    extras: (r) => ({ duration: num(r.extras['duration']), trackId: str(pick(r.extras, 'track_id', 'trackId')) }),
  },
  { kind: 'log.preconnect.timeout', exact: ['timeout waiting for pre-connect audio buffer'] },
  {
    kind: 'log.preconnect.not-completed',
    exact: ['pre-connect audio received but not completed in time'],
    extras: (r) => ({ participant: str(r.extras['participant']) }),
  },
  {
    kind: 'log.preconnect.too-old',
    exact: ['pre-connect audio buffer is too old'],
    extras: (r) => ({ trackId: str(pick(r.extras, 'track_id', 'trackId')), deltaTime: num(pick(r.extras, 'delta_time', 'deltaTime')) }),
  },
  { kind: 'log.preconnect.registered-late', re: /^pre-connect audio handler registered after room connection/ },
  { kind: 'log.preconnect.no-track-id', exact: ['pre-connect audio received but no trackId'] },
  // livekit-agents 1.8.9 logs it with logger.exception: the traceback follows the words in the same record
  { kind: 'log.preconnect.read-error', re: /^(?:error reading pre-connect audio buffer|error decoding audio)(?:\n|$)/ },
  {
    kind: 'log.preconnect.ignored',
    re: /^ignoring byte stream with topic '(lk\.agent\.pre-connect-audio-buffer)', no callback attached/,
    extras: (_r, m) => ({ topic: m?.[1], framework: 'python' }),
  },
  {
    kind: 'log.preconnect.ignored',
    re: /^ignoring incoming byte stream due to no handler for topic: (lk\.agent\.pre-connect-audio-buffer)/,
    extras: (_r, m) => ({ topic: m?.[1], framework: 'node' }),
  },
  { kind: 'agent.start-reading', exact: ['start reading stream'] },
  {
    kind: 'agent.generate-reply-failed',
    re: /^failed to generate a reply(?: after tool execution)?: (.*)$/s,
    extras: (_r, m) => ({ inner: m?.[1] ?? '', timeout: /timed out/i.test(m?.[1] ?? '') }),
  },
  {
    kind: 'user.state',
    re: /^user state changed(?: from)?:?\s*'?([\w-]+)'?\s*(?:to|->|→)\s*'?([\w-]+)'?/i,
    extras: (_r, m) => ({ from: m?.[1], to: m?.[2] }),
  },
  {
    kind: 'agent.state',
    re: /^agent state changed(?: from)?:?\s*'?([\w-]+)'?\s*(?:to|->|→)\s*'?([\w-]+)'?/i,
    extras: (_r, m) => ({ from: m?.[1], to: m?.[2] }),
  },
  {
    kind: 'user.transcript',
    exact: ['received user transcript'],
    extras: (r) => ({
      transcript: str(pick(r.extras, 'lk.pii.user_transcript', 'user_transcript', 'transcript')),
      delay: num(pick(r.extras, 'transcript_delay', 'delay')),
    }),
  },
  { kind: 'agent.turn-committed', exact: ['user turn committed'] },
  {
    kind: 'conversation.item',
    exact: ['conversation_item_added'],
    extras: (r) => ({ role: str(r.extras['role']), text: str(pick(r.extras, 'lk.pii.text', 'text')) }),
  },
  { kind: 'agent.false-interruption', exact: ['resumed false interrupted speech'] },
  {
    kind: 'agent.fatal',
    re: /^AgentSession is closing due to (?:an )?unrecoverable error(?::\s*(.*))?$/s,
    extras: (r, m) => ({ error: m?.[1] || errText(r.extras) || str(r.extras['exc_info'])?.split('\n').at(-1) }),
  },
  { kind: 'agent.session-closed', exact: ['session closed'], extras: (r) => ({ reason: str(r.extras['reason']) }) },
  { kind: 'log.openai.connecting', re: /^connecting to Realtime API: (\S+)/, extras: (_r, m) => ({ url: m?.[1] }) },
  {
    kind: 'log.openai.late-response',
    exact: ['discarding response that arrived after it was timed out or interrupted', "response of generate_reply received after it's timed out."],
  },
  {
    kind: 'log.openai.response-not-complete',
    re: /response done but not complete with status: (\w+) \(type=([^,]*), reason=([^)]*)\)/,
    extras: (_r, m) => ({ status: m?.[1], reason: m?.[3] && m[3] !== 'None' ? m[3] : undefined }),
  },
  {
    kind: 'log.openai.connection-error',
    re: /(?<!Gemini )Realtime API (?:connection closed unexpectedly|connection failed(?:, retrying| after \d+ attempts))/,
    extras: (r) => ({ message: r.message }),
  },
  { kind: 'log.openai.text-in-audio', re: /^Text response received from .*Realtime API in audio modality\.?$/ },
  {
    kind: 'log.job.received',
    exact: ['received job request'],
    extras: (r) => ({
      jobId: str(pick(r.extras, 'job_id', 'jobId')),
      room: str(pick(r.extras, 'room', 'room_name', 'roomName')),
      agentName: str(pick(r.extras, 'agent_name', 'agentName')),
    }),
  },
  { kind: 'log.job.unresponsive', exact: ['job executor is unresponsive'], extras: () => ({ what: 'executor' as const }) },
  {
    kind: 'log.job.unresponsive',
    re: /^Running <Task .* took too long: ([\d.]+) seconds/s,
    extras: (_r, m) => ({ what: 'task' as const, seconds: num(m?.[1]) }),
  },
  { kind: 'log.job.killed', exact: ['process is unresponsive, killing process'], extras: () => ({ why: 'unresponsive' as const }) },
  { kind: 'log.job.killed', exact: ['process exceeded memory limit, killing process'], extras: () => ({ why: 'memory' as const }) },
  { kind: 'log.job.exited', re: /^process exited with non-zero exit code (-?\d+)/, extras: (_r, m) => ({ exitCode: num(m?.[1]) }) },
  { kind: 'log.job.exited', re: /^job process exited unexpectedly/ },
  {
    kind: 'log.job.memory-high',
    exact: ['process memory usage is high'],
    extras: (r) => ({
      memoryMb: num(pick(r.extras, 'memory_usage_mb', 'memoryUsageMb')),
      warnMb: num(pick(r.extras, 'memory_warn_mb', 'memoryWarnMb')),
      limitMb: num(pick(r.extras, 'memory_limit_mb', 'memoryLimitMb')),
    }),
  },
  { kind: 'log.worker.at-capacity', re: /^worker is at full capacity/ },
  { kind: 'log.worker.shutdown', exact: ['draining worker', 'shutting down worker'] },
  {
    kind: 'log.server.no-worker',
    re: /(?:^|\s)not dispatching agent job since no worker is available/,
    extras: (r) => ({ reason: 'not dispatching agent job since no worker is available', agentName: str(r.extras['agentName']) }),
  },
  ...(
    [
      ['initializing process', 'initializing'],
      ['process initialized', 'initialized'],
      ['killing process', 'killing'],
      ['process exiting', 'exiting'],
    ] as const
  ).map(
    ([message, step]): Rule => ({
      kind: 'log.job.process',
      exact: [message],
      extras: (r) => ({ step, pid: num(r.extras['pid']), inference: typeof r.extras['inference'] === 'boolean' ? r.extras['inference'] : undefined }),
    }),
  ),
  {
    kind: 'log.job.init-timeout',
    exact: ['initialization timed out, killing process'],
    extras: (r) => ({ inference: typeof r.extras['inference'] === 'boolean' ? r.extras['inference'] : undefined }),
  },
  {
    kind: 'log.room.connect-failed',
    re: /(?:^|- )error while connecting to a room: (.*)$/s,
    extras: (_r, m) => ({ reason: m?.[1]?.trim() }),
  },
  {
    kind: 'log.room.resuming',
    re: /(?:^|- )resuming connection\.\.\. attempt: (\d+)/,
    extras: (_r, m) => ({ attempt: num(m?.[1]) }),
  },
  {
    kind: 'log.room.resuming',
    re: /(?:^|- )received session close: (.*) Resume$/,
    extras: (_r, m) => ({ reason: m?.[1] }),
  },
  { kind: 'log.room.reconnect-failed', re: /(?:^|- )failed to reconnect to the livekit room/ },
  {
    kind: 'log.room.leave-request',
    re: /(?:^|- )received leave request: LeaveRequest \{([^}]*)\}/,
    extras: (_r, m) => {
      const body = m?.[1] ?? '';
      const can = /can_reconnect: (true|false)/.exec(body)?.[1];
      return { reason: /reason: (\w+)/.exec(body)?.[1], canReconnect: can === undefined ? undefined : can === 'true' };
    },
  },
  {
    kind: 'log.tts.failed',
    re: /^failed to synthesize speech(, retrying)?/,
    extras: (r, m) => ({
      retrying: m?.[1] !== undefined,
      tts: str(r.extras['tts']),
      attempt: num(r.extras['attempt']),
      reason: lastLine(r.extras['exc_info']),
    }),
  },
  { kind: 'log.tts.failed', exact: ['Error in SynthesizeStream'], extras: (r) => ({ retrying: false, reason: errText(r.extras) }) },
  { kind: 'log.worker.connection-lost', re: /^(?:failed to connect to livekit, retrying in [\d.]+s: )?worker connection closed unexpectedly/ },
  { kind: 'log.worker.registered', exact: ['registered worker'], extras: (r) => ({ workerId: str(pick(r.extras, 'id', 'worker_id', 'workerId')) }) },
  {
    kind: 'log.framework',
    exact: ['starting worker'],
    extras: (r) => ({ framework: r.framework === 'node' ? 'node' : 'python', version: str(r.extras['version']) }),
  },
  // The other areas' tables (tables/*.ts), after the core rows.
  ...AREA_TABLES,
];

const EXACT = new Map<string, Rule>();
for (const r of RULES) for (const m of r.exact ?? []) if (!EXACT.has(m)) EXACT.set(m, r);
const PATTERNS = RULES.filter((r) => r.re);

function logEvent<K extends TableKind | 'log.line'>(r: LogRecord, kind: K, extra?: K extends TableKind ? Extras<K> : never): TraceEvent {
  // what defined({ level, logger, message, line, ...extra }) gives, without deleting properties
  // (an object that had one deleted is slower to serialise)
  const data: Record<string, unknown> = { level: r.level, logger: r.logger, message: r.message, line: r.line };
  if (extra) {
    const fields: Record<string, unknown> = extra;
    for (const k of Object.keys(fields)) {
      const v = fields[k];
      if (v !== undefined) data[k] = v;
      else if (Object.hasOwn(data, k)) delete data[k];
    }
  }
  // the log-line fields plus the kind's extras (typed by the table): the data of `kind`
  return { t: r.t, source: 'log', kind, data } as TraceEvent;
}

/**
 * A Realtime event as logged (≥1.7 `lk.pii.event` extra, or a dict repr / JSON in the message).
 * The plugins log audio as "..." (already elided): the event says so rather than "<2 bytes>".
 *
 * This is realtimeTraceEvent(r.t, 'log', direction, event) plus `line`, built in place: `event`
 * was parsed from this one line and nothing else holds it, so it becomes the trace event's own
 * object instead of being copied (once, twice for audio) — the same properties in the same order,
 * which test/unit/logs-fastpaths.test.ts checks against realtimeTraceEvent for every event type.
 */
function openaiEvent(r: LogRecord, direction: 'client' | 'server', event: unknown): TraceEvent | undefined {
  if (!isPlainObject(event) || typeof event['type'] !== 'string') return undefined;
  // a plain object with a string `type`: what UnlistedRealtimeEvent describes
  return ownedRealtimeEvent(r.t, direction, event as UnlistedRealtimeEvent, r.line);
}

/** See openaiEvent; exported for the test that compares it with realtimeTraceEvent. */
export function ownedRealtimeEvent(t: number, direction: 'client' | 'server', event: UnlistedRealtimeEvent, line: number): AnyOpenAIEvent {
  const logged = event.type;
  const audioInLog = event['audio'] === '...';
  const deltaInLog = event['delta'] === '...';
  elideAudioInPlace(event); // keyed on the type as logged (beta or GA), as realtimeTraceEvent does
  const names = namesOf(logged);
  event.type = names.type;
  if (audioInLog) event['audio'] = '<elided in log>';
  if (deltaInLog) event['delta'] = '<elided in log>';
  return { t, source: 'log', kind: names.kind, data: { direction, event, line } };
}

/**
 * The GA type and the kind of a logged event type, made once per distinct type: one lookup instead
 * of the beta table's and a new kind string per event (and every later use of that one kind
 * string — the keeper's sets and maps, the timeline's — finds its hash already computed).
 */
const NAMES = new Map<string, { type: string; kind: `openai.${string}` }>();
function namesOf(logged: string): { type: string; kind: `openai.${string}` } {
  let names = NAMES.get(logged);
  if (names === undefined) {
    const type = gaType(logged);
    names = { type, kind: `openai.${type}` };
    if (NAMES.size < 1000) NAMES.set(logged, names);
  }
  return names;
}

/** Parses `>>> {…}` / `<<< {…}` text: a Python dict repr (agents < 1.7) or JSON (agents-js 0.x). */
function inlineEvent(text: string): unknown {
  const s = text.trim();
  if (!s.startsWith('{')) return undefined;
  try {
    return s.startsWith('{"') ? JSON.parse(s) : parsePyRepr(s);
  } catch {
    try {
      return parsePyRepr(s);
    } catch {
      // keep what can be trusted: the event type
      const m = /^\{\s*['"]type['"]\s*:\s*['"]([\w.]+)['"]/.exec(s) ?? /['"]type['"]\s*:\s*['"]([\w.]+)['"]/.exec(s);
      return m ? { type: m[1], unparsed: true } : undefined;
    }
  }
}

/** Realtime events in agents-js 1.0–1.6 (`(client) -> type`): the event's fields are on the record. */
function mergedEvent(r: LogRecord, type: string): Record<string, unknown> {
  const ev: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.extras)) if (!PINO_BASE_KEYS.has(k)) ev[k] = v;
  ev['type'] = typeof ev['type'] === 'string' ? ev['type'] : type;
  return ev;
}

function realtime(r: LogRecord): TraceEvent | undefined | null {
  const msg = r.message;
  const c0 = msg.charCodeAt(0);
  if (c0 === 62 /* > */ || c0 === 60 /* < */) {
    // `>>>` or `<<<` (character tests: this runs for most lines of a Realtime debug log)
    if (msg.charCodeAt(1) !== c0 || msg.charCodeAt(2) !== c0) return undefined;
    const dir = c0 === 62 ? 'client' : 'server';
    const event = msg.length === 3 || msg.slice(3).trim() === '' ? pick(r.extras, 'lk.pii.event', 'event') : inlineEvent(msg.slice(3));
    return openaiEvent(r, dir, event) ?? null;
  }
  if (r.framework === 'node') {
    if (msg === 'sent OpenAI Realtime client event') return openaiEvent(r, 'client', r.extras['lk.pii.event']) ?? null;
    if (msg === 'received OpenAI Realtime server event') return openaiEvent(r, 'server', r.extras['lk.pii.event']) ?? null;
    const m = /^\((client|server)\) (?:->|<-) ?(.*)$/s.exec(msg);
    if (m) {
      const dir = m[1] as 'client' | 'server';
      const rest = m[2] ?? '';
      const event = rest.startsWith('{') ? inlineEvent(rest) : mergedEvent(r, rest.trim());
      return openaiEvent(r, dir, event) ?? null;
    }
  }
  return undefined;
}

/** The fields an API error is quoted with when its repr cannot be parsed (a line cut or mangled by the paste). */
function scrapedError(s: string): Record<string, unknown> | undefined {
  const field = (k: string) => new RegExp(`['"]?\\b${k}['"]?\\s*[:=]\\s*['"]([^'"]*)['"]`).exec(s)?.[1];
  const code = field('code');
  // not `type`: the event's own type ('error') comes first and would be taken for the error's
  return code ? { code, ...(field('param') ? { param: field('param') } : {}) } : undefined;
}

/** A logged Realtime API error: a dict repr (0.x), an object repr `Error(…)` (1.x), JSON, or an object. */
function loggedError(v: unknown): Record<string, unknown> | undefined {
  if (isPlainObject(v)) return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  try {
    const x = s.startsWith('{"') ? JSON.parse(s) : parsePyObjectRepr(s);
    return isPlainObject(x) ? x : undefined;
  } catch {
    return scrapedError(s);
  }
}

const S2S_ERROR = 'OpenAI S2S error ';
/** `{provider_label} returned an error` (livekit-agents 1.8.9 _realtime/openai.py 2467): OpenAI's, and xAI's plugin label. */
const API_ERROR = /^(?:OpenAI|xAI) Realtime API returned an error/;

/**
 * The Realtime API's `error` event as the plugins logged it without LK_OPENAI_DEBUG: 0.x
 * `OpenAI S2S error {'type': 'error', 'error': {…}}` and 1.x `OpenAI Realtime API returned an error`
 * with `error` = `Error(message=…, code=…, event_id=…)` — an `openai.error` event, as if received.
 */
function apiErrorEvent(r: LogRecord): TraceEvent | undefined {
  const msg = r.message;
  let logged: Record<string, unknown> | undefined;
  if (msg.startsWith(S2S_ERROR)) logged = loggedError(msg.slice(S2S_ERROR.length));
  else if (API_ERROR.test(msg)) logged = loggedError(r.extras['error'] ?? msg.replace(API_ERROR, '').replace(/^[\s:,-]+/, ''));
  else return undefined;
  if (!logged) return undefined;
  const body = isPlainObject(logged['error']) ? logged['error'] : logged;
  if (typeof body['code'] !== 'string' && typeof body['message'] !== 'string') return undefined;
  const error: Record<string, unknown> = {};
  for (const k of ['type', 'code', 'message', 'param', 'event_id']) if (body[k] !== undefined) error[k] = body[k];
  const event: UnlistedRealtimeEvent = {
    type: 'error',
    ...(typeof logged['event_id'] === 'string' && body !== logged ? { event_id: logged['event_id'] } : {}),
    error,
  };
  return ownedRealtimeEvent(r.t, 'server', event, r.line);
}

/** A RealtimeError's generate_reply timeout as the last line of a traceback, or in `exception=RealtimeError('…')`. */
const REPLY_TIMEOUT_TB =
  /(?:^|\n)[ \t]*(?:[\w.]+\.)?RealtimeError: (generate_reply timed out[^\n{]*)|exception=RealtimeError\((['"])(generate_reply timed out.*?)\2\)/;
/** 0.x: the Realtime plugin's receive task raised on an unexpected close. */
const S2S_CLOSED_TB = /(?:^|\n)[ \t]*Exception: (OpenAI S2S connection closed unexpectedly)/;

/** An exception line saying a livekit module, or a name in one, is missing: the installed packages do not match the code. */
const IMPORT_FAILURES: ReadonlyArray<{ re: RegExp; what: 'missing-attribute' | 'missing-name' | 'missing-module'; module: number; name?: number }> = [
  { re: /(?:^|\n)[ \t]*(AttributeError: module '(livekit(?:\.[\w.]+)?)' has no attribute '(\w+)')/, what: 'missing-attribute', module: 2, name: 3 },
  { re: /(?:^|\n)[ \t]*(ImportError: cannot import name '(\w+)' from '(livekit(?:\.[\w.]+)?)')/, what: 'missing-name', module: 3, name: 2 },
  { re: /(?:^|\n)[ \t]*(ModuleNotFoundError: No module named '(livekit(?:\.[\w.]+)?)')/, what: 'missing-module', module: 2 },
];

function importFailure(
  text: string,
): { what: 'missing-attribute' | 'missing-name' | 'missing-module'; module: string; name?: string; exception: string } | undefined {
  if (!text.includes("'livekit")) return undefined;
  for (const f of IMPORT_FAILURES) {
    const m = f.re.exec(text);
    if (m) return { what: f.what, module: m[f.module]!, ...(f.name !== undefined ? { name: m[f.name]! } : {}), exception: m[1]! };
  }
  return undefined;
}

/** The traceback a record carries: its exc_info text (a field, or attached by the parser) after its message. */
function tracebackText(r: LogRecord): string {
  const exc = r.extras['exc_info'] ?? r.extras['exc_text'] ?? r.extras['exception'];
  return typeof exc === 'string' ? `${r.message}\n${exc}` : r.message;
}

/** The fact a traceback's last lines state, when it is one the rules read. */
function tracebackEvent(r: LogRecord): TraceEvent | undefined {
  const text = tracebackText(r);
  if (text.includes('generate_reply timed out')) {
    const m = REPLY_TIMEOUT_TB.exec(text);
    if (m) return logEvent(r, 'agent.generate-reply-failed', { inner: (m[1] ?? m[3] ?? '').trim(), timeout: true });
  }
  if (text.includes('S2S connection closed unexpectedly') && S2S_CLOSED_TB.test(text)) return logEvent(r, 'log.openai.connection-error', {});
  const stt = /(?:^|\n)[ \t]*([\w.]*(?:Error|Exception): [^\n]*STT connection closed unexpectedly[^\n]*)/.exec(text);
  if (stt) return logEvent(r, 'log.stt.connection-closed', { exception: stt[1]!.trim() });
  const azure = azureFact(text);
  if (azure) return logEvent(r, 'log.azure.deployment-error', azure);
  const gemini = geminiTracebackFact(text);
  if (gemini?.kind === 'log.gemini.closed') return logEvent(r, gemini.kind, gemini.extras);
  if (gemini?.kind === 'log.gemini.handshake-timeout') return logEvent(r, gemini.kind, gemini.extras);
  if (gemini?.kind === 'log.gemini.connect-failed') return logEvent(r, gemini.kind, gemini.extras);
  // livekit-server: a dispatch with no worker to take it (the error may be a field or follow the message)
  if (/(?:^|\s)failed to send job request/.test(r.message)) {
    const why = /no servers available[^"\n]*|no response from servers[^"\n]*/.exec(`${text}\n${str(r.extras['error']) ?? ''}`);
    if (why) return logEvent(r, 'log.server.no-worker', { reason: why[0].trim(), agentName: str(r.extras['agentName']) });
  }
  const imp = importFailure(text);
  if (imp) return logEvent(r, 'log.setup.import-failed', imp);
  // `failed to connect to livekit, retrying in 0s` with the reason only in its traceback
  if (r.message.startsWith('failed to connect to livekit') && /(?:^|\n)[\w.]*(?:Error|Exception): worker connection closed unexpectedly/.test(text))
    return logEvent(r, 'log.worker.connection-lost', {});
  const connect = workerConnectFailed(r, text);
  if (connect) return connect;
  if (r.message === 'worker failed') return logEvent(r, 'log.worker.failed', { exception: exceptionOf(r) });
  return undefined;
}

/**
 * The exception line ending a record's traceback (exc_info), when the traceback got that far: a paste
 * cut inside the frames has none (its last line is a frame, a source line or carets, all indented).
 */
function exceptionOf(r: LogRecord): string | undefined {
  const exc = r.extras['exc_info'] ?? r.extras['exc_text'];
  if (typeof exc !== 'string') return undefined;
  const last = exc.trimEnd().split('\n').at(-1) ?? '';
  return /^[A-Za-z_][\w.]*(?::\s.*|:)?$/.test(last) && !/^Traceback \(/.test(last) ? last.trim() : undefined;
}

/**
 * The worker's connect loop (livekit-agents worker.py): `failed to connect to livekit, retrying in Ns` with
 * the reason after `: ` (0.x), in the traceback (1.0–1.3, exc_info) or in the `error` extra (later);
 * `failed to connect to livekit after N attempts` when it gives up; agents-js `failed to connect to LiveKit
 * server, retrying in N seconds: <err> (i/n)`. A refused upgrade states its HTTP status
 * (`401, message='Invalid response status', url='wss://…/agent'`).
 */
const WORKER_CONNECT = /^failed to connect to (?:livekit|LiveKit server)(?:, retrying in ([\d.]+) ?s(?:econds)?| after (\d+) attempts)(?::\s*(.*))?$/is;

function workerConnectFailed(r: LogRecord, text: string): TraceEvent | undefined {
  const m = WORKER_CONNECT.exec(r.message);
  if (!m) return undefined;
  const inline = m[3]?.replace(/\s*\(\d+\/\d+\)\s*$/, '').trim();
  const reason = inline || str(r.extras['error']) || errText(r.extras) || exceptionOf(r);
  const status = /\b([1-5]\d\d), message='[^']*'/.exec(`${reason ?? ''}\n${text}`)?.[1];
  return logEvent(r, 'log.worker.connect-failed', {
    reason,
    status: status === undefined ? undefined : Number(status),
    retryInS: num(m[1]),
    final: m[2] !== undefined ? true : undefined,
  });
}

/**
 * A refused WebSocket upgrade to the Realtime API, as the traceback under the plugin's connect error states
 * it (`aiohttp.client_exceptions.WSServerHandshakeError: 403, message='Invalid response status', url=…`):
 * the HTTP status probe-openai would have seen, so the same rule names it.
 */
const HANDSHAKE = /(?:^|\n)[ \t]*(?:aiohttp\.client_exceptions\.)?WSServerHandshakeError: ([1-5]\d\d), message='[^'\n]*'(?:, url='([^'\n]*)')?/;

function upgradeEvent(r: LogRecord): TraceEvent<'probe.upgrade.response'> | undefined {
  const exc = r.extras['exc_info'];
  if (typeof exc !== 'string' || !exc.includes('WSServerHandshakeError')) return undefined;
  const m = HANDSHAKE.exec(exc);
  // the Realtime API's socket, not the worker's (/agent) nor another provider's
  if (!m || !/openai|\/realtime\b/i.test(`${r.logger} ${r.message} ${m[2] ?? ''}`)) return undefined;
  return { t: r.t, source: 'log', kind: 'probe.upgrade.response', data: { status: Number(m[1]) } };
}

function ruleEvent(r: LogRecord, rule: Rule, m: RegExpExecArray | null): TraceEvent {
  const extras: Record<string, unknown> | undefined = rule.extras?.(r, m);
  return logEvent<TableKind>(r, rule.kind, extras);
}

/**
 * The trace event a log record stands for: an `openai.*` event, a `log.*` kind from the table, or
 * `log.line` for any other record (callers keep those only when asked to).
 */
export function eventFor(r: LogRecord): TraceEvent;
/** With `lines` false, undefined instead of a `log.line` event (one the caller would not keep). */
export function eventFor(r: LogRecord, lines: boolean): TraceEvent | undefined;
export function eventFor(r: LogRecord, lines = true): TraceEvent | undefined {
  const rt = realtime(r);
  if (rt) return rt;
  if (rt === null) return lines ? logEvent(r, 'log.line') : undefined; // a `>>>` line whose event could not be read
  const c0 = r.message.charCodeAt(0);
  if (c0 === 79 /* O */ || c0 === 120 /* x: xAI */) {
    const api = apiErrorEvent(r);
    if (api) return api;
  }
  const upgrade = upgradeEvent(r) ?? nodeCrashEvent(r);
  if (upgrade) return upgrade;
  const exact = EXACT.get(r.message);
  if (exact) return ruleEvent(r, exact, null);
  for (const rule of PATTERNS) {
    const m = rule.re!.exec(r.message);
    if (m) return ruleEvent(r, rule, m);
  }
  if (r.framework === 'node') {
    const e = errText(r.extras);
    if (/generateReply timed out/.test(r.message) || (e && /generateReply timed out/.test(e))) {
      return logEvent(r, 'agent.generate-reply-failed', { inner: e ?? r.message, timeout: true });
    }
  }
  const tb = tracebackEvent(r);
  if (tb) return tb;
  return lines ? logEvent(r, 'log.line') : undefined;
}

const ANCHORED = PATTERNS.filter((r) => r.re!.source.startsWith('^'));

/**
 * Whether a message is one the tables name exactly or by a pattern anchored at its start (or one the
 * worker's connect loop and cli write): what a line with no timestamp and no level must be to be read
 * as a record (loose.ts).
 */
export function isKnownMessage(message: string): boolean {
  return EXACT.has(message) || message === 'worker failed' || WORKER_CONNECT.test(message) || ANCHORED.some((r) => r.re!.test(message));
}

/** Every message text the table matches (for docs and tests). */
export const MATCHED_MESSAGES: ReadonlyArray<{ kind: string; match: string }> = RULES.flatMap((r) => [
  ...(r.exact ?? []).map((m) => ({ kind: r.kind, match: m })),
  ...(r.re ? [{ kind: r.kind, match: r.re.source }] : []),
]);
