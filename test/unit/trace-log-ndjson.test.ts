import { describe, expect, it } from 'vitest';
import { ndjsonBytes } from '../../src/commands/trace-log.run.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { partialEvent } from '../helpers/events.js';

describe('trace log --json: a batch encoded straight into bytes', () => {
  it('is byte for byte the joined NDJSON lines, whatever the characters and sizes', () => {
    const texts = [
      'plain',
      'héllo €uro',
      '😀 emoji',
      '\u2028 line separator',
      'quote " backslash \\ newline \n',
      '\ud800 lone surrogate',
      'x'.repeat(100_000),
      '€'.repeat(50_000),
    ];
    for (let n = 0; n <= 40; n += 7) {
      const batch: TraceEvent[] = [];
      for (let i = 0; i < n; i++) batch.push(partialEvent(1_767_603_600_000 + i, 'log', 'log.line', { message: texts[i % texts.length]!, line: i }));
      const want = Buffer.from(batch.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      expect(ndjsonBytes(batch).equals(want)).toBe(true);
    }
  });
});
