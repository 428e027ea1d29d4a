/**
 * One Realtime WebSocket connection: session, conversation, responses, and the
 * client-event dispatch. Input audio and VAD live in input.ts.
 */
import type { RawData, WebSocket } from 'ws';
import { CLIENT_EVENT_TYPES, CLOSE_CODES, MESSAGES, isRealtimeModelName, maskApiKey } from '../protocol/realtime.js';
import type { RealtimeEvent } from '../protocol/realtime.js';
import { conversationId, eventId, itemId, responseId } from './ids.js';
import { InputAudio } from './input.js';
import type { ConnectionRecord } from './recording.js';
import { ResponseRun, itemJson, textTokens } from './responses.js';
import type { ConvItem, ResponseHost } from './responses.js';
import type { ScenarioEffects } from './scenarios.js';
import { defaultSession, isObj, mergeSession, outputModalitiesOf, validateSessionUpdate, voiceOf } from './session.js';
import type { Json, JsonObject } from './session.js';
import { fromXaiSession } from './xai.js';
import type { TranscriptOracle } from './transcripts.js';

export interface ConnectionContext {
  pace: number;
  log: (line: string) => void;
  oracle: TranscriptOracle;
  model: string | null;
  apiKey: string;
  betaHeader: boolean;
  onChange: () => void;
  /** An Azure path: the model is a deployment name, any name (azure.ts). */
  azureDeployment?: boolean;
  /** An xAI model (grok-voice-*): voice/turn_detection accepted at the top of the session (xai.ts). */
  xai?: boolean;
}

const RESPONSE_KEYS = new Set([
  'audio',
  'conversation',
  'input',
  'instructions',
  'max_output_tokens',
  'metadata',
  'output_modalities',
  'parallel_tool_calls',
  'prompt',
  'reasoning',
  'tool_choice',
  'tools',
  'tracing',
]);
const ITEM_TYPES = ['message', 'function_call', 'function_call_output'];
const ROLES = ['user', 'assistant', 'system'];
const RATE_LIMITS_DELAY_MS = 40;

