/**
 * lkdiag's own NDJSON (`--json` of a streaming command): one TraceEvent per line and the report
 * (`"schema": "lkdiag/v1"`) last. Events are re-used as they are; a report's findings are not
 * (the rules run again), but its `events` are, when the file carried no event lines of its own.
 */
import type { EventSource, TraceEvent } from '../../diagnose/types.js';
import { EVENT_SOURCES, isEventKind, upgradeLegacyEvent } from '../../events/index.js';
import { isPlainObject } from './record.js';

const SOURCES = new Set<string>(EVENT_SOURCES);
const isSource = (s: unknown): s is EventSource => typeof s === 'string' && SOURCES.has(s);

/**
 * A trace event read back from lkdiag's own output. Kinds an older lkdiag wrote are read as today's
 * (events/legacy.ts); a kind the vocabulary does not know is dropped.
 */
export function asTraceEvent(obj: unknown): TraceEvent | undefined {
  if (!isPlainObject(obj)) return undefined;
  const { t, source, kind: written, data: writtenData } = obj;
  if (typeof t !== 'number' || !Number.isFinite(t) || typeof written !== 'string' || written === '') return undefined;
  if (!isSource(source) || !isPlainObject(writtenData)) return undefined;
  const { kind, data } = upgradeLegacyEvent({ kind: written, data: writtenData });
  if (!isEventKind(kind)) return undefined;
  // lkdiag wrote it from a TraceEvent of this kind: its data has that kind's shape
  return { t, source, kind, data } as TraceEvent;
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
