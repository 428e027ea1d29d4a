/**
 * The input audio buffer of one connection: append/commit/clear, server VAD turns,
 * and input transcription (via the transcript oracle).
 */
import { base64ToPcm16, durationMs } from '../audio/pcm.js';
import { MESSAGES } from '../protocol/realtime.js';
import type { Connection } from './connection.js';
import { itemId } from './ids.js';
import { itemJson } from './responses.js';
import type { ConvItem } from './responses.js';
import { outputModalitiesOf, transcriptionModelOf, turnDetectionOf } from './session.js';
import type { JsonObject, TurnDetection } from './session.js';
import { EnergyVad, vadParams } from './vad.js';
import type { VadEvent } from './vad.js';

const SR = 24000;
const MIN_COMMIT_MS = 100;
/** Baseline (pace 1) delay between commit and the transcription result. */
const TRANSCRIPTION_DELAY_MS = 300;

const msToSamples = (ms: number): number => Math.round((ms * SR) / 1000);

export class InputAudio {
  /** Samples appended since the connection opened. */
  private total = 0;
  /** Stream sample index where the uncommitted buffer starts. */
  private bufStart = 0;
  private td: TurnDetection | null = null;
  private readonly vad = new EnergyVad(vadParams({ type: 'server_vad' }));
  private speechItemId: string | null = null;
  /** Input audio tokens of every committed segment (for usage). */
  committedAudioTokens = 0;

  constructor(private readonly conn: Connection) {
    this.configure();
  }

  /** Re-reads turn detection from the session (after session.update). */
  configure(): void {
    this.td = turnDetectionOf(this.conn.session);
    if (this.td) this.vad.setParams(vadParams(this.td));
  }

  append(ev: JsonObject, eid: string | undefined): void {
    if (typeof ev.audio !== 'string') {
      this.conn.error('missing_required_parameter', MESSAGES.missingParameter('audio'), 'audio', eid);
      return;
    }
    const samples = base64ToPcm16(ev.audio);
    this.conn.rec.addAudio(samples);
    this.total += samples.length;
    const events = this.vad.push(samples);
    if (!this.td) return;
    for (const e of events) this.onVad(e);
  }

  commit(eid: string | undefined): void {
    const ms = durationMs(this.total - this.bufStart, SR);
    if (ms < MIN_COMMIT_MS) {
      this.conn.error('input_audio_buffer_commit_empty', MESSAGES.commitEmpty(ms), null, eid);
      return;
    }
    const id = this.speechItemId ?? itemId();
    this.speechItemId = null;
    this.commitSegment(this.bufStart, this.total, id);
    this.vad.reset(durationMs(this.bufStart, SR));
  }

  clear(): void {
    this.bufStart = this.total;
    this.speechItemId = null;
    this.vad.reset(durationMs(this.bufStart, SR));
    this.conn.send({ type: 'input_audio_buffer.cleared' });
  }

  private onVad(e: VadEvent): void {
    const td = this.td!;
    if (e.kind === 'start') {
      this.speechItemId = itemId();
      this.bufStart = Math.max(this.bufStart, msToSamples(e.audioStartMs));
      this.conn.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: e.audioStartMs, item_id: this.speechItemId });
      if (this.conn.active && td.interrupt_response !== false) this.conn.active.cancel('turn_detected');
      return;
    }
    const id = this.speechItemId ?? itemId();
    this.speechItemId = null;
    this.conn.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: e.audioEndMs, item_id: id });
    const end = Math.min(this.total, msToSamples(e.audioEndMs));
    this.commitSegment(this.bufStart, end, id);
    this.vad.floorMs = durationMs(this.bufStart, SR);
    if (td.create_response !== false && !this.conn.active) {
      this.conn.startResponse({ metadata: null, outputModalities: outputModalitiesOf(this.conn.session) });
    }
  }

  /** Commits stream samples [start, end) as a user item. */
  private commitSegment(start: number, end: number, id: string): void {
    const conn = this.conn;
    const segment = conn.rec.inputAudio.slice(start, end);
    const prev = conn.items.at(-1)?.id ?? null;
    conn.send({ type: 'input_audio_buffer.committed', previous_item_id: prev, item_id: id });
    const item: ConvItem = {
      id,
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null }],
    };
    conn.items.push(item);
    conn.send({ type: 'conversation.item.added', previous_item_id: prev, item: itemJson(item) });
    conn.send({ type: 'conversation.item.done', previous_item_id: prev, item: itemJson(item) });
    this.bufStart = end;
    const ms = durationMs(segment, SR);
    this.committedAudioTokens += Math.ceil(ms / 100);

    const model = transcriptionModelOf(conn.session);
    if (!model) return;
    const transcript = conn.oracle.transcribe(segment);
    item.oracleText = transcript; // known now (deterministic), announced after a delay like the API
    conn.later(TRANSCRIPTION_DELAY_MS / conn.pace, () => {
      if (model !== 'whisper-1') {
        conn.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: id, content_index: 0, delta: transcript });
      }
      item.content = [{ type: 'input_audio', transcript }];
      const usage: JsonObject =
        model === 'whisper-1'
          ? { type: 'duration', seconds: Math.round(ms / 100) / 10 }
          : {
              type: 'tokens',
              total_tokens: Math.ceil(ms / 100) + Math.ceil(transcript.length / 4),
              input_tokens: Math.ceil(ms / 100),
              input_token_details: { text_tokens: 0, audio_tokens: Math.ceil(ms / 100) },
              output_tokens: Math.ceil(transcript.length / 4),
            };
      conn.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: id,
        content_index: 0,
        transcript,
        usage,
      });
    });
  }
}
