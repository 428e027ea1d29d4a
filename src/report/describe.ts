import type { TraceEvent } from '../diagnose/types.js';
import { fieldsOf, isOpenAIEvent } from '../events/index.js';

const MAX = 160;

function clip(s: string, n = MAX): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A one-line human description of an event's payload (presentation only). */
export function describeEvent(e: TraceEvent): string {
  if (isOpenAIEvent(e)) {
    const d = e.data;
    const ev = d.event;
    const parts: string[] = [String(d.direction === 'client' ? '→' : '←')];
    const err = ev['error'] as Record<string, unknown> | undefined;
    if (err) parts.push(`${err['code'] ?? err['type'] ?? 'error'}: ${err['message'] ?? ''}`);
    const resp = ev['response'] as Record<string, unknown> | undefined;
    if (resp) {
      if (resp['id']) parts.push(String(resp['id']));
      if (resp['status']) parts.push(`status=${String(resp['status'])}`);
      const sd = resp['status_details'];
      if (sd) parts.push(`details=${JSON.stringify(sd)}`);
      if (e.kind === 'openai.response.created' || e.kind === 'openai.response.create') {
        parts.push(`metadata=${JSON.stringify(resp['metadata'] ?? null)}`);
      }
    }
    const item = ev['item'] as Record<string, unknown> | undefined;
    if (item && typeof item['id'] === 'string') parts.push(`item=${item['id']}${typeof item['role'] === 'string' ? ` (${item['role']})` : ''}`);
    if (ev['event_id'] && d.direction === 'client') parts.push(`event_id=${String(ev['event_id'])}`);
    for (const k of ['audio_end_ms', 'audio_start_ms', 'item_id', 'response_id', 'code', 'reason']) {
      if (ev[k] !== undefined && ev[k] !== null) parts.push(`${k}=${String(ev[k])}`);
    }
    return clip(parts.join(' '));
  }
  const d = fieldsOf(e);
  if (typeof d['message'] === 'string') {
    // A logged traceback: its first line and the exception it ended with.
    const lines = d['message']
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return clip(lines.length > 1 ? `${lines[0]} ⏎ ${lines.at(-1)}` : (lines[0] ?? ''));
  }
  const text = JSON.stringify(d);
  return clip(text === '{}' ? '' : text);
}
