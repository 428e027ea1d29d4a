/**
 * One model response, streamed in the GA order (spec §1 "Audio-response order"), with
 * cancellation, failure, incomplete and text-only variants.
 */
import { pcm16ToBase64, synthSpeechLike } from '../audio/pcm.js';
import { MESSAGES } from '../protocol/realtime.js';
import type { ResponseStatus, ResponseStatusDetails } from '../protocol/realtime.js';
import { itemId } from './ids.js';
import { AZURE_MESSAGES } from './azure.js';
import type { FailCode, ScenarioEffects } from './scenarios.js';
import type { Json, JsonObject } from './session.js';

/** A conversation item as the simulator keeps it. */
export interface ConvItem {
  id: string;
  type: string;
  role?: string;
  status: string;
  content: JsonObject[];
  /** Model output audio generated so far (ms) — only for assistant items with an audio part. */
  audioMs?: number;
  /** Anything else the client sent on the item (call_id, name, arguments, output …). */
  extra?: JsonObject;
  /** The transcript oracle's text for committed user audio (known before it is announced). */
  oracleText?: string;
}

export function itemJson(item: ConvItem): JsonObject {
  const out: JsonObject = { id: item.id, object: 'realtime.item', type: item.type, status: item.status };
  if (item.role !== undefined) out.role = item.role;
  if (item.type === 'message') out.content = item.content;
  if (item.extra) Object.assign(out, item.extra);
  return out;
}

/** What a response needs from its connection. */
export interface ResponseHost {
  send(event: JsonObject): void;
  /** Appends the item to the conversation; returns the previous item's id (or null). */
  addItem(item: ConvItem): string | null;
  /** Called once the response is over (after response.done). */
  finished(run: ResponseRun): void;
  readonly pace: number;
  readonly fx: ScenarioEffects;
  readonly model: string;
  readonly conversationId: string;
}

export interface ResponseParams {
  metadata: Json;
  outputModalities: string[];
  voice: string;
  /** false for `conversation: "none"` (out-of-band). */
  inConversation: boolean;
  maxOutputTokens: number | 'inf';
  replyText: string;
  /** Rough token count of the conversation + instructions, for usage. */
  inputTokens: { text: number; audio: number };
  seed: number;
}

const CHUNK_MS = 100;
const SR = 24000;
/** Real-time baseline (pace 1) latencies, divided by `pace`. */
const CREATED_TO_ITEM_MS = 60;
const TIME_TO_FIRST_AUDIO_MS = 600;
const TEXT_DELTA_MS = 60;
const FAIL_AFTER_MS = 150;
const AUDIO_TOKENS_PER_MS = 1 / 50;
/** The preamble scenario's first message item. */
export const PREAMBLE_TEXT = 'One moment, let me check that. ';
const PREAMBLE_AUDIO_MS = 900;

export class ResponseRun {
  readonly id: string;
  private cancelReason: 'turn_detected' | 'client_cancelled' | null = null;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly items: ConvItem[] = [];
  createdSent = false;
  done = false;
  /** How the response ended (set with response.done). */
  outcome: ResponseStatus | null = null;
  /** Milliseconds of audio sent in output_audio.delta events. */
  audioMsSent = 0;

  constructor(
    private readonly host: ResponseHost,
    id: string,
    private readonly p: ResponseParams,
  ) {
    this.id = id;
  }

  get cancelled(): boolean {
    return this.cancelReason !== null;
  }

  /** Requests cancellation; response.done follows asynchronously. */
  cancel(reason: 'turn_detected' | 'client_cancelled'): void {
    if (this.done || this.cancelReason) return;
    this.cancelReason = reason;
    this.wake?.();
  }

