import { randomBytes } from 'node:crypto';
import type { SessionUpdateEvent as BetaSessionUpdate } from 'openai/resources/beta/realtime/realtime';
import type { RealtimeClientEvent, RealtimeServerEvent, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import WebSocket from 'ws';
import type { TraceEvent } from '../diagnose/types.js';
import { realtimeTraceEvent } from '../protocol/realtime-events.js';
import { now } from './clock.js';

export type ApiShape = 'ga' | 'beta';
export type TurnDetection = 'server_vad' | 'semantic_vad' | 'none';
export type ProbeCheck = 'double-response' | 'truncate-zero' | 'barge-in';
export const PROBE_CHECKS: readonly ProbeCheck[] = ['double-response', 'truncate-zero', 'barge-in'];

export interface ProbeOptions {
  url: URL;
  apiKey: string;
  api: ApiShape;
  model: string;
  voice: string;
  temperature?: number;
  turnDetection: TurnDetection;
  /** Bound for every step, ms. */
  stepTimeoutMs: number;
  /** The user's turn: text, or 24 kHz mono PCM16 audio. */
  text: string;
  audio?: Int16Array;
  /** Speech used to barge in (24 kHz mono PCM16). */
  bargeInAudio?: Int16Array;
  check?: ProbeCheck;
  signal?: AbortSignal;
  onEvent?: (e: TraceEvent) => void;
}

export interface ProbeRun {
  events: TraceEvent[];
  interrupted: boolean;
}

const hex = (n: number) => randomBytes(n).toString('hex').slice(0, n);
const CHUNK_BYTES = 4800; // 100 ms of 24 kHz PCM16, as LiveKit sends

/** What the probe sends: GA client events (openai SDK types), or the retired beta session.update. */
type ClientEvent = RealtimeClientEvent | BetaSessionUpdate;

function sessionUpdate(o: ProbeOptions): SessionUpdateEvent | BetaSessionUpdate {
  const td =
    o.turnDetection === 'none'
      ? null
      : o.turnDetection === 'server_vad'
        ? { type: 'server_vad' as const, create_response: false, interrupt_response: true, threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 }
        : { type: 'semantic_vad' as const, create_response: false, interrupt_response: true, eagerness: 'medium' as const };
  const event_id = `session_update_${hex(12)}`;
  if (o.api === 'beta') {
    const beta: BetaSessionUpdate = {
      type: 'session.update',
      event_id,
      session: {
        // The SDK types list the known preview models; any name may be probed (an unknown one is a finding).
        model: o.model as NonNullable<BetaSessionUpdate['session']['model']>,
        voice: o.voice,
        modalities: ['text', 'audio'],
        input_audio_format: 'pcm16',
        output_audio_format: 'pcm16',
        // null disables turn detection on the wire; the SDK type only models the object form.
        turn_detection: td as unknown as BetaSessionUpdate['session']['turn_detection'],
        temperature: o.temperature ?? 0.8,
        tool_choice: 'auto',
        max_response_output_tokens: 'inf',
      },
    };
    return beta;
  }
  return {
    type: 'session.update',
    event_id,
    session: {
      type: 'realtime',
      model: o.model,
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: td },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: o.voice },
      },
      max_output_tokens: 'inf',
      tool_choice: 'auto',
      // GA has no temperature (so the type has none): sending one is exactly what a user asking for it
      // would see rejected, which is the point of --temperature on GA.
      ...(o.temperature !== undefined ? ({ temperature: o.temperature } as object) : {}),
    },
  };
}

type Msg = Record<string, unknown> & { type: string };

/**
 * Runs the probe once: upgrade → session.created → session.update/updated → user turn →
 * response.create → response.created → first audio → first transcript → response.done → close.
 * Everything observed becomes a TraceEvent; interpretation is left to the rules.
 */
