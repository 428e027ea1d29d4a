/**
 * A session report (`session_report.json`) read as a source of its own (source `report`).
 *
 * What writes it: livekit-agents >= 1.3 `JobContext.make_session_report(session).to_dict()`
 * (voice/report.py; console mode `--record` writes it as console-recordings/session-<id>/session_report.json), and
 * @livekit/agents >= 1.0.19 `sessionReportToJSON` (voice/report.js; snake_case keys like Python since
 * 1.4.10). One JSON document (indented, or on one line), not JSON lines:
 *   { job_id, room_id, room, events: [{ type, created_at, … }], chat_history: { items: [...] }, … }
 * `created_at` is epoch seconds from Python; agents-js events keep `Date.now()` milliseconds
 * (events.js `createdAt = Date.now()`, snake-cased, never converted) while its chat items are seconds
 * (chatHistoryToStandardJSON → msToUnixSeconds): a value above 1e11 is read as milliseconds.
 *
 * Events become the same kinds every other source gives (agent.state, user.state, user.transcript,
 * conversation.item with its metrics, agent.false-interruption, agent.overlapping-speech,
 * agent.error, agent.session-closed); the other event types are kept as `session.other`.
 */
import type { TraceEvent } from '../../diagnose/types.js';
import { type DataOf, traceEvent } from '../../events/index.js';
import type { ItemMetrics } from '../../events/session.js';
import { emptyStats, type LogParse, type LogParseOptions, parseLogStream } from './index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A key in snake_case (Python, agents-js >= 1.4.10) or camelCase (agents-js before). */
const field = (o: Obj, snake: string): unknown => o[snake] ?? o[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];

/** Whether a parsed JSON value is a session report: job_id, room, events[] and chat_history (or their camelCase forms). */
export function isSessionReport(v: unknown): v is Obj {
  if (!isObj(v)) return false;
  return field(v, 'job_id') !== undefined && field(v, 'room') !== undefined && Array.isArray(field(v, 'events')) && isObj(field(v, 'chat_history'));
}