  /** The socket is gone: stop without sending anything more. */
  abort(): void {
    this.closed = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.cancelReason || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wake = done;
    });
  }

  private scaled(ms: number): number {
    return ms / this.host.pace;
  }

  private get stop(): boolean {
    return this.cancelReason !== null || this.closed;
  }

  private send(ev: JsonObject): void {
    if (!this.closed) this.host.send(ev);
  }

  private responseJson(status: ResponseStatus, details: ResponseStatusDetails, usage: JsonObject | null): JsonObject {
    return {
      object: 'realtime.response',
      id: this.id,
      status,
      status_details: details as Json,
      output: this.items.map(itemJson),
      conversation_id: this.p.inConversation ? this.host.conversationId : null,
      output_modalities: this.p.outputModalities,
      max_output_tokens: this.p.maxOutputTokens,
      audio: { output: { format: { type: 'audio/pcm', rate: SR }, voice: this.p.voice } },
      usage,
      metadata: this.host.fx.dropMetadata ? null : this.p.metadata,
    };
  }

  async run(): Promise<void> {
    try {
      await this.body();
    } finally {
      this.done = true;
      this.host.finished(this);
    }
  }

  private async body(): Promise<void> {
    const fx = this.host.fx;
    if (fx.delayCreatedMs > 0) await this.sleep(fx.delayCreatedMs);
    if (this.closed) return;
    this.send({ type: 'response.created', response: this.responseJson('in_progress', null, null) });
    this.createdSent = true;
    if (fx.failCode) {
      await this.sleep(this.scaled(FAIL_AFTER_MS));
      if (this.closed) return;
      if (!this.cancelReason) return this.finish('failed', failedDetails(fx.failCode, this.host.model, this.host.conversationId), 0, 0);
    }
    const textMode = fx.textOnly || !this.p.outputModalities.includes('audio');
    // preamble (gpt-realtime-2): a short message item first, then the answer, in one response.
    const texts = fx.preamble && !textMode ? [PREAMBLE_TEXT, this.p.replyText] : [this.p.replyText];
    let reason: 'max_output_tokens' | null = null;
    let outText = 0;
    let outAudioMs = 0;
    for (const [index, text] of texts.entries()) {
      await this.sleep(this.scaled(CREATED_TO_ITEM_MS));
      if (this.stop) break;
      const streamed = await this.streamItem(index, text, textMode, index === texts.length - 1);
      if (!streamed) return; // the socket closed
      outText += textTokens(streamed.emitted);
      outAudioMs += streamed.audioMs;
      reason = streamed.reason;
      if (reason) break;
    }
    if (this.closed) return;
    const status: ResponseStatus = this.cancelReason ? 'cancelled' : reason ? 'incomplete' : 'completed';
    const details: ResponseStatusDetails = this.cancelReason
      ? { type: 'cancelled', reason: this.cancelReason }
      : reason
        ? { type: 'incomplete', reason }
        : null;
    this.finish(status, details, outText, Math.ceil(outAudioMs * AUDIO_TOKENS_PER_MS));
  }

  /** Streams one message item at `index`; undefined when the socket closed. `last`: the incomplete scenario cuts this one. */
  private async streamItem(
    index: number,
    text: string,
    textMode: boolean,
    last: boolean,
  ): Promise<{ emitted: string; audioMs: number; reason: 'max_output_tokens' | null } | undefined> {
    const item: ConvItem = { id: itemId(), type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.items.push(item);
    const base = { response_id: this.id, item_id: item.id, output_index: index, content_index: 0 };
    this.send({ type: 'response.output_item.added', response_id: this.id, output_index: index, item: itemJson(item) });
    let prev: string | null = null;
    if (this.p.inConversation) {
      prev = this.host.addItem(item);
      this.send({ type: 'conversation.item.added', previous_item_id: prev, item: itemJson(item) });
    }
    this.send({ type: 'response.content_part.added', ...base, part: textMode ? { type: 'text', text: '' } : { type: 'audio', transcript: '' } });
    const out = textMode ? await this.streamText(item, base, text, last) : await this.streamAudio(item, base, text, last);
    if (this.closed) return undefined;
    const status = this.cancelReason ? 'incomplete' : out.reason ? 'incomplete' : 'completed';
    item.status = status;
    if (this.p.inConversation) this.send({ type: 'conversation.item.done', previous_item_id: prev, item: itemJson(item) });
    this.send({ type: 'response.output_item.done', response_id: this.id, output_index: index, item: itemJson(item) });
    return out;
  }

  private async streamText(item: ConvItem, base: JsonObject, text: string, last: boolean) {
    const fx = this.host.fx;
    const limit = this.p.maxOutputTokens === 'inf' ? Infinity : this.p.maxOutputTokens;
    let reason: 'max_output_tokens' | null = null;
    let emitted = '';
    item.content = [{ type: 'output_text', text: '' }];
    for (const w of text.split(/(?<= )/)) {
      await this.sleep(this.scaled(TEXT_DELTA_MS));
      if (this.stop) break;
      if (textTokens(emitted + w) > limit || (last && fx.incomplete && emitted.length >= text.length / 2)) {
        reason = 'max_output_tokens';
        break;
      }
      emitted += w;
      item.content = [{ type: 'output_text', text: emitted }];
      this.send({ type: 'response.output_text.delta', ...base, delta: w });
    }
    if (!this.closed) {
      this.send({ type: 'response.output_text.done', ...base, text: emitted });
      this.send({ type: 'response.content_part.done', ...base, part: { type: 'text', text: emitted } });
    }
    return { emitted, audioMs: 0, reason };
  }

  private async streamAudio(item: ConvItem, base: JsonObject, text: string, last: boolean) {
    const fx = this.host.fx;
    const limit = this.p.maxOutputTokens === 'inf' ? Infinity : this.p.maxOutputTokens;
    const words = text.split(/(?<= )/);
    let reason: 'max_output_tokens' | null = null;
    let emitted = '';
    let audioMs = 0;
    const isPreamble = text === PREAMBLE_TEXT && fx.preamble;
    const totalMs = isPreamble
      ? PREAMBLE_AUDIO_MS
      : fx.replyAudioMs !== null && fx.replyAudioMs > 0
        ? fx.replyAudioMs
        : Math.min(2500, Math.max(1500, 1500 + 25 * text.length));
    const audio = synthSpeechLike(totalMs, SR, this.p.seed + (isPreamble ? 7 : 0));
    const chunks = Math.ceil(totalMs / CHUNK_MS);
    const maxChunks = last && fx.incomplete ? Math.max(1, Math.floor(chunks / 2)) : chunks;
    item.audioMs = 0;
    item.content = [{ type: 'output_audio', transcript: '' }];
    await this.sleep(this.scaled(TIME_TO_FIRST_AUDIO_MS));
    let wordIdx = 0;
    for (let c = 0; c < chunks && !this.stop; c++) {
      if (c >= maxChunks) {
        reason = 'max_output_tokens';
        break;
      }
      const startMs = c * CHUNK_MS;
      const endMs = Math.min(totalMs, startMs + CHUNK_MS);
      // Transcript runs slightly ahead of the audio, word by word.
      while (wordIdx < words.length && (wordIdx / words.length) * totalMs <= endMs) {
        const w = words[wordIdx++]!;
        emitted += w;
        this.send({ type: 'response.output_audio_transcript.delta', ...base, delta: w });
      }
      if (Math.ceil(endMs * AUDIO_TOKENS_PER_MS) + textTokens(emitted) > limit) {
        reason = 'max_output_tokens';
        break;
      }
      const pcm = audio.subarray(Math.round((startMs * SR) / 1000), Math.round((endMs * SR) / 1000));
      this.send({ type: 'response.output_audio.delta', ...base, delta: pcm16ToBase64(pcm) });
      audioMs = endMs;
      this.audioMsSent += endMs - startMs;
      item.audioMs = audioMs;
      item.content = [{ type: 'output_audio', transcript: emitted }];
      if (c + 1 < chunks) await this.sleep(this.scaled(endMs - startMs));
    }
    if (!this.closed) {
      this.send({ type: 'response.output_audio.done', ...base });
      this.send({ type: 'response.output_audio_transcript.done', ...base, transcript: emitted });
      this.send({ type: 'response.content_part.done', ...base, part: { type: 'audio', transcript: emitted } });
    }
    return { emitted, audioMs, reason };
  }

  private finish(status: ResponseStatus, details: ResponseStatusDetails, outText: number, outAudio: number): void {
    if (this.closed) return;
    if (status === 'cancelled' && !details) details = { type: 'cancelled', reason: this.cancelReason ?? 'client_cancelled' };
    const inText = status === 'failed' ? 0 : this.p.inputTokens.text;
    const inAudio = status === 'failed' ? 0 : this.p.inputTokens.audio;
    const cached = Math.floor((inText * 0.6) / 64) * 64;
    this.outcome = status;
    const usage: JsonObject = {
      total_tokens: inText + inAudio + outText + outAudio,
      input_tokens: inText + inAudio,
      output_tokens: outText + outAudio,
      input_token_details: {
        text_tokens: inText,
        audio_tokens: inAudio,
        image_tokens: 0,
        cached_tokens: cached,
        cached_tokens_details: { text_tokens: cached, audio_tokens: 0, image_tokens: 0 },
      },
      output_token_details: { text_tokens: outText, audio_tokens: outAudio },
    };
    this.send({ type: 'response.done', response: this.responseJson(status, details, usage) });
  }
}

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function failedDetails(code: FailCode, model: string, conversationId: string): ResponseStatusDetails {
  switch (code) {
    case 'model_not_found':
      return { type: 'failed', error: { type: 'invalid_request_error', code, message: MESSAGES.modelNotFound(model) } };
    case 'insufficient_quota':
      return { type: 'failed', error: { type: 'insufficient_quota', code, message: MESSAGES.insufficientQuota } };
    case 'rate_limit_exceeded':
      return { type: 'failed', error: { type: 'tokens', code, message: MESSAGES.rateLimited(model) } };
    case 'server_error': // Azure's answer (code null), as livekit/agents#1972 logs it
      return { type: 'failed', error: { type: 'server_error', code: null, message: AZURE_MESSAGES.serverError(conversationId.replace(/^conv_/, 'sess_')) } };
  }
}
