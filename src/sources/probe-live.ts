/**
 * The GPT-Live probe (`probe-openai --api live`): its own client of `/v1/live/sessions`, step by step —
 * upgrade → session.start/started → the user's audio → first output audio → input and output transcripts →
 * delegation (a backend function call answered, the continuation) → session.close/closed. Everything it
 * sees becomes a `live.*` / `probe.*` event on the Recorder; interpretation is left to the rules.
 *
 * Its delegation client gates each continuation on the response whose calls it answered (as LiveKit's
 * plugins did before livekit/agents#7266 and agents-js#2495): against a healthy service that is what any
 * client does; when a second backend response still has a call open, it is exactly the early
 * response.create the service refuses (live-early-continuation) or never answers (live-deadlock).
 */
import WebSocket from 'ws';
import type { TraceEvent } from '../diagnose/types.js';
import type { LiveCloseReasonName } from '../events/live.js';
import type { Step } from '../report/report.js';
import { now } from './clock.js';
import { ProbeSocket, runProbeSocket } from './probe-socket.js';
import { type Match, ofKind } from './recorder.js';

export interface LiveProbeOptions {
  url: URL;
  apiKey: string;
  /** Auth headers instead of `Authorization: Bearer <apiKey>` (Azure's api-key). */
  headers?: Record<string, string>;
  model: string;
  voice: string;
  /** Bound for every step, ms. */
  stepTimeoutMs: number;
  /** The user's turn, 24 kHz mono PCM16. */
  audio: Int16Array;
  signal?: AbortSignal;
  onEvent?: (e: TraceEvent) => void;
}

export interface LiveProbeRun {
  events: TraceEvent[];
  interrupted: boolean;
}

export const LIVE_PROBE_TOOL = {
  type: 'function',
  name: 'lkdiag_probe',
  description: 'Returns a fixed answer; lkdiag uses it to see a delegated call answered.',
  parameters: { type: 'object', properties: {}, required: [] },
};
export const LIVE_BACKEND_MODEL = 'gpt-5.6-luna';
const CHUNK_BYTES = 4800; // 100 ms of 24 kHz PCM16, as GPTLiveSession sends (gpt_live.py:431-433)
const TRAILING_SILENCE_CHUNKS = 15;
/** How long to wait for the model to delegate at all (not every turn is delegated). */
const DELEGATION_WAIT_MS = 5000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const CLOSE_REASONS: readonly string[] = ['close_requested', 'expired', 'content', 'remote_hangup', 'connection_lost'];

const terminal: Match = (e) =>
  e.kind === 'probe.close' || e.kind === 'probe.connect.error' || e.kind === 'probe.interrupted' || e.kind === 'live.session.closed';

export async function runLiveProbe(o: LiveProbeOptions): Promise<LiveProbeRun> {
  return runProbeSocket(new LiveProbe(o), o.signal);
}

/** One GPT-Live connection: the socket (ProbeSocket) and the steps of the exchange. */
class LiveProbe extends ProbeSocket {
  private lastWasAudio = false;
  private counter = 0;
  /** Delegation → its running responses, oldest first, each with its calls; calls without an output. */
  private readonly running = new Map<string | null, string[][]>();
  private readonly open = new Set<string>();

  constructor(private readonly o: LiveProbeOptions) {
    super(o, 'live');
  }

  /** Ends the waits and the recording, then closes the socket (bounded: terminated after 1 s). */
  async close(): Promise<void> {
    this.rec.close();
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await this.endSocket();
  }

  protected onMessage(message: unknown): void {
    this.onServerEvent(obj(message));
  }