export async function runProbe(o: ProbeOptions): Promise<ProbeRun> {
  const events: TraceEvent[] = [];
  interface Waiter {
    match: (e: TraceEvent) => boolean;
    until: (e: TraceEvent) => boolean;
    resolve: (e: TraceEvent | undefined) => void;
    timer: NodeJS.Timeout;
  }
  const waiters = new Set<Waiter>();
  let closed = false;
  let interrupted = false;
  const push = (e: TraceEvent) => {
    events.push(e);
    o.onEvent?.(e);
    for (const w of [...waiters]) {
      if (w.match(e) || w.until(e)) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(w.match(e) ? e : undefined);
      }
    }
  };
  const probeEvent = (kind: string, data: Record<string, unknown>) => push({ t: now(), source: 'probe', kind, data });
  const terminal = (e: TraceEvent) => e.kind === 'probe.close' || e.kind === 'probe.connect.error' || e.kind === 'probe.interrupted';

  /**
   * Resolves with the first matching event seen since `since` (or arriving later), or undefined when
   * the connection ends, `until` matches, or the bound passes. Only a bound the API failed to meet
   * (`step` given) is recorded as a probe.timeout event.
   */
  const waitFor = (
    step: string | undefined,
    match: (e: TraceEvent) => boolean,
    since: number,
    opts: { bound?: number; until?: (e: TraceEvent) => boolean } = {},
  ): Promise<TraceEvent | undefined> => {
    const seen = events.find((e) => e.t >= since && match(e));
    if (seen) return Promise.resolve(seen);
    if (closed || interrupted) return Promise.resolve(undefined);
    const bound = opts.bound ?? o.stepTimeoutMs;
    return new Promise((resolve) => {
      const w: Waiter = {
        match,
        until: (e) => terminal(e) || (opts.until?.(e) ?? false),
        resolve,
        timer: setTimeout(() => {
          waiters.delete(w);
          if (step) probeEvent('probe.timeout', { step, boundMs: bound });
          resolve(undefined);
        }, bound),
      };
      waiters.add(w);
    });
  };

  const headers: Record<string, string> = { Authorization: `Bearer ${o.apiKey}`, 'User-Agent': 'lkdiag' };
  if (o.api === 'beta') headers['OpenAI-Beta'] = 'realtime=v1';
  probeEvent('probe.upgrade.request', { url: o.url.toString(), api: o.api, headers: Object.keys(headers) });
  const ws = new WebSocket(o.url, { headers, handshakeTimeout: o.stepTimeoutMs });

  const send = (event: ClientEvent) => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(event));
    push(realtimeTraceEvent(now(), 'probe', 'client', event as unknown as Record<string, unknown>));
    return true;
  };

  ws.on('upgrade', (res) => probeEvent('probe.upgrade.response', { status: res.statusCode ?? 101 }));
  ws.on('unexpected-response', (_req, res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    const finish = () => {
      probeEvent('probe.upgrade.response', { status: res.statusCode, statusMessage: res.statusMessage, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) });
      closed = true;
      probeEvent('probe.close', { code: 1006, reason: `HTTP ${res.statusCode}`, by: 'server' });
      ws.terminate();
    };
    res.on('end', finish);
    res.on('error', finish);
  });
  ws.on('error', (err: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    probeEvent('probe.connect.error', { code: err.code ?? 'ERROR', message: err.message });
  });
  ws.on('message', (raw) => {
    let msg: RealtimeServerEvent;
    try {
      msg = JSON.parse(raw.toString()) as RealtimeServerEvent;
    } catch {
      probeEvent('probe.protocol.error', { message: 'non-JSON message from server', bytes: String(raw).length });
      return;
    }
    push(realtimeTraceEvent(now(), 'openai', 'server', msg as unknown as Record<string, unknown>));
  });
  ws.on('close', (code, reason) => {
    if (closed) return;
    closed = true;
    probeEvent('probe.close', { code, reason: reason.toString(), by: closing ? 'client' : 'server' });
  });
  let closing = false;

  const onAbort = () => {
    interrupted = true;
    probeEvent('probe.interrupted', {});
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const isServer = (type: string) => (e: TraceEvent) => e.kind === `openai.${type}` && e.data['direction'] === 'server';
  const errorFor = (eventId: string) => (e: TraceEvent) =>
    isServer('error')(e) && ((e.data['event'] as Msg)['error'] as Record<string, unknown> | undefined)?.['event_id'] === eventId;

  try {
    const t0 = now();
    const opened = await waitFor('upgrade', (e) => e.kind === 'probe.upgrade.response' && e.data['status'] === 101, t0);
    if (!opened) return { events, interrupted };
    if (!(await waitFor('session.created', isServer('session.created'), t0))) return { events, interrupted };

    const update = sessionUpdate(o);
    const tu = now();
    send(update);
    const updated = await waitFor('session.updated', (e) => isServer('session.updated')(e) || errorFor(String(update.event_id))(e), tu);
    if (!updated || closed) return { events, interrupted };

    // The user's turn.
    if (o.audio && o.audio.length > 0) {
      const bytes = Buffer.from(o.audio.buffer, o.audio.byteOffset, o.audio.byteLength);
      const ta = now();
      for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
        send({ type: 'input_audio_buffer.append', audio: bytes.subarray(off, off + CHUNK_BYTES).toString('base64') });
      }
      if (o.turnDetection !== 'none') {
        // Trailing silence lets server VAD end the turn; commit ourselves if it does not.
        const silence = Buffer.alloc(CHUNK_BYTES);
        for (let i = 0; i < 8; i++) send({ type: 'input_audio_buffer.append', audio: silence.toString('base64') });
        const committed = await waitFor(undefined, isServer('input_audio_buffer.committed'), ta, { bound: Math.min(o.stepTimeoutMs, 1500) });
        if (!committed) send({ type: 'input_audio_buffer.commit', event_id: `commit_${hex(12)}` });
      } else {
        send({ type: 'input_audio_buffer.commit', event_id: `commit_${hex(12)}` });
      }
    } else {
      const itemId = `item_${hex(12)}`;
      const ti = now();
      send({
        type: 'conversation.item.create',
        event_id: `chat_ctx_create_${hex(12)}`,
        previous_item_id: 'root',
        item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_text', text: o.text }] },
      });
      await waitFor('conversation.item.added', (e) => isServer('conversation.item.added')(e) && ((e.data['event'] as Msg)['item'] as Record<string, unknown> | undefined)?.['id'] === itemId, ti);
    }
    if (closed) return { events, interrupted };

    const id = `response_create_${hex(12)}`;
    const tr = now();
    send({ type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
    if (o.check === 'double-response') {
      send({ type: 'response.create', event_id: `response_create_${hex(12)}`, response: { metadata: { client_event_id: 'lkdiag-second' } } });
    }
    const created = await waitFor('response.created', (e) => isServer('response.created')(e) || errorFor(id)(e), tr);
    if (!created || created.kind === 'openai.error') return { events, interrupted };

    if (o.check === 'truncate-zero') {
      const added = await waitFor('response.output_item.added', isServer('response.output_item.added'), tr);
      const item = added ? ((added.data['event'] as Msg)['item'] as Record<string, unknown> | undefined) : undefined;
      if (item?.['id']) send({ type: 'conversation.item.truncate', event_id: `truncate_${hex(12)}`, item_id: String(item['id']), content_index: 0, audio_end_ms: 0 });
    }
    // No audio before response.done is not a timeout but a finding of its own (no-audio-output).
    const firstAudio = waitFor(undefined, (e) => e.kind === 'openai.response.output_audio.delta', tr, { until: isServer('response.done') });
    if (o.check === 'barge-in') {
      void firstAudio.then((e) => {
        if (!e || !o.bargeInAudio) return;
        const bytes = Buffer.from(o.bargeInAudio.buffer, o.bargeInAudio.byteOffset, o.bargeInAudio.byteLength);
        for (let off = 0; off < bytes.length; off += CHUNK_BYTES) send({ type: 'input_audio_buffer.append', audio: bytes.subarray(off, off + CHUNK_BYTES).toString('base64') });
      });
    }
    await waitFor('response.done', isServer('response.done'), tr);
    await firstAudio;
    return { events, interrupted };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    waiters.clear();
    if (!closed) {
      closing = true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(1000, 'probe done');
      });
    }
  }
}
