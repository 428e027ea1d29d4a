import type { EventKind, EventOf, OpenAIEvent, PrefixEvent, TraceEvent } from '../events/index.js';

export type { OpenAIEventData } from '../events/index.js';

/** A kind, or a prefix ending in `*` (`log.preconnect.*`, `openai.*`). */
export type KindQuery = EventKind | `${string}*`;

/** A time-ordered, immutable view over trace events with the queries rules need, typed by kind. */
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

  /** The list of one kind; the index holds only events of that kind, so it is EventOf<K>. */
  private list<K extends EventKind>(kind: K): readonly EventOf<K>[] {
    return (this.byKind.get(kind) ?? []) as EventOf<K>[];
  }

  get start(): number | undefined {
    return this.events[0]?.t;
  }

  get end(): number | undefined {
    return this.events.at(-1)?.t;
  }

  /** Events whose kind starts with the prefix before `*`, in time order. */
  ofKind<P extends string>(prefix: `${P}*`): PrefixEvent<P>[];
  /** Events of one kind, in time order. */
  ofKind<K extends EventKind>(kind: K): EventOf<K>[];
  ofKind(kind: string): TraceEvent[] {
    if (kind.endsWith('*')) return this.kinds(kind.slice(0, -1));
    return [...(this.byKind.get(kind) ?? [])];
  }

  /** The first event of a kind (at or after `after`, when given). */
  first<K extends EventKind>(kind: K, after?: number): EventOf<K> | undefined {
    const list = this.list(kind);
    return after === undefined ? list[0] : list.find((e) => e.t >= after);
  }

  has(kind: EventKind): boolean {
    return this.byKind.has(kind);
  }

  between(from: number, to: number): TraceEvent[] {
    return this.events.filter((e) => e.t >= from && e.t <= to);
  }

  /** Realtime API events (either direction), optionally of one event type: `data.event` narrowed to it. */
  openai<T extends string = string>(type?: T, direction?: 'client' | 'server'): OpenAIEvent<T>[] {
    const list = type === undefined ? this.kinds('openai.') : (this.byKind.get(`openai.${type}`) ?? []);
    // Every event indexed under `openai.<T>` (or `openai.` when T is any type) is an OpenAIEvent<T>.
    const events = list as OpenAIEvent<T>[];
    return direction === undefined ? [...events] : events.filter((e) => e.data.direction === direction);
  }

  /** Realtime `error` events with a given error code. */
  openaiErrors(code?: string): OpenAIEvent<'error'>[] {
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

export function errorOf(e: OpenAIEvent): RealtimeErrorBody | undefined {
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

export function responseOf(e: OpenAIEvent): RealtimeResponseBody | undefined {
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
