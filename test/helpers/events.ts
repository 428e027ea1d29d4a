/**
 * Trace events for tests. `event` checks the data against the kind (src/events/); `partialEvent`
 * builds an event whose data is only what the test is about (the rest of the kind's fields left out
 * on purpose), so it is typed by kind but not checked.
 */
import type { DataOf, EventKind, EventOf, EventSource, TraceEvent } from '../../src/diagnose/types.js';
import { traceEvent } from '../../src/events/index.js';

export function event<K extends EventKind>(t: number, source: EventSource, kind: K, data: DataOf<K>): EventOf<K> {
  return traceEvent(t, source, kind, data);
}

export function partialEvent(t: number, source: EventSource, kind: EventKind, data: Record<string, unknown> = {}): TraceEvent {
  // a test's own fixture: the fields it leaves out are the point of the test, or beside it
  return { t, source, kind, data } as TraceEvent;
}
