/**
 * One GPT-Live WebSocket connection: session.start → session.started (nothing is accepted before it,
 * gpt_live.py:651-653), input audio with mute/unmute, energy-VAD turns (../vad.ts), spoken replies with
 * transcripts (./speech.ts), delegation to `responses` (./backend.ts) or `client`, usage, and
 * session.close → session.closed{close_requested}. Faults come from the `live-*` scenarios.
 */
import type { RawData, WebSocket } from 'ws';
import { base64ToPcm16 } from '../../audio/pcm.js';
import { newId } from '../ids.js';
import type { ConnectionRecord } from '../recording.js';
import type { LiveCloseReason, LiveEffects, ScenarioEffects } from '../scenarios.js';
import type { TranscriptOracle } from '../transcripts.js';
import { EnergyVad, thresholdToDb } from '../vad.js';
import { Backend, type BackendHost, type BackendTool } from './backend.js';
import { ACKS, FORBIDDEN_VOICES, LIVE_DEFAULTS, LIVE_MESSAGES, isLiveClientEvent } from './protocol.js';
import { type SpeechHost, speak } from './speech.js';

export interface LiveContext {
  pace: number;
  log: (line: string) => void;
  oracle: TranscriptOracle;
  onChange: () => void;
}

type Json = Record<string, unknown>;
const SR = 24000;
const REPLY_DELAY_MS = 300;
const ACK_DELAY_MS = 200;
export const FILLER = 'One moment, let me check.';
export const GREETING = 'Hello! How can I help you today?';

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export class LiveSession implements SpeechHost {
  private started = false;
  private closed = false;
  private muted = false;
  private startedAt = 0;
  private inputSamples = 0;
  private speechStartMs: number | null = null;
  private outputEndMs = 0;
  private replies = 0;
  private delegation: 'responses' | 'client' = 'responses';
  private backend: Backend;
  private clientDelegations = new Set<string>();
  private voiceQueue: Promise<unknown> = Promise.resolve();
  private readonly vad = new EnergyVad({ thresholdDb: thresholdToDb(0.5), prefixPaddingMs: 300, silenceMs: 500 });
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ws: WebSocket,
    readonly rec: ConnectionRecord,
    private readonly fx: ScenarioEffects,
    private readonly ctx: LiveContext,
  ) {
    this.backend = new Backend(this.backendHost(), LIVE_DEFAULTS.backendModel, []);
  }

  get pace(): number {
    return this.ctx.pace;
  }
  get live(): LiveEffects {
    return this.fx.live;
  }

  start(): void {
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('close', (code, reason) => this.onSocketClose(code, reason.toString()));
    this.ws.on('error', (err) => this.log(`socket error: ${err.message}`));
  }

  log(line: string): void {
    this.ctx.log(`[simulator ${this.rec.id} live] ${line}`);
  }

  timelineMs(): number {
    return Math.max(Math.round((this.inputSamples * 1000) / SR), this.outputEndMs);
  }

  send(event: Json): void {
    if (this.closed) return;
    const json = JSON.stringify(event);
    this.ws.send(json);
    const recorded = event.type === 'session.output_audio.delta' ? { type: event.type, delta_bytes: Buffer.byteLength(String(event.delta), 'base64') } : event;
    this.rec.serverEvents.push({ t: Date.now(), type: String(event.type), event: { type: String(event.type), ...recorded } });
    if (event.type === 'error') this.log(`error ${JSON.stringify(event.error)}`);
    this.ctx.onChange();
  }

  error(code: string, message: string, param: string | null, clientEventId: string | null): void {
    this.send({ type: 'error', error: { type: 'invalid_request_error', code, message, param, client_event_id: clientEventId } });
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Server shutdown. */
  dispose(): void {
    if (!this.closed) this.ws.terminate();
    this.teardown();
  }

  private teardown(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private onSocketClose(code: number, reason: string): void {
    this.rec.closeCode = code;
    this.rec.closeReason = reason;
    this.rec.closedAt = Date.now();
    this.log(`closed ${code}${reason ? ` ${reason}` : ''}`);
    this.teardown();
    this.ctx.onChange();
  }

  /** session.closed with its reason and the final usage, then a normal close. */
  closeWith(reason: 'close_requested' | 'remote_hangup' | LiveCloseReason): void {
    if (this.closed) return;
    this.send({ type: 'session.closed', reason, usage: this.usage() });
    this.log(`session.closed ${reason}`);
    this.ws.close(1000);
    this.teardown();
  }

  private usage(): Json {
    return { seconds: this.started ? Math.round((Date.now() - this.startedAt) / 10) / 100 : 0 };
  }

  // ---- dispatch ------------------------------------------------------------------------

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    let ev: Json;
    try {
      ev = obj(JSON.parse(isBinary ? '' : data.toString()));
    } catch {
      this.error('invalid_json', LIVE_MESSAGES.invalidJson, null, null);
      return;
    }
    const type = typeof ev.type === 'string' ? ev.type : '';
    const id = typeof ev.event_id === 'string' ? ev.event_id : null;
    const recorded = type === 'session.input_audio.append' ? { type, audio_bytes: Buffer.byteLength(String(ev.audio ?? ''), 'base64') } : { ...ev, type };
    this.rec.clientEvents.push({ t: Date.now(), event: recorded });
    this.ctx.onChange();
    if (!isLiveClientEvent(type)) {
      this.error('invalid_value', LIVE_MESSAGES.unknownEvent(type), 'type', id);
      return;
    }
    if (type === 'session.start') {
      this.onStart(obj(ev.session), id);
      return;
    }
    if (!this.started) {
      this.error('session_not_started', LIVE_MESSAGES.notStarted(type), 'type', id);
      return;
    }
    this.dispatch(type, ev, id);
  }

  private dispatch(type: string, ev: Json, id: string | null): void {
    switch (type) {
      case 'session.input_audio.append':
        this.onAudio(String(ev.audio ?? ''));
        return;
      case 'session.input_audio.mute':
      case 'session.input_audio.unmute':
        this.muted = type === 'session.input_audio.mute';
        this.ack(type, id);
        return;
      case 'session.update': {
        const responses = obj(obj(obj(ev.session).delegation).responses);
        this.backend.update(typeof responses.model === 'string' ? responses.model : undefined, toolsOf(responses.tools));
        this.ack(type, id);
        return;
      }
      case 'session.commentary.append':
        this.ack(type, id);
        this.onCommentary(String(ev.content ?? ''), typeof ev.delegation_id === 'string' ? ev.delegation_id : null);
        return;
      case 'session.instructions.append':
      case 'session.thinking.append':
        this.ack(type, id);
        return;
      case 'response.item.create':
        this.backend.itemCreate(ev.item);
        return;
      case 'response.create':
        this.backend.responseCreate(id);
        return;
      case 'session.close':
        this.closeWith('close_requested');
        return;
    }
  }

  private ack(type: string, id: string | null): void {
    const ackType = ACKS[type];
    if (ackType) this.later(ACK_DELAY_MS / this.pace, () => this.send({ type: ackType, client_event_id: id }));
  }

  private onStart(session: Json, id: string | null): void {
    if (this.started) {
      this.error('session_already_started', LIVE_MESSAGES.alreadyStarted, 'type', id);
      return;
    }
    if (typeof session.model !== 'string' || !session.model) {
      this.error('missing_required_parameter', LIVE_MESSAGES.missingModel, 'session.model', id);
      return;
    }
    this.rec.model = session.model;
    const voiceRaw = obj(obj(session.audio).output).voice;
    const voice = typeof voiceRaw === 'string' ? voiceRaw : LIVE_DEFAULTS.voice;
    if (this.fx.live.forbiddenVoice || FORBIDDEN_VOICES.has(voice)) {
      this.error('forbidden', LIVE_MESSAGES.forbiddenVoice(voice), 'session.audio.output.voice', id);
      return;
    }
    const delegation = obj(session.delegation);
    this.delegation = delegation.type === 'client' ? 'client' : 'responses';
    const responses = obj(delegation.responses);
    this.backend.update(typeof responses.model === 'string' ? responses.model : undefined, toolsOf(responses.tools) ?? []);
    this.started = true;
    this.startedAt = Date.now();
    this.send({ type: 'session.started', session: { id: newId('sess', 21) } });
    this.log(`session.started model=${session.model} voice=${voice} delegation=${this.delegation}`);
    if (this.fx.live.expireAfterMs !== null) this.later(this.fx.live.expireAfterMs, () => this.closeWith('expired'));
  }

  // ---- turns -----------------------------------------------------------------------------

  private onAudio(b64: string): void {
    const pcm = base64ToPcm16(b64);
    const samples = this.muted ? new Int16Array(pcm.length) : pcm;
    this.rec.addAudio(samples);
    this.inputSamples += samples.length;
    for (const e of this.vad.push(samples)) {
      if (e.kind === 'start') this.speechStartMs = e.audioStartMs;
      else if (this.speechStartMs !== null) this.endUserTurn(this.speechStartMs, e.audioEndMs);
    }
  }

  private endUserTurn(startMs: number, endMs: number): void {
    this.speechStartMs = null;
    const all = this.rec.inputAudio;
    const text = this.ctx.oracle.transcribe(all.subarray(Math.round((startMs * SR) / 1000), Math.round((endMs * SR) / 1000)));
    const words = text.split(/\s+/).filter(Boolean);
    const per = (endMs - startMs) / Math.max(1, words.length);
    words.forEach((w, i) => {
      const s = Math.round(startMs + i * per);
      this.send({ type: 'session.input_transcript.delta', delta: `${i === 0 ? '' : ' '}${w}`, start_ms: s, end_ms: Math.round(s + per) });
    });
    this.later(REPLY_DELAY_MS / this.pace, () => this.answerTurn(text));
  }

  private answerTurn(userText: string): void {
    if (this.delegation === 'responses' && this.backend.hasTools) {
      this.say(FILLER);
      this.backend.delegate();
      return;
    }
    if (this.delegation === 'client') {
      const id = newId('del', 16);
      this.clientDelegations.add(id);
      this.send({ type: 'session.delegation.created', delegation: { id, target: 'client' } });
      this.say(FILLER);
      return;
    }
    this.say(`I heard: ${userText}`);
  }

  private onCommentary(content: string, delegationId: string | null): void {
    if (delegationId && this.clientDelegations.delete(delegationId)) {
      this.say(`Here is what I found: ${content}`);
      return;
    }
    if (delegationId) return; // more context for an answered delegation: nothing new to say
    this.say(GREETING); // generate_reply's ask (gpt_live.py:1220-1242)
  }

  private say(text: string): void {
    this.voiceQueue = this.voiceQueue.then(async () => {
      if (this.closed) return;
      const spoken = await speak(this, text, 11 + this.replies, () => this.closed);
      this.outputEndMs = spoken.endMs;
      this.send({ type: 'session.usage.updated', usage: this.usage(), context_window: { usage_ratio: 0.01 * (this.replies + 1) } });
      this.afterReply();
    });
  }

  private afterReply(): void {
    this.replies++;
    const reason = this.fx.live.closeAfterReply;
    if (this.replies === 1 && reason) this.closeWith(reason);
  }

  private backendHost(): BackendHost {
    return {
      pace: this.ctx.pace,
      live: this.fx.live,
      send: (e) => this.send(e),
      later: (ms, fn) => this.later(ms, fn),
      error: (code, message, param, id) => this.error(code, message, param, id),
      log: (line) => this.log(line),
      speakContinuation: (text) => this.say(text),
    };
  }
}

function toolsOf(v: unknown): BackendTool[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((t): t is BackendTool => typeof t === 'object' && t !== null && typeof (t as { name?: unknown }).name === 'string');
}
