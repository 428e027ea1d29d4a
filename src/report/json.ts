import { redact } from '../redact.js';
import type { Report } from './report.js';

/** One versioned JSON document (the same data the text renderer shows). */
export function renderJson(report: Report): string {
  return renderJsonDocument(report);
}

/** Any other versioned lkdiag document (e.g. `doctor --list --json`, the catalogue), redacted like a report. */
export function renderJsonDocument(doc: { schema: 'lkdiag/v1'; command: string } & Record<string, unknown>): string {
  return `${redact(JSON.stringify(doc, null, 2))}\n`;
}

/** One NDJSON line (streaming commands: events as they happen, the report last). */
export function renderNdjsonLine(value: unknown): string {
  // Redacting the serialised line keeps it valid JSON (secrets never contain quotes) at one stringify.
  return `${redact(JSON.stringify(value))}\n`;
}