/** Epoch ms of a report time: seconds (Python, chat items) or milliseconds (agents-js events). */
export function reportTimeMs(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return undefined;
  return v > 1e11 ? v : v * 1000;
}

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Chat message metrics with camelCase keys (the lk.agent.session names: e2eLatency, llmNodeTtft, …), seconds as written. */
function metricsOf(v: unknown): ItemMetrics | undefined {
  if (!isObj(v)) return undefined;
  const out: ItemMetrics = {};
  for (const [k, x] of Object.entries(v)) out[camel(k)] = x;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The text of a chat message's content (strings; other parts such as audio or images are left out). */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((c) => (typeof c === 'string' ? c : isObj(c) ? str(c.text) : undefined)).filter((s): s is string => s !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * An error as the report wrote it: a dict (Python model_dump, agents-js snake-cased) or a string
 * (Python repr, agents-js Error.message). Python's LLMError / RealtimeModelError exclude the exception
 * itself (`error: Exception = Field(..., exclude=True)`, llm/realtime.py 1.8.9 l.50-56): the report
 * then has only its type and label, and says so.
 */
function errorText(e: unknown): string | undefined {
  if (e === null || e === undefined) return undefined;
  if (typeof e === 'string') return e;
  if (!isObj(e)) return String(e);
  const msg = str(e.message) ?? str(e.error) ?? (isObj(e.error) ? str(e.error.message) : undefined);
  const kind = str(e.type);
  const label = str(e.label);
  if (msg) return kind ? `${kind}: ${msg}` : msg;
  if (kind || label) return `${[kind, label].filter(Boolean).join(' from ')} (the session report keeps no error message)`;
  return JSON.stringify(e);
}

const R = 'report' as const;

/** A chat message item as conversation.item data. */
function itemData(item: Obj): DataOf<'conversation.item'> {
  const text = textOf(item.content);
  const metrics = metricsOf(item.metrics);
  const role = str(item.role);
  return {
    ...(role ? { role } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(typeof item.interrupted === 'boolean' ? { interrupted: item.interrupted } : {}),
    ...(metrics ? { metrics } : {}),
  };
}

/** from/to of a state change. */
function stateData(e: Obj): { from?: string; to?: string } {
  const from = str(field(e, 'old_state'));
  const to = str(field(e, 'new_state'));
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function errorEvent(e: Obj, t: number): TraceEvent<'agent.error'> {
  const err = e.error;
  const recoverable = isObj(err) && typeof err.recoverable === 'boolean' ? err.recoverable : undefined;
  const by = isObj(e.source) ? [str(e.source.provider), str(e.source.model)].filter(Boolean).join(' ') : str(e.source);
  return traceEvent(t, R, 'agent.error', {
    message: errorText(err) ?? 'error',
    ...(recoverable !== undefined ? { recoverable } : {}),
    ...(by ? { by } : {}),
  });
}

/** One report event as a trace event; undefined for what carries no fact of its own (metrics, usage updates). */
function eventOut(e: Obj, t: number): TraceEvent | undefined {
  const type = str(e.type) ?? 'unknown';
  switch (type) {
    case 'agent_state_changed':
      return traceEvent(t, R, 'agent.state', stateData(e));
    case 'user_state_changed':
      return traceEvent(t, R, 'user.state', stateData(e));
    case 'user_input_transcribed':
      return traceEvent(t, R, 'user.transcript', { transcript: str(e.transcript) ?? '', final: field(e, 'is_final') === true });
    case 'agent_false_interruption':
      return traceEvent(t, R, 'agent.false-interruption', typeof e.resumed === 'boolean' ? { resumed: e.resumed } : {});
    case 'overlapping_speech':
      return traceEvent(t, R, 'agent.overlapping-speech', { isInterruption: field(e, 'is_interruption') === true });
    case 'error':
      return errorEvent(e, t);
    case 'close': {
      const error = errorText(e.error);
      const reason = str(e.reason);
      return traceEvent(t, R, 'agent.session-closed', { ...(reason ? { reason } : {}), ...(error ? { error } : {}) });
    }
    case 'metrics_collected':
    case 'session_usage_updated':
      return undefined;
    default:
      return traceEvent(t, R, 'session.other', { case: type });
  }
}

/** The chat messages of chat_history (type message), at the time the item was added when an event says so. */
function historyOut(doc: Obj, addedAt: ReadonlyMap<string, number>, fallback: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const item of historyItems(doc)) {
    if (item.type !== undefined && item.type !== 'message') continue;
    const id = str(item.id);
    const t = (id ? addedAt.get(id) : undefined) ?? reportTimeMs(field(item, 'created_at')) ?? fallback;
    out.push(traceEvent(t, R, 'conversation.item', itemData(item)));
  }
  return out;
}

function historyItems(doc: Obj): Obj[] {
  const history = field(doc, 'chat_history');
  return isObj(history) && Array.isArray(history.items) ? history.items.filter(isObj) : [];
}

/**
 * The trace events of a session report (source `report`), in time order. Chat messages come from
 * chat_history (their final metrics), at the time their conversation_item_added event was recorded;
 * a conversation_item_added whose item is not in chat_history (a report written without it) is kept.
 */
export function sessionReportEvents(doc: Obj): TraceEvent[] {
  const events = (field(doc, 'events') as unknown[]).filter(isObj);
  const fallback = reportTimeMs(doc.timestamp) ?? 0;
  const inHistory = new Set(historyItems(doc).map((i) => str(i.id)));
  const addedAt = new Map<string, number>();
  const out: TraceEvent[] = [];
  let lastT = fallback;
  for (const e of events) {
    const t = reportTimeMs(field(e, 'created_at')) ?? lastT;
    lastT = t;
    if (e.type === 'conversation_item_added') {
      const item = isObj(e.item) ? e.item : {};
      const id = str(item.id);
      if (id && inHistory.has(id)) addedAt.set(id, t);
      else if (item.type === undefined || item.type === 'message') out.push(traceEvent(t, R, 'conversation.item', itemData(item)));
      continue;
    }
    const o = eventOut(e, t);
    if (o) out.push(o);
  }
  const messages = historyOut(doc, addedAt, fallback);
  out.push(...messages);
  // a stable sort: events of one instant keep the report's order
  const sorted = out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map(({ e }) => e);
  // the header at the session's start: its first event, else its first chat item of any type (an agent
  // handoff opens every session), else the time the report was written
  const itemTimes = historyItems(doc).map((i) => reportTimeMs(field(i, 'created_at')) ?? Infinity);
  const start = Math.min(sorted[0]?.t ?? Infinity, ...itemTimes);
  return [headerEvent(doc, Number.isFinite(start) ? start : fallback, events.length, messages.length), ...sorted];
}

/** The report's own header (agent.session-report), at its first event. */
function headerEvent(doc: Obj, t: number, events: number, messages: number): TraceEvent<'agent.session-report'> {
  const jobId = str(field(doc, 'job_id'));
  const room = str(doc.room);
  const sdkVersion = str(field(doc, 'sdk_version'));
  const closeReason = str(field(doc, 'close_reason'));
  return traceEvent(t, R, 'agent.session-report', {
    ...(jobId ? { jobId } : {}),
    ...(room ? { room } : {}),
    ...(sdkVersion ? { sdkVersion } : {}),
    events,
    messages,
    ...(closeReason ? { closeReason } : {}),
  });
}

/**
 * How a session report starts: its first key is job_id (Python to_dict and agents-js
 * sessionReportToJSON both write it first). A JSON-lines log whose records carry job_id (Python's job
 * context fields) starts with "message", so it is never held back to be parsed whole.
 */
const REPORT_START = /^\uFEFF?\s*\{\s*"(job_id|jobId)"\s*:/;
/**
 * Whether the input's start is a session report's (`{"job_id":`), a log's, or not yet known
 * (only whitespace, or the start of `{"job_id"` so far); `final` when nothing more will come.
 */
export function startVerdict(start: string, final = false): 'report' | 'log' | undefined {
  if (REPORT_START.test(start)) return 'report';
  const t = start.replace(/^\uFEFF/, '').trimStart();
  if (t === '') return final ? 'log' : undefined;
  if (t[0] !== '{') return 'log';
  const rest = t.slice(1).trimStart();
  if (rest === '') return final ? 'log' : undefined;
  const key = rest.slice(0, 8); // `"job_id"` / `"jobId":` so far
  const maybe = ['"job_id"', '"jobId"'].some((k) => k.startsWith(key) || key.startsWith(k));
  return maybe && !final && rest.length < 12 ? undefined : 'log';
}

/** How much of a stream is read to decide whether it is one JSON document. */
const SNIFF_BYTES = 64 * 1024;
/** A session report larger than this is not read whole (a JSON-lines log that large is read line by line). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * A parse that reads a session report when the input is one, else the input as a log
 * (parseLogStream). The input is a session report when it starts with `{"job_id":` (REPORT_START),
 * is one JSON document of at most MAX_REPORT_BYTES, and has the report's keys; anything else
 * (JSON lines, a cut-off report) is read as a log, unchanged.
 */
export function parseLogOrReport(input: AsyncIterable<Buffer | string>, opts: LogParseOptions = {}): LogParse {
  let delegate: LogParse | undefined;
  const reportStats = emptyStats();

  async function* batches(): AsyncGenerator<TraceEvent[]> {
    const it = input[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let size = 0;
    let done = false;
    // read only as far as the first key: a live log is handed on at once
    let verdict: 'report' | 'log' | undefined;
    while (verdict === undefined && size < SNIFF_BYTES) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      head.push(b);
      size += b.length;
      verdict = startVerdict(Buffer.concat(head).toString('utf8', 0, Math.min(size, SNIFF_BYTES)));
    }
    if (verdict === undefined) verdict = startVerdict(Buffer.concat(head).toString('utf8'), true);
    if (verdict === 'report') {
      while (!done && size <= MAX_REPORT_BYTES) {
        const r = await it.next();
        if (r.done) done = true;
        else {
          const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
          head.push(b);
          size += b.length;
        }
      }
      const doc = done ? parseDocument(Buffer.concat(head).toString('utf8')) : undefined;
      if (doc !== undefined) {
        yield* reportBatches(doc, reportStats, Buffer.concat(head).toString('utf8'));
        return;
      }
    }
    async function* replay(): AsyncGenerator<Buffer> {
      yield* head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      }
    }
    delegate = parseLogStream(replay(), opts);
    yield* delegate.batches();
  }

  return {
    get stats() {
      return delegate?.stats ?? reportStats;
    },
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

function parseDocument(text: string): Obj | undefined {
  try {
    const v: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return isSessionReport(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function* reportBatches(doc: Obj, stats: ReturnType<typeof emptyStats>, text: string): Generator<TraceEvent[]> {
  const events = sessionReportEvents(doc);
  stats.lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  stats.recognised = stats.lines;
  stats.formats['session-report'] = 1;
  stats.events = events.length;
  const ts = events.map((e) => e.t);
  if (ts.length > 0) {
    stats.firstT = Math.min(...ts);
    stats.lastT = Math.max(...ts);
  }
  yield events;
}
