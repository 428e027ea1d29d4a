/**
 * Realtime API events (`openai.<GA event type>`), whoever saw them: the probe on the wire (source
 * `probe` for what it sent, `openai` for what it received) or an agent log under LK_OPENAI_DEBUG
 * (source `log`). `data.event` carries the openai SDK's own event types.
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { KindsMeta } from './meta.js';

/** Every Realtime event type the openai SDK lists (client and server). */
export type ListedRealtimeEvent = RealtimeClientEvent | RealtimeServerEvent;
export type ListedRealtimeType = ListedRealtimeEvent['type'];

/**
 * A Realtime event as a trace event carries it: the SDK's type, with every field but `type` optional
 * (a log line may carry only part of an event: `unparsed: true`), audio payloads elided to
 * `"<N bytes>"`, and room for fields the SDK does not list (beta fields, plugin additions).
 */
export type TracedRealtimeEvent<E extends { type: string }> = E extends unknown
  ? Partial<Omit<E, 'type'>> & { type: E['type']; event_id?: string; [field: string]: unknown }
  : never;

/** An event of a type the SDK does not list (an older beta name, a newer event, a broken line). */
export type UnlistedRealtimeEvent = { type: string; event_id?: string; [field: string]: unknown };

/** The event carried by `openai.<T>`: the SDK's type when it lists T, the typed fallback otherwise. */
export type RealtimeEventOf<T extends string> = string extends T
  ? TracedRealtimeEvent<ListedRealtimeEvent> | UnlistedRealtimeEvent
  : [Extract<ListedRealtimeEvent, { type: T }>] extends [never]
    ? UnlistedRealtimeEvent
    : TracedRealtimeEvent<Extract<ListedRealtimeEvent, { type: T }>>;

/** Data of an `openai.*` event of any type. */
export type AnyOpenAIEventData = {
  direction: 'client' | 'server';
  event: TracedRealtimeEvent<ListedRealtimeEvent> | UnlistedRealtimeEvent;
  /** The log line it was found on (source `log` only). */
  line?: number;
};

/** Data of an `openai.*` event whose event is E. */
export type TypedOpenAIEventData<E> = {
  direction: 'client' | 'server';
  event: E;
  /** The log line it was found on (source `log` only). */
  line?: number;
};

/**
 * Data of an `openai.<T>` event: `event` is the SDK's type for T. (Two types rather than one
 * generic one, so that the data of one type is assignable to the data of any type.)
 */
export type OpenAIEventData<T extends string = string> = string extends T ? AnyOpenAIEventData : TypedOpenAIEventData<RealtimeEventOf<T>>;

/** The kind → data map of this family: one pattern, `openai.<event type>`. */
export interface OpenAIKinds {
  [kind: `openai.${string}`]: AnyOpenAIEventData;
}

export const OPENAI_KINDS: KindsMeta<OpenAIKinds> = {
  'openai.<type>': {
    description:
      "A Realtime API event, client → server or server → client. `<type>` is the GA event type (beta names such as `response.audio.delta` are normalised to GA); `data.event` is typed with the openai SDK's `RealtimeClientEvent` / `RealtimeServerEvent` (an unlisted type keeps `{type, ...}`).",
    fields: {
      direction: '`client` (sent to the API) or `server` (received from it)',
      event:
        'the event itself; audio payloads (`input_audio_buffer.append.audio`, `response.output_audio.delta.delta`) elided to `"<N bytes>"` (`"<elided in log>"` when the log had already elided them)',
      line: '? the agent-log line it was found on (source `log` only)',
    },
    sources: ['probe', 'openai', 'log'],
    example: {
      direction: 'server',
      event: {
        type: 'response.done',
        event_id: 'event_123',
        response: { id: 'resp_1', status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' } },
      },
    },
  },
};
