/**
 * The one place a live source (the probe, the synthetic user, the room observer session) records what it
 * sees: `emit` timestamps and keeps events in arrival order and hands each to the command's callback
 * (NDJSON, live lines); `waitFor` is the bounded wait on an event — one already recorded or one still to
 * come — that records a timeout event when the bound passes; an AbortSignal (Ctrl-C, a lost connection)
 * ends every wait at once. Waits are settled as events arrive: nothing polls.
 */
import { type DataOf, type EventKind, type EventOf, type EventSource, type TraceEvent, traceEvent } from '../events/index.js';
import { now } from './clock.js';

export type Match = (e: TraceEvent) => boolean;
/** A match that also narrows the event's type (e.g. to one kind). */
export type Guard<E extends TraceEvent> = (e: TraceEvent) => e is E;

/** A match on one kind (and, optionally, on its data): the event it resolves with is of that kind. */
export function ofKind<K extends EventKind>(kind: K, pred?: (e: EventOf<K>) => boolean): Guard<EventOf<K>> {
  return (e): e is EventOf<K> => e.kind === kind && (pred ? pred(e as EventOf<K>) : true);
}

export interface RecorderOptions {
  /** Source of events recorded with `record` when none is given. */
  source: EventSource;
  /** Called with each event as it is recorded (the command's NDJSON / live output). */
  onEvent?: ((e: TraceEvent) => void) | undefined;
  /** Keep the events (default true): `waitFor` then also finds past events, and `events` lists them. */
  keep?: boolean;
}

/** What `waitFor` records when its bound passes before a matching event arrives. */
export interface TimeoutSpec<K extends EventKind = EventKind> {
  kind: K;
  /** Its data; a function is called at expiry (the data can describe the state at that moment). */
  data: DataOf<K> | (() => DataOf<K>);
  source?: EventSource;
}

export interface WaitOptions<K extends EventKind = EventKind> {
  /** Also accept an event recorded before the call, from this time on (default: any past event). */
  since?: number;
  /** Only events recorded after the call (default false). */
  futureOnly?: boolean;
  /** Ends the wait (resolving undefined) when an event matching this arrives first. */
  until?: Match;
  /** Ends the wait (resolving undefined) on abort; no timeout event is recorded then. */
  signal?: AbortSignal | undefined;
  /** The event to record when the bound passes (none: the wait just ends). */
  timeout?: TimeoutSpec<K>;
}

interface Waiter {
  match: Match;
  until: Match | undefined;
  settle: (e: TraceEvent | undefined) => void;
}

export class Recorder {
  readonly events: TraceEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly keep: boolean;
  private closed = false;

  constructor(private readonly o: RecorderOptions) {
    this.keep = o.keep ?? true;
  }

  /** Records an event as it is (its own `t` and source), unless the recorder is closed. */
  emit = (e: TraceEvent): void => {
    if (this.closed) return;
    if (this.keep) this.events.push(e);
    this.o.onEvent?.(e);
    for (const w of [...this.waiters]) {
      if (!this.waiters.has(w)) continue; // settled by a nested emit
      if (w.match(e)) w.settle(e);
      else if (w.until?.(e)) w.settle(undefined);
    }
  };

  /** Records `kind` with `data` (checked against the kind), timestamped now. */
  record<K extends EventKind>(kind: K, data: DataOf<K>, source: EventSource = this.o.source): EventOf<K> {
    const e = traceEvent(now(), source, kind, data);
    this.emit(e);
    return e;
  }

  /** The first recorded event that matches. */
  find<E extends TraceEvent>(match: Guard<E>, since?: number): E | undefined;
  find(match: Match, since?: number): TraceEvent | undefined;
  find(match: Match, since = -Infinity): TraceEvent | undefined {
    return this.events.find((e) => e.t >= since && match(e));
  }

  /**
   * The first event that matches — already recorded (from `since` on) or still to come — or undefined
   * when the bound passes (recording `timeout`, if given), `until` matches first, the signal aborts or
   * the recorder closes. Never rejects.
   */
  waitFor<E extends TraceEvent, K extends EventKind = EventKind>(match: Guard<E>, boundMs: number, opts?: WaitOptions<K>): Promise<E | undefined>;
  waitFor<K extends EventKind = EventKind>(match: Match, boundMs: number, opts?: WaitOptions<K>): Promise<TraceEvent | undefined>;
  waitFor<K extends EventKind>(match: Match, boundMs: number, opts: WaitOptions<K> = {}): Promise<TraceEvent | undefined> {
    if (!opts.futureOnly) {
      const seen = this.find(match, opts.since);
      if (seen) return Promise.resolve(seen);
    }
    if (this.closed || opts.signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => w.settle(undefined);
      const timer = setTimeout(
        () => {
          w.settle(undefined);
          const t = opts.timeout;
          if (t) this.record(t.kind, typeof t.data === 'function' ? t.data() : t.data, t.source ?? this.o.source);
        },
        Math.max(0, boundMs),
      );
      const w: Waiter = {
        match,
        until: opts.until,
        settle: (e) => {
          this.waiters.delete(w);
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(e);
        },
      };
      this.waiters.add(w);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Ends every wait (they resolve undefined) and records nothing more. */
  close(): void {
    this.closed = true;
    this.settleAll();
  }

  /** Ends every wait in progress (they resolve undefined); recording goes on. */
  settleAll(): void {
    for (const w of [...this.waiters]) w.settle(undefined);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
