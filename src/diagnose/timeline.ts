import type { EventData, TraceEvent } from './types.js';

/** Realtime API event payload as carried in `openai.*` trace events. */
export interface OpenAIEventData extends EventData {
  direction: 'client' | 'server';
  event: { type: string; event_id?: string; [k: string]: unknown };
}

/** A time-ordered, immutable view over trace events with the queries rules need. */
export class Timeline {
  readonly events: readonly TraceEvent[];

  /** Events by kind, in time order: every query below is an index lookup, not a scan. */
  private readonly byKind = new Map<string, TraceEvent[]>();

  constructor(events: Iterable<TraceEvent>) {
    // Stable sort: events with equal timestamps keep their arrival order.
    this.events = [...events]
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
      .map(({ e }) => e);
    for (const e of this.events) {
      const list = this.byKind.get(e.kind);
      if (list) list.push(e);
      else this.byKind.set(e.kind, [e]);
    }
  }

  private kinds(prefix: string): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (const [kind, list] of this.byKind) if (kind.startsWith(prefix)) out.push(...list);
    return out.sort((a, b) => a.t - b.t);
  }

  get start(): number | undefined {
    return this.events[0]?.t;
  }

  get end(): number | undefined {
    return this.events.at(-1)?.t;
  }

  /** Events whose kind equals `kind`, or starts with it when it ends in `.` or `*`. */
  ofKind(kind: string): TraceEvent[] {
    if (kind.endsWith('*')) return this.kinds(kind.slice(0, -1));
    return [...(this.byKind.get(kind) ?? [])];
  }

  first(kind: string, after?: number): TraceEvent | undefined {
    const list = this.byKind.get(kind);
    return after === undefined ? list?.[0] : list?.find((e) => e.t >= after);
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  between(from: number, to: number): TraceEvent[] {
    return this.events.filter((e) => e.t >= from && e.t <= to);
  }

  /** Realtime API events (either direction), optionally of one event type. */
  openai(type?: string, direction?: 'client' | 'server'): TraceEvent<OpenAIEventData>[] {
    const list = (type === undefined ? this.kinds('openai.') : (this.byKind.get(`openai.${type}`) ?? [])) as TraceEvent<OpenAIEventData>[];
    return direction === undefined ? [...list] : list.filter((e) => e.data.direction === direction);
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
