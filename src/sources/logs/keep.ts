/**
 * What a command keeps of a parsed log for its rules. Realtime streams are dominated by audio and
 * transcript deltas; rules only ask whether a response had any and when the first came, so per
 * response (or item) only the first and the latest delta of each kind are kept. Everything else is
 * kept, up to a bound, beyond which later events are counted but not kept.
 */
import type { TraceEvent } from '../../diagnose/types.js';
import { isOpenAIEvent } from '../../events/index.js';

const COLLAPSIBLE = new Set([
  'openai.input_audio_buffer.append',
  'openai.response.output_audio.delta',
  'openai.response.output_audio_transcript.delta',
  'openai.response.output_text.delta',
  'openai.response.function_call_arguments.delta',
  'openai.conversation.item.input_audio_transcription.delta',
]);

export const MAX_KEPT_EVENTS = 250_000;

export class EventKeeper {
  readonly events: TraceEvent[] = [];
  /** Events seen but not kept: collapsed deltas, and any beyond the bound. */
  collapsed = 0;
  dropped = 0;
  /** Per collapsible kind, per response (or item) id: where its latest delta is kept (-1: only the first so far). */
  private lastOf = new Map<string, Map<string, number>>();

  constructor(private readonly max = MAX_KEPT_EVENTS) {}

  add(e: TraceEvent): void {
    if (COLLAPSIBLE.has(e.kind) && isOpenAIEvent(e)) {
      const ev = e.data.event;
      const id = ev?.['response_id'] ?? ev?.['item_id'] ?? '';
      const key = typeof id === 'string' ? id : String(id);
      let ofKind = this.lastOf.get(e.kind);
      if (ofKind === undefined) {
        ofKind = new Map();
        this.lastOf.set(e.kind, ofKind);
      }
      const at = ofKind.get(key);
      if (at === -1) {
        // only the first is kept so far: this one becomes the latest
        if (this.push(e)) ofKind.set(key, this.events.length - 1);
        return;
      }
      if (at !== undefined) {
        this.events[at] = e;
        this.collapsed++;
        return;
      }
      if (this.push(e)) ofKind.set(key, -1);
      return;
    }
    this.push(e);
  }

  /**
   * Starts a new window: keeps only the events at or after `fromT` (at most `maxKeep`, the most
   * recent), so rules can run window by window over a log of any size.
   */
  retainFrom(fromT: number, maxKeep: number): void {
    let kept = this.events.filter((e) => e.t >= fromT);
    if (kept.length > maxKeep) kept = kept.slice(-maxKeep);
    this.events.length = 0;
    this.events.push(...kept);
    this.lastOf.clear();
  }

  private push(e: TraceEvent): boolean {
    if (this.events.length >= this.max) {
      this.dropped++;
      return false;
    }
    this.events.push(e);
    return true;
  }
}
