import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RecordAssembler } from '../../src/sources/logs/assemble.js';
import { type Detected, newDetectState } from '../../src/sources/logs/detect.js';
import type { LogRecord } from '../../src/sources/logs/record.js';

const PUBLIC = join(import.meta.dirname, '../../fixtures/logs/public');

/** The lines of public-corpus excerpt `id` (e.g. '046'), verbatim. */
export function publicExcerpt(id: string): string[] {
  const file = readdirSync(PUBLIC).find((f) => f.startsWith(`${id}-`) && f.endsWith('.log'))!;
  return readFileSync(join(PUBLIC, file), 'utf8').replace(/\n$/, '').split('\n');
}

/** The records the lines make (through the real assembler), their formats, and the lines that were neither a record nor part of one. */
export function readRecords(lines: string[]): { records: LogRecord[]; formats: string[]; unrecognised: number[] } {
  const out: Detected[] = [];
  const a = new RecordAssembler(newDetectState(), (d) => out.push(d));
  const unrecognised: number[] = [];
  lines.forEach((l, i) => {
    if (l.trim() !== '' && !a.push(l, i + 1)) unrecognised.push(i + 1);
  });
  a.end();
  const recs = out.filter((d): d is Exclude<Detected, { format: 'lkdiag-ndjson' }> => d.format !== 'lkdiag-ndjson');
  return { records: recs.map((d) => d.record), formats: recs.map((d) => d.format), unrecognised };
}