  /** A server event as the `live.*` fact it is (acknowledgements are not recorded). */
  private onServerEvent(m: Json): void {
    const type = optStr(m.type) ?? '';
    const wasAudio = this.lastWasAudio;
    // a burst is the deltas between other events (transcripts ride along with the audio)
    if (!type.endsWith('_transcript.delta')) this.lastWasAudio = type === 'session.output_audio.delta';
    const r = (e: TraceEvent): void => this.rec.emit(e);
    const t = now();
    switch (type) {
      case 'session.started':
        r({ t, source: 'openai', kind: 'live.session.started', data: { sessionId: optStr(obj(m.session).id) } });
        return;
      case 'session.output_audio.delta':
        if (!wasAudio) r({ t, source: 'openai', kind: 'live.output.audio', data: { bytes: Buffer.byteLength(optStr(m.delta) ?? '', 'base64') } });
        return;
      case 'session.input_transcript.delta':
      case 'session.output_transcript.delta':
        r({
          t,
          source: 'openai',
          kind: 'live.transcript',
          data: {
            role: type.startsWith('session.input') ? 'user' : 'assistant',
            delta: optStr(m.delta) ?? '',
            startMs: optNum(m.start_ms),
            endMs: optNum(m.end_ms),
          },
        });
        return;
      case 'session.delegation.created': {
        const d = obj(m.delegation);
        const target = d.target === 'client' || d.target === 'responses' ? d.target : undefined;
        r({ t, source: 'openai', kind: 'live.delegation.created', data: { id: optStr(d.id), target } });
        return;
      }
      case 'response.event':
        this.onResponseEvent(m, t);
        return;
      case 'session.usage.updated':
        r({
          t,
          source: 'openai',
          kind: 'live.usage',
          data: { seconds: optNum(obj(m.usage).seconds) ?? 0, usageRatio: optNum(obj(m.context_window).usage_ratio) },
        });
        return;
      case 'session.closed': {
        const reason = typeof m.reason === 'string' && CLOSE_REASONS.includes(m.reason) ? (m.reason as LiveCloseReasonName) : null;
        r({ t, source: 'openai', kind: 'live.session.closed', data: { reason, seconds: optNum(obj(m.usage).seconds) } });
        return;
      }
      case 'error': {
        const e = obj(m.error);
        r({
          t,
          source: 'openai',
          kind: 'live.error',
          data: {
            code: optStr(e.code) ?? null,
            type: optStr(e.type) ?? null,
            message: optStr(e.message) ?? '',
            param: optStr(e.param) ?? null,
            clientEventId: optStr(e.client_event_id) ?? null,
          },
        });
        return;
      }
    }
  }

  /** Records the backend event and plays the delegation client (per-response gating). */
  private onResponseEvent(m: Json, t: number): void {
    const d = optStr(m.delegation_id) ?? null;
    const ev = obj(m.event);
    const type = optStr(ev.type) ?? '';
    const item = obj(ev.item);
    const isCall = type === 'response.output_item.done' && item.type === 'function_call';
    this.rec.emit({
      t,
      source: 'openai',
      kind: 'live.response.event',
      data: { delegationId: d, type, ...(isCall ? { callId: optStr(item.call_id), name: optStr(item.name), status: optStr(item.status) } : {}) },
    });
    const queue = this.running.get(d) ?? [];
    this.running.set(d, queue);
    if (type === 'response.created') queue.push([]);
    else if (isCall && item.status === 'completed' && typeof item.call_id === 'string') {
      queue.at(-1)?.push(item.call_id);
      this.open.add(item.call_id);
    } else if (type === 'response.completed') this.answer(queue.shift() ?? []);
    else if (type === 'response.failed' || type === 'response.incomplete') for (const c of queue.shift() ?? []) this.open.delete(c);
  }

  /** The outputs of one response's calls, then one response.create (whatever else is still open). */
  private answer(calls: string[]): void {
    if (calls.length === 0) return;
    for (const callId of calls) {
      this.open.delete(callId);
      this.send(
        {
          type: 'response.item.create',
          event_id: this.id('tool_output'),
          item: { type: 'function_call_output', call_id: callId, output: '{"answer":"lkdiag probe result"}' },
        },
        { callId },
      );
    }
    this.send({ type: 'response.create', event_id: this.id('response_create') }, { openCalls: [...this.open] });
  }

  private id(prefix: string): string {
    return `${prefix}_${++this.counter}`;
  }

