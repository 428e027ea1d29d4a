import type { EventData, TraceEvent } from './types.js';

/** Realtime API event payload as carried in `openai.*` trace events. */
export interface OpenAIEventData extends EventData {
  direction: 'client' | 'server';
  event: { type: string; event_id?: string; [k: string]: unknown };
}

/** A time-ordered, immutable view over trace events with the queries rules need. */
export class Timeline {
  readonly events: readonly TraceEvent[];

  constructor(events: Iterable<TraceEvent>) {
    // Stable sort: events with equal timestamps keep their arrival order.
    this.events = [...events]
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
      .map(({ e }) => e);
  }

  get start(): number | undefined {
    return this.events[0]?.t;
  }

  get end(): number | undefined {
    return this.events.at(-1)?.t;
  }

  /** Events whose kind equals `kind`, or starts with it when it ends in `.` or `*`. */
  ofKind(kind: string): TraceEvent[] {
    if (kind.endsWith('*')) {
      const prefix = kind.slice(0, -1);
      return this.events.filter((e) => e.kind.startsWith(prefix));
    }
    return this.events.filter((e) => e.kind === kind);
  }

  first(kind: string, after?: number): TraceEvent | undefined {
    return this.events.find((e) => e.kind === kind && (after === undefined || e.t >= after));
  }

  has(kind: string): boolean {
    return this.events.some((e) => e.kind === kind);
  }

  between(from: number, to: number): TraceEvent[] {
    return this.events.filter((e) => e.t >= from && e.t <= to);
  }

  /** Realtime API events (either direction), optionally of one event type. */
  openai(type?: string, direction?: 'client' | 'server'): TraceEvent<OpenAIEventData>[] {
    return this.events.filter(
      (e): e is TraceEvent<OpenAIEventData> =>
        e.kind.startsWith('openai.') &&
        (type === undefined || e.kind === `openai.${type}`) &&
        (direction === undefined || (e.data as OpenAIEventData).direction === direction),
    );
  }

  /** Realtime `error` events with a given error code. */
  openaiErrors(code?: string): TraceEvent<OpenAIEventData>[] {
    return this.openai('error', 'server').filter((e) => code === undefined || errorOf(e)?.code === code);
  }
}

export interface RealtimeErrorBody {
  type?: string;
  code?: string | null;
  message?: string;
  param?: string | null;
  event_id?: string | null;
}

export function errorOf(e: TraceEvent<OpenAIEventData>): RealtimeErrorBody | undefined {
  const err = e.data.event['error'];
  return err && typeof err === 'object' ? (err as RealtimeErrorBody) : undefined;
}

/** The `response` object of response.created / response.done events. */
export interface RealtimeResponseBody {
  id?: string;
  status?: string;
  status_details?: unknown;
  metadata?: Record<string, unknown> | null;
  usage?: Record<string, unknown> | null;
  output?: Array<{ type?: string; content?: Array<{ type?: string }> }>;
}

export function responseOf(e: TraceEvent<OpenAIEventData>): RealtimeResponseBody | undefined {
  const r = e.data.event['response'];
  return r && typeof r === 'object' ? (r as RealtimeResponseBody) : undefined;
}

/** status_details may be an object or a plain string (both plugins accept either). */
export function statusDetails(r: RealtimeResponseBody | undefined): { type?: string; reason?: string; error?: RealtimeErrorBody } {
  const d = r?.status_details;
  if (typeof d === 'string') return { type: d, reason: d };
  if (d && typeof d === 'object') return d as { type?: string; reason?: string; error?: RealtimeErrorBody };
  return {};
}