export class Connection implements ResponseHost {
  session: JsonObject;
  readonly conversationId = conversationId();
  readonly items: ConvItem[] = [];
  active: ResponseRun | null = null;
  readonly input: InputAudio;
  private closed = false;
  private responses = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ws: WebSocket,
    readonly rec: ConnectionRecord,
    readonly fx: ScenarioEffects,
    private readonly ctx: ConnectionContext,
  ) {
    this.session = defaultSession(ctx.model ?? 'gpt-realtime');
    this.input = new InputAudio(this);
  }

  get pace(): number {
    return this.ctx.pace;
  }
  get model(): string {
    return String(this.session.model ?? 'gpt-realtime');
  }
  get oracle(): TranscriptOracle {
    return this.ctx.oracle;
  }

  log(line: string): void {
    this.ctx.log(`[simulator ${this.rec.id}] ${line}`);
  }

  /** Runs the opening checks, then sends session.created. */
  start(): void {
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    this.ws.on('error', (err) => this.log(`socket error: ${err.message}`));
    if (this.fx.invalidApiKey) {
      this.error('invalid_api_key', MESSAGES.invalidApiKey(maskApiKey(this.ctx.apiKey)), null, undefined);
      this.close(CLOSE_CODES.invalidApiKey, 'invalid_request_error.invalid_api_key');
      return;
    }
    if (this.fx.betaDisabled && this.ctx.betaHeader) {
      this.error('beta_api_shape_disabled', MESSAGES.betaShapeDisabled, null, undefined);
      this.close(CLOSE_CODES.invalidRequest, 'invalid_request_error.beta_api_shape_disabled');
      return;
    }
    if (!this.ctx.model) {
      this.error('missing_model', MESSAGES.missingModel, 'model', undefined);
      this.close(CLOSE_CODES.invalidRequest, 'invalid_request_error.missing_model');
      return;
    }
    if (!this.ctx.azureDeployment && !this.ctx.xai && !isRealtimeModelName(this.ctx.model)) {
      this.error('invalid_model', MESSAGES.invalidModel(this.ctx.model), 'model', undefined);
      this.close(CLOSE_CODES.invalidRequest, 'invalid_request_error.invalid_model');
      return;
    }
    this.send({ type: 'session.created', session: this.session });
    if (this.fx.expireAfterMs !== null) {
      this.later(this.fx.expireAfterMs, () => this.close(CLOSE_CODES.goingAway, MESSAGES.sessionExpired));
    }
  }

  // ---- sending -------------------------------------------------------------------------

  send(event: JsonObject): void {
    if (this.closed) return;
    const ev = { type: event.type, event_id: eventId(), ...event } as JsonObject;
    const json = JSON.stringify(ev);
    if (this.fx.dropMidResponse && this.responses === 1 && ev.type === 'response.output_audio.delta') {
      // drop-mid-response: this delta reaches the client, then the TCP connection dies (no close frame).
      this.closed = true;
      this.ws.send(json, () => this.drop());
    } else {
      this.ws.send(json);
    }
    let recorded = ev as RealtimeEvent;
    if (ev.type === 'response.output_audio.delta' && typeof ev.delta === 'string') {
      recorded = { ...(ev as RealtimeEvent), delta: undefined, delta_bytes: Buffer.byteLength(ev.delta, 'base64') };
      delete recorded.delta;
    }
    this.rec.serverEvents.push({ t: Date.now(), type: String(ev.type), event: recorded });
    if (ev.type === 'error') this.log(`error ${JSON.stringify((ev as { error: unknown }).error)}`);
    this.ctx.onChange();
  }

  error(code: string | null, message: string, param: string | null, clientEventId: string | undefined, type = 'invalid_request_error'): void {
    this.send({ type: 'error', error: { type, code, message, param, event_id: clientEventId ?? null } });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.log(`closing ${code} ${reason}`);
    this.ws.close(code, reason);
    this.teardown();
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private teardown(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.active?.abort();
  }

  /** drop-mid-response: the socket is destroyed without a close frame, as a dying network or proxy does. */
  private drop(): void {
    this.log('dropping the TCP connection mid-response (no close frame)');
    this.ws.terminate();
    this.teardown();
  }

  /** Server shutdown. */
  dispose(): void {
    if (!this.closed) this.ws.terminate();
    this.teardown();
  }

  private onClose(code: number, reason: string): void {
    this.rec.closeCode = code;
    this.rec.closeReason = reason;
    this.rec.closedAt = Date.now();
    this.log(`closed ${code}${reason ? ` ${reason}` : ''}`);
    this.teardown();
    this.ctx.onChange();
  }

  // ---- dispatch ------------------------------------------------------------------------

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary) {
      this.error('invalid_value', 'Binary frames are not supported; send JSON text events.', null, undefined);
      return;
    }
    let ev: unknown;
    try {
      ev = JSON.parse(data.toString());
    } catch {
      this.error('invalid_json', 'We could not parse the JSON body of your request. (Expected a JSON object.)', null, undefined);
      return;
    }
    if (!isObj(ev) || typeof ev.type !== 'string') {
      this.rec.clientEvents.push({ t: Date.now(), event: { type: String((ev as JsonObject | null)?.type ?? '') } });
      this.error('missing_required_parameter', MESSAGES.missingParameter('type'), 'type', undefined);
      return;
    }
    const eid = typeof ev.event_id === 'string' ? ev.event_id : undefined;
    const recorded: RealtimeEvent = { ...(ev as RealtimeEvent) };
    if (ev.type === 'input_audio_buffer.append' && typeof ev.audio === 'string') {
      recorded.audio = Buffer.byteLength(ev.audio, 'base64');
    }
    this.rec.clientEvents.push({ t: Date.now(), event: recorded });
    this.ctx.onChange();
    switch (ev.type) {
      case 'session.update':
        this.sessionUpdate(ev, eid);
        return;
      case 'input_audio_buffer.append':
        this.input.append(ev, eid);
        return;
      case 'input_audio_buffer.commit':
        this.input.commit(eid);
        return;
      case 'input_audio_buffer.clear':
        this.input.clear();
        return;
      case 'conversation.item.create':
        this.itemCreate(ev, eid);
        return;
      case 'conversation.item.delete':
        this.itemDelete(ev, eid);
        return;
      case 'conversation.item.truncate':
        this.itemTruncate(ev, eid);
        return;
      case 'conversation.item.retrieve': {
        const item = this.findItem(ev.item_id, eid);
        if (item) this.send({ type: 'conversation.item.retrieved', item: itemJson(item) });
        return;
      }
      case 'response.create':
        this.responseCreate(ev, eid);
        return;
      case 'response.cancel':
        this.responseCancel(ev, eid);
        return;
      case 'output_audio_buffer.clear':
        this.error(null, 'output_audio_buffer.clear is only supported for WebRTC connections.', 'type', eid);
        return;
      default:
        this.error('invalid_value', MESSAGES.invalidValue(ev.type, CLIENT_EVENT_TYPES), 'type', eid);
        return;
    }
  }

  // ---- session -------------------------------------------------------------------------

  private sessionUpdate(ev: JsonObject, eid: string | undefined): void {
    const s = this.ctx.xai ? fromXaiSession(ev.session) : ev.session;
    if (this.fx.rejectSessionUpdate) {
      const key = isObj(s) ? (Object.keys(s).find((k) => k !== 'type') ?? 'type') : 'type';
      this.error('unknown_parameter', MESSAGES.unknownParameter(`session.${key}`), `session.${key}`, eid);
      return;
    }
    const problem = validateSessionUpdate(s);
    if (problem) {
      this.error(problem.code, problem.message, problem.param, eid);
      return;
    }
    this.session = mergeSession(this.session, s as JsonObject);
    this.input.configure();
    this.send({ type: 'session.updated', session: this.session });
  }

  // ---- conversation --------------------------------------------------------------------

  /** ResponseHost: append an item; returns the previous item's id. */
  addItem(item: ConvItem): string | null {
    const prev = this.items.at(-1)?.id ?? null;
    this.items.push(item);
    return prev;
  }

  private findItem(id: unknown, eid: string | undefined, param = 'item_id'): ConvItem | undefined {
    if (typeof id !== 'string' || !id) {
      this.error('missing_required_parameter', MESSAGES.missingParameter(param), param, eid);
      return undefined;
    }
    const item = this.items.find((i) => i.id === id);
    if (!item) this.error('invalid_value', `Invalid value: '${id}'. No conversation item with this id exists.`, param, eid);
    return item;
  }

  private itemCreate(ev: JsonObject, eid: string | undefined): void {
    const raw = ev.item;
    if (!isObj(raw)) {
      this.error('missing_required_parameter', MESSAGES.missingParameter('item'), 'item', eid);
      return;
    }
    const type = typeof raw.type === 'string' ? raw.type : 'message';
    if (!ITEM_TYPES.includes(type)) {
      this.error('invalid_value', MESSAGES.invalidValue(type, ITEM_TYPES), 'item.type', eid);
      return;
    }
    if (type === 'message' && !ROLES.includes(String(raw.role))) {
      this.error('invalid_value', MESSAGES.invalidValue(String(raw.role), ROLES), 'item.role', eid);
      return;
    }
    const id = typeof raw.id === 'string' && raw.id ? raw.id : itemId();
    if (this.items.some((i) => i.id === id)) {
      this.error('invalid_value', `Invalid value: '${id}'. An item with this id already exists.`, 'item.id', eid);
      return;
    }
    let index = this.items.length;
    const prevId = ev.previous_item_id;
    if (prevId === 'root') index = 0;
    else if (typeof prevId === 'string') {
      const at = this.items.findIndex((i) => i.id === prevId);
      if (at < 0) {
        this.error('invalid_value', `Invalid value: '${prevId}'. No conversation item with this id exists.`, 'previous_item_id', eid);
        return;
      }
      index = at + 1;
    }
    const { id: _id, type: _type, role, content, status: _status, object: _object, ...extra } = raw;
    const item: ConvItem = {
      id,
      type,
      status: 'completed',
      content: Array.isArray(content) ? (content.filter(isObj) as JsonObject[]) : [],
    };
    if (typeof role === 'string') item.role = role;
    if (Object.keys(extra).length > 0) item.extra = extra;
    this.items.splice(index, 0, item);
    const previous = index > 0 ? this.items[index - 1]!.id : null;
    this.send({ type: 'conversation.item.added', previous_item_id: previous, item: itemJson(item) });
    this.send({ type: 'conversation.item.done', previous_item_id: previous, item: itemJson(item) });
  }

  private itemDelete(ev: JsonObject, eid: string | undefined): void {
    const item = this.findItem(ev.item_id, eid);
    if (!item) return;
    this.items.splice(this.items.indexOf(item), 1);
    this.send({ type: 'conversation.item.deleted', item_id: item.id });
  }

  private itemTruncate(ev: JsonObject, eid: string | undefined): void {
    const item = this.findItem(ev.item_id, eid);
    if (!item) return;
    // As the API: absent → missing_required_parameter; null (agents-js avatars < 1.4.7 sent NaN, which
    // JSON.stringify writes as null) or any non-integer → invalid_type; negative → integer_below_min_value.
    const rawEnd = ev.audio_end_ms;
    if (rawEnd === undefined) {
      this.error('missing_required_parameter', MESSAGES.missingParameter('audio_end_ms'), 'audio_end_ms', eid);
      return;
    }
    if (typeof rawEnd !== 'number' || !Number.isInteger(rawEnd)) {
      this.error('invalid_type', MESSAGES.invalidType('audio_end_ms', 'an integer', jsonTypeName(rawEnd)), 'audio_end_ms', eid);
      return;
    }
    if (rawEnd < 0) {
      this.error('integer_below_min_value', MESSAGES.belowMinimum('audio_end_ms', 0, rawEnd), 'audio_end_ms', eid);
      return;
    }
    const contentIndex = typeof ev.content_index === 'number' ? ev.content_index : 0;
    const end = rawEnd;
    const isAudio = item.role === 'assistant' && item.audioMs !== undefined && contentIndex === 0;
    if (!isAudio || (end === 0 && item.audioMs === 0)) {
      this.error('unsupported_content_type', MESSAGES.truncateNotAudio, null, eid);
      return;
    }
    const have = item.audioMs ?? 0;
    if (end > have) {
      this.error('invalid_value', MESSAGES.truncateTooFar(have, end), 'audio_end_ms', eid);
      return;
    }
    item.audioMs = end;
    // The API drops the transcript of a truncated audio message.
    item.content = [{ type: 'output_audio', transcript: '' }];
    this.send({ type: 'conversation.item.truncated', item_id: item.id, content_index: contentIndex, audio_end_ms: end });
  }

  // ---- responses -----------------------------------------------------------------------

  private responseCreate(ev: JsonObject, eid: string | undefined): void {
    const r = ev.response ?? {};
    if (!isObj(r)) {
      this.error('invalid_type', "Invalid type for 'response': expected an object.", 'response', eid);
      return;
    }
    for (const k of Object.keys(r)) {
      if (!RESPONSE_KEYS.has(k)) {
        this.error('unknown_parameter', MESSAGES.unknownParameter(`response.${k}`), `response.${k}`, eid);
        return;
      }
    }
    if (this.active) {
      this.error('conversation_already_has_active_response', MESSAGES.activeResponse(this.active.id), null, eid);
      return;
    }
    const md = r.metadata;
    if (md !== undefined && md !== null) {
      if (!isObj(md)) {
        this.error('invalid_type', "Invalid type for 'response.metadata': expected an object.", 'response.metadata', eid);
        return;
      }
      for (const [k, v] of Object.entries(md)) {
        if (typeof v !== 'string') {
          this.error(
            'invalid_type',
            `Invalid type for 'response.metadata.${k}': expected a string, but got ${typeof v} instead.`,
            `response.metadata.${k}`,
            eid,
          );
          return;
        }
      }
    }
    let mods = outputModalitiesOf(this.session);
    if (Array.isArray(r.output_modalities)) mods = r.output_modalities.map(String);
    this.startResponse({
      metadata: md ?? null,
      outputModalities: mods,
      voice: this.voiceFor(r),
      inConversation: r.conversation !== 'none',
      maxOutputTokens: maxTokens(r.max_output_tokens ?? this.session.max_output_tokens),
    });
  }

  /** Starts a response (client- or VAD-initiated). */
  startResponse(p: { metadata: Json; outputModalities: string[]; voice?: string; inConversation?: boolean; maxOutputTokens?: number | 'inf' }): void {
    const run = new ResponseRun(this, responseId(), {
      metadata: p.metadata,
      outputModalities: p.outputModalities,
      voice: p.voice ?? voiceOf(this.session),
      inConversation: p.inConversation ?? true,
      maxOutputTokens: p.maxOutputTokens ?? maxTokens(this.session.max_output_tokens),
      replyText: this.replyText(),
      inputTokens: this.inputTokens(),
      seed: ++this.responses,
    });
    this.active = run;
    void run.run();
  }

  private voiceFor(r: JsonObject): string {
    const v = isObj(r.audio) && isObj(r.audio.output) ? r.audio.output.voice : undefined;
    return typeof v === 'string' ? v : voiceOf(this.session);
  }

  /** ResponseHost: the response sent response.done (or the socket is gone). */
  finished(run: ResponseRun): void {
    if (this.active === run) this.active = null;
    if (this.fx.expireAfterReply && run.outcome === 'completed' && run.audioMsSent > 0 && !this.closed) {
      // The client has the whole reply but is still playing it when the session ends.
      this.close(CLOSE_CODES.goingAway, MESSAGES.sessionExpired);
      return;
    }
    if (run.createdSent && !this.closed) {
      this.later(RATE_LIMITS_DELAY_MS, () =>
        this.send({
          type: 'rate_limits.updated',
          rate_limits: [{ name: 'tokens', limit: 15000000, remaining: 14999716 - this.responses * 300, reset_seconds: 0.001 }],
        }),
      );
    }
  }

  private responseCancel(ev: JsonObject, eid: string | undefined): void {
    const want = typeof ev.response_id === 'string' ? ev.response_id : undefined;
    if (!this.active || (want !== undefined && want !== this.active.id)) {
      this.error('response_cancel_not_active', MESSAGES.cancelNotActive, null, eid);
      return;
    }
    this.active.cancel('client_cancelled');
  }

  /** A deterministic reply derived from the last user message. */
  private replyText(): string {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const it = this.items[i]!;
      if (it.role !== 'user') continue;
      for (const c of it.content) {
        const text = typeof c.text === 'string' ? c.text : typeof c.transcript === 'string' ? c.transcript : (it.oracleText ?? '');
        if (text && !text.startsWith('[unrecognized')) {
          const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
          return `You said: ${short} How can I help?`;
        }
      }
      break;
    }
    return 'Hello! I heard you. How can I help?';
  }

  private inputTokens(): { text: number; audio: number } {
    let text = textTokens(String(this.session.instructions ?? ''));
    let audio = 0;
    for (const it of this.items) {
      for (const c of it.content) {
        if (typeof c.text === 'string') text += textTokens(c.text);
        if (typeof c.transcript === 'string') text += textTokens(c.transcript);
      }
      if (it.audioMs) audio += Math.ceil(it.audioMs / 50);
    }
    return { text, audio: audio + this.input.committedAudioTokens };
  }
}

function maxTokens(v: unknown): number | 'inf' {
  return typeof v === 'number' && Number.isFinite(v) ? v : 'inf';
}

/** How the API names a JSON value's type in invalid_type errors. */
function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return 'a decimal number';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}