  private send(event: Json, extra: { openCalls?: string[]; callId?: string; voice?: string; delegation?: 'responses' | 'client' } = {}): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(event));
    if (event.type !== 'session.input_audio.append') this.rec.record('live.client', { type: String(event.type), eventId: optStr(event.event_id), ...extra });
    return true;
  }

  private waitFor(step: string | undefined, match: Match, since: number, bound = this.o.stepTimeoutMs): Promise<TraceEvent | undefined> {
    const seen = this.rec.find(match, since);
    if (seen) return Promise.resolve(seen);
    if (this.closed || this.interrupted) return Promise.resolve(undefined);
    return this.rec.waitFor(match, bound, {
      futureOnly: true,
      until: (e) => terminal(e) && !match(e),
      ...(step ? { timeout: { kind: 'probe.timeout', data: { step, boundMs: bound } } } : {}),
    });
  }

  private get ended(): boolean {
    return this.closed || this.interrupted || this.rec.find(ofKind('live.session.closed')) !== undefined;
  }

  async run(): Promise<void> {
    if (!(await this.start())) return;
    await this.userTurn();
    if (this.ended) return;
    await this.delegation();
    if (this.ended) return;
    const tc = now();
    this.send({ type: 'session.close', event_id: this.id('session_close') });
    await this.waitFor('session.closed', ofKind('live.session.closed'), tc);
  }

  /** upgrade → session.start → session.started (or its error). */
  private async start(): Promise<boolean> {
    const t0 = now();
    if (!(await this.waitFor('upgrade', (e) => e.kind === 'probe.upgrade.response' && e.data.status === 101, t0))) return false;
    const ts = now();
    this.send(
      {
        type: 'session.start',
        event_id: this.id('session_start'),
        session: {
          model: this.o.model,
          instructions: 'You are lkdiag, a diagnostic probe. Answer briefly.',
          audio: { format: { type: 'audio/pcm', rate: 24000 }, output: { voice: this.o.voice } },
          delegation: { type: 'responses', responses: { model: LIVE_BACKEND_MODEL, tools: [LIVE_PROBE_TOOL] } },
        },
      },
      { voice: this.o.voice, delegation: 'responses' },
    );
    const started = await this.waitFor('session.started', (e) => e.kind === 'live.session.started' || e.kind === 'live.error', ts);
    return started?.kind === 'live.session.started' && !this.ended;
  }

  /** The user's audio, then silence so the service's turn detection ends the turn; then what it said. */
  private async userTurn(): Promise<void> {
    const bytes = Buffer.from(this.o.audio.buffer, this.o.audio.byteOffset, this.o.audio.byteLength);
    const ta = now();
    for (let off = 0; off < bytes.length; off += CHUNK_BYTES)
      this.send({ type: 'session.input_audio.append', audio: bytes.subarray(off, off + CHUNK_BYTES).toString('base64') });
    const silence = Buffer.alloc(CHUNK_BYTES).toString('base64');
    for (let i = 0; i < TRAILING_SILENCE_CHUNKS; i++) this.send({ type: 'session.input_audio.append', audio: silence });
    await this.waitFor(
      'input-transcript',
      ofKind('live.transcript', (e) => e.data.role === 'user'),
      ta,
    );
    await this.waitFor('first-audio', ofKind('live.output.audio'), ta);
    await this.waitFor(
      'output-transcript',
      ofKind('live.transcript', (e) => e.data.role === 'assistant'),
      ta,
    );
  }

  /** A delegation, if the model makes one: its call answered, the continuation created and spoken. */
  private async delegation(): Promise<void> {
    const td = now() - this.o.stepTimeoutMs; // a delegation may already have come with the reply
    const d = await this.waitFor(undefined, ofKind('live.delegation.created'), td, Math.min(DELEGATION_WAIT_MS, this.o.stepTimeoutMs));
    if (d?.kind !== 'live.delegation.created' || d.data.target !== 'responses') return;
    // the first backend response.created recorded after a response.create (by order: they can share a millisecond)
    const isContinuation: Match = (e) => {
      if (e.kind !== 'live.response.event' || e.data.type !== 'response.created') return false;
      const at = this.rec.events.indexOf(e);
      return this.rec.events.some((c, i) => c.kind === 'live.client' && c.data.type === 'response.create' && (at < 0 || i < at));
    };
    const created = await this.waitFor('continuation', isContinuation, d.t);
    if (!created) return;
    const spoken = await this.waitFor(
      'continuation-spoken',
      ofKind('live.transcript', (e) => e.data.role === 'assistant'),
      created.t,
    );
    // let the answer finish (the service reports usage after speaking) before closing; not a step of its own
    if (spoken) await this.waitFor(undefined, ofKind('live.usage'), spoken.t, Math.min(this.o.stepTimeoutMs, 5000));
  }
}

