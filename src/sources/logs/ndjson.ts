/**
 * lkdiag's own NDJSON (`--json` of a streaming command): one TraceEvent per line and the report
 * (`"schema": "lkdiag/v1"`) last. Events are re-used as they are; a report's findings are not
 * (the rules run again), but its `events` are, when the file carried no event lines of its own.
 */
import type { EventSource, TraceEvent } from '../../diagnose/types.js';
import { isPlainObject } from './record.js';

const SOURCES = new Set<EventSource>(['probe', 'openai', 'log', 'room', 'session', 'client', 'server', 'simulator']);

export function asTraceEvent(obj: unknown): TraceEvent | undefined {
  if (!isPlainObject(obj)) return undefined;
  const { t, source, kind, data } = obj;
  if (typeof t !== 'number' || !Number.isFinite(t) || typeof kind !== 'string' || kind === '') return undefined;
  if (typeof source !== 'string' || !SOURCES.has(source as EventSource) || !isPlainObject(data)) return undefined;
  return { t, source: source as EventSource, kind, data };
}

export function isLkdiagReport(obj: Record<string, unknown>): boolean {
  return obj['schema'] === 'lkdiag/v1' && typeof obj['command'] === 'string';
}

/** The events a report line carries (none when the NDJSON stream already gave them one by one). */
export function reportEvents(obj: Record<string, unknown>): TraceEvent[] {
  const events = obj['events'];
  if (!Array.isArray(events)) return [];
  const out: TraceEvent[] = [];
  for (const e of events) {
    const ev = asTraceEvent(e);
    if (ev) out.push(ev);
  }
  return out;
}
