import { randomBytes } from 'node:crypto';
import type { SessionUpdateEvent as BetaSessionUpdate } from 'openai/resources/beta/realtime/realtime';
import type { RealtimeClientEvent, RealtimeServerEvent, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import WebSocket from 'ws';
import type { OpenAIEvent, TraceEvent } from '../diagnose/types.js';
import { errorOf } from '../diagnose/timeline.js';
import { isOpenAIEvent } from '../events/index.js';
import { realtimeTraceEvent } from '../protocol/realtime-events.js';
import { now } from './clock.js';
import { ProbeSocket, runProbeSocket } from './probe-socket.js';
import type { Guard, Match } from './recorder.js';

export type ApiShape = 'ga' | 'beta';
export type TurnDetection = 'server_vad' | 'semantic_vad' | 'none';
export type ProbeCheck = 'double-response' | 'truncate-zero' | 'barge-in';
export const PROBE_CHECKS: readonly ProbeCheck[] = ['double-response', 'truncate-zero', 'barge-in'];

export interface ProbeOptions {
  url: URL;
  apiKey: string;
  /** Auth headers instead of `Authorization: Bearer <apiKey>` (Azure's api-key / Entra token: protocol/providers.ts). */
  headers?: Record<string, string>;
  /** xAI wants voice and turn_detection as top-level session fields (livekit-plugins-xai _wrap_session_update). */
  dialect?: 'openai' | 'xai';
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

/**
 * The retired beta session.update as it goes on the wire: `turn_detection: null` disables turn
 * detection, which the SDK type (object form only) does not model.
 */
type BetaSession = BetaSessionUpdate['session'];
type BetaSessionUpdateWire = Omit<BetaSessionUpdate, 'session'> & {
  session: Omit<BetaSession, 'turn_detection'> & { turn_detection?: BetaSession['turn_detection'] | null };
};

/** What the probe sends: GA client events (openai SDK types), or the retired beta session.update. */
type ClientEvent = RealtimeClientEvent | BetaSessionUpdateWire;

type TurnDetectionConfig = NonNullable<NonNullable<NonNullable<SessionUpdateEvent['session']['audio']>['input']>['turn_detection']>;

function turnDetection(o: ProbeOptions): TurnDetectionConfig | null {
  if (o.turnDetection === 'none') return null;
  if (o.turnDetection === 'server_vad')
    return { type: 'server_vad', create_response: false, interrupt_response: true, threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 };
  return { type: 'semantic_vad', create_response: false, interrupt_response: true, eagerness: 'medium' };
}

function betaSessionUpdate(o: ProbeOptions, event_id: string, td: TurnDetectionConfig | null): BetaSessionUpdateWire {
  return {
    type: 'session.update',
    event_id,
    session: {
      // The SDK types list the known preview models; any name may be probed (an unknown one is a finding).
      model: o.model as NonNullable<BetaSession['model']>,
      voice: o.voice,
      modalities: ['text', 'audio'],
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      turn_detection: td,
      temperature: o.temperature ?? 0.8,
      tool_choice: 'auto',
      max_response_output_tokens: 'inf',
    },
  };
}

function sessionUpdate(o: ProbeOptions): SessionUpdateEvent | BetaSessionUpdateWire {
  const td = turnDetection(o);
  const event_id = `session_update_${hex(12)}`;
  if (o.api === 'beta') return betaSessionUpdate(o, event_id, td);
  if (o.dialect === 'xai') return xaiSessionUpdate(o, event_id, td);
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

/**
 * The session.update livekit-plugins-xai sends (realtime_model.py 206–231): `voice` and `turn_detection`
 * moved from audio.output / audio.input to the top of the session; the audio formats stay where they are.
 */
function xaiSessionUpdate(o: ProbeOptions, event_id: string, td: TurnDetectionConfig | null): SessionUpdateEvent {
  const session = {
    type: 'realtime' as const,
    model: o.model,
    output_modalities: ['audio' as const],
    voice: o.voice,
    turn_detection: td,
    audio: {
      input: { format: { type: 'audio/pcm' as const, rate: 24000 as const } },
      output: { format: { type: 'audio/pcm' as const, rate: 24000 as const } },
    },
  };
  return { type: 'session.update', event_id, session };
}

/** A server event of `type` the probe saw on the wire. */
const isServer =
  (type: string): Guard<OpenAIEvent> =>
  (e): e is OpenAIEvent =>
    isOpenAIEvent(e) && e.kind === `openai.${type}` && e.data.direction === 'server';

/** The `id` of the item a Realtime event carries (`event.item.id`). */
const itemIdOf = (e: OpenAIEvent): unknown => {
  const item = e.data.event['item'];
  return typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined;
};

/** The server's error event for the client event `eventId`. */
const errorFor =
  (eventId: string): Match =>
  (e) =>
    isServer('error')(e) && errorOf(e)?.event_id === eventId;

const terminal: Match = (e) => e.kind === 'probe.close' || e.kind === 'probe.connect.error' || e.kind === 'probe.interrupted';

/**
 * Runs the probe once: upgrade → session.created → session.update/updated → user turn →
 * response.create → response.created → first audio → first transcript → response.done → close.
 * Everything observed becomes a TraceEvent; interpretation is left to the rules.
 */
export async function runProbe(o: ProbeOptions): Promise<ProbeRun> {
  return runProbeSocket(new ProbeSession(o), o.signal);
}

/** One probe connection: the socket (ProbeSocket), what it recorded, and the steps of the exchange. */
class ProbeSession extends ProbeSocket {
  constructor(private readonly o: ProbeOptions) {
    super(o, o.api, o.api === 'beta' ? { 'OpenAI-Beta': 'realtime=v1' } : {});
  }

  protected onMessage(message: unknown): void {
    this.rec.emit(realtimeTraceEvent(now(), 'openai', 'server', { ...(message as RealtimeServerEvent) }));
  }

  private send(event: ClientEvent): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(event));
    this.rec.emit(realtimeTraceEvent(now(), 'probe', 'client', { ...event }));
    return true;
  }

  private sendAudio(samples: Int16Array) {
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
      this.send({ type: 'input_audio_buffer.append', audio: bytes.subarray(off, off + CHUNK_BYTES).toString('base64') });
    }
  }

  /**
   * The first matching event seen since `since` (or arriving later), or undefined when the connection
   * ends, `until` matches, or the bound passes. Only a bound the API failed to meet (`step` given) is
   * recorded as a probe.timeout event.
   */
  private waitFor(step: string | undefined, match: Match, since: number, opts: { bound?: number; until?: Match } = {}): Promise<TraceEvent | undefined> {
    const seen = this.rec.find(match, since);
    if (seen) return Promise.resolve(seen);
    if (this.closed || this.interrupted) return Promise.resolve(undefined);
    const bound = opts.bound ?? this.o.stepTimeoutMs;
    const until = opts.until;
    return this.rec.waitFor(match, bound, {
      futureOnly: true,
      until: until ? (e) => terminal(e) || until(e) : terminal,
      ...(step ? { timeout: { kind: 'probe.timeout', data: { step, boundMs: bound } } } : {}),
    });
  }

  /** The exchange, step by step; each step that fails ends it (the rules explain why). */
  async run(): Promise<void> {
    if (!(await this.handshake())) return;
    await this.userTurn();
    if (this.closed) return;
    await this.respond();
  }

  /** upgrade → session.created → session.update → session.updated (or its error). */
  private async handshake(): Promise<boolean> {
    const t0 = now();
    const opened = await this.waitFor('upgrade', (e) => e.kind === 'probe.upgrade.response' && e.data['status'] === 101, t0);
    if (!opened) return false;
    if (!(await this.waitFor('session.created', isServer('session.created'), t0))) return false;
    const update = sessionUpdate(this.o);
    const tu = now();
    this.send(update);
    const updated = await this.waitFor('session.updated', (e) => isServer('session.updated')(e) || errorFor(String(update.event_id))(e), tu);
    return !!updated && !this.closed;
  }

  /** The user's turn: audio (committed by server VAD, or by us), or a text message. */
  private async userTurn(): Promise<void> {
    const { o } = this;
    if (o.audio && o.audio.length > 0) {
      const ta = now();
      this.sendAudio(o.audio);
      if (o.turnDetection !== 'none') {
        // Trailing silence lets server VAD end the turn; commit ourselves if it does not.
        const silence = Buffer.alloc(CHUNK_BYTES);
        for (let i = 0; i < 8; i++) this.send({ type: 'input_audio_buffer.append', audio: silence.toString('base64') });
        const committed = await this.waitFor(undefined, isServer('input_audio_buffer.committed'), ta, { bound: Math.min(o.stepTimeoutMs, 1500) });
        if (!committed) this.send({ type: 'input_audio_buffer.commit', event_id: `commit_${hex(12)}` });
      } else {
        this.send({ type: 'input_audio_buffer.commit', event_id: `commit_${hex(12)}` });
      }
      return;
    }
    const itemId = `item_${hex(12)}`;
    const ti = now();
    this.send({
      type: 'conversation.item.create',
      event_id: `chat_ctx_create_${hex(12)}`,
      previous_item_id: 'root',
      item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_text', text: o.text }] },
    });
    await this.waitFor('conversation.item.added', (e) => isServer('conversation.item.added')(e) && itemIdOf(e) === itemId, ti);
  }

  /** response.create → response.created → first audio → response.done, with the --check reproductions. */
  private async respond(): Promise<void> {
    const { o } = this;
    const id = `response_create_${hex(12)}`;
    const tr = now();
    this.send({ type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
    if (o.check === 'double-response') {
      this.send({ type: 'response.create', event_id: `response_create_${hex(12)}`, response: { metadata: { client_event_id: 'lkdiag-second' } } });
    }
    const created = await this.waitFor('response.created', (e) => isServer('response.created')(e) || errorFor(id)(e), tr);
    if (!created || created.kind === 'openai.error') return;

    if (o.check === 'truncate-zero') {
      const added = await this.waitFor('response.output_item.added', isServer('response.output_item.added'), tr);
      const itemId = added && isOpenAIEvent(added) ? itemIdOf(added) : undefined;
      if (itemId)
        this.send({ type: 'conversation.item.truncate', event_id: `truncate_${hex(12)}`, item_id: String(itemId), content_index: 0, audio_end_ms: 0 });
    }
    // No audio before response.done is not a timeout but a finding of its own (no-audio-output).
    const firstAudio = this.waitFor(undefined, (e) => e.kind === 'openai.response.output_audio.delta', tr, { until: isServer('response.done') });
    if (o.check === 'barge-in') {
      void firstAudio.then((e) => {
        if (e && o.bargeInAudio) this.sendAudio(o.bargeInAudio);
      });
    }
    await this.waitFor('response.done', isServer('response.done'), tr);
    await firstAudio;
  }

  /** Ends the waits still open, then closes the socket (bounded: terminated after 1 s). */
  async close(): Promise<void> {
    this.rec.settleAll();
    if (this.closed) return;
    await this.endSocket('probe done');
  }
}