/** The live probe's steps and timings, each from the request it answers. */
export function liveSteps(events: readonly TraceEvent[]): Step[] {
  const find = (pred: (e: TraceEvent) => boolean, after = -Infinity) => events.find((e) => e.t >= after && pred(e));
  const timedOut = (step: string) => events.some((e) => e.kind === 'probe.timeout' && e.data.step === step);
  const steps: Step[] = [];
  const add = (name: string, from: TraceEvent | undefined, to: TraceEvent | undefined, failed?: string, optional = false) => {
    if (to && !failed) steps.push({ name, ms: Math.round((to.t - (from?.t ?? to.t)) * 10) / 10, ok: true, status: 'ok' });
    else if (failed) steps.push({ name, ok: false, status: 'failed', detail: failed });
    else if (timedOut(name)) steps.push({ name, ok: false, status: 'timeout' });
    else if (!from || optional || steps.some((s) => s.status !== 'ok')) steps.push({ name, ok: false, status: 'skipped' });
    else steps.push({ name, ok: false, status: 'failed', detail: 'did not happen' });
  };
  const req = find((e) => e.kind === 'probe.upgrade.request');
  const up = find((e) => e.kind === 'probe.upgrade.response');
  const upStatus = up?.kind === 'probe.upgrade.response' ? up.data.status : undefined;
  const connErr = find((e) => e.kind === 'probe.connect.error');
  add(
    'upgrade',
    req,
    up,
    connErr?.kind === 'probe.connect.error' ? connErr.data.code : upStatus !== undefined && upStatus !== 101 ? `HTTP ${upStatus}` : undefined,
  );
  const start = find((e) => e.kind === 'live.client' && e.data.type === 'session.start');
  const startErr = start && find((e) => e.kind === 'live.error', start.t);
  add(
    'session.started',
    start,
    find((e) => e.kind === 'live.session.started'),
    startErr?.kind === 'live.error' && !find((e) => e.kind === 'live.session.started') ? String(startErr.data.code) : undefined,
  );
  const started = find((e) => e.kind === 'live.session.started');
  add(
    'input-transcript',
    started,
    find((e) => e.kind === 'live.transcript' && e.data.role === 'user'),
  );
  add(
    'first-audio',
    started,
    find((e) => e.kind === 'live.output.audio'),
  );
  add(
    'output-transcript',
    started,
    find((e) => e.kind === 'live.transcript' && e.data.role === 'assistant'),
  );
  const deleg = find((e) => e.kind === 'live.delegation.created');
  add('delegation', started, deleg, undefined, true);
  const rcAt = events.findIndex((e) => e.kind === 'live.client' && e.data.type === 'response.create');
  const rc = events[rcAt];
  const cont = rc && events.slice(rcAt + 1).find((e) => e.kind === 'live.response.event' && e.data.type === 'response.created');
  add('continuation', rc, cont, undefined, !rc);
  const close = find((e) => e.kind === 'live.client' && e.data.type === 'session.close');
  const closed = find((e) => e.kind === 'live.session.closed');
  const reason = closed?.kind === 'live.session.closed' ? closed.data.reason : undefined;
  add('session.closed', close ?? started, closed, reason && reason !== 'close_requested' ? `reason ${reason}` : undefined);
  return steps;
}
