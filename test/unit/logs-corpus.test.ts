import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../helpers/corpus.js';
import { parseLogFile } from '../../src/sources/logs/index.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import { metaFor } from '../../src/diagnose/catalogue.js';
import { exitCodeFor } from '../../src/report/report.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { isOpenAIEvent } from '../../src/events/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs');

const cases = loadCorpus(DIR);

describe('fixtures/logs corpus', () => {
  it('has a log for every expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) expect(readdirSync(DIR)).toContain(`${c.name}.log`);
  });

  for (const { name, expected } of cases) {
    it(`${name}: format, recognised lines and event kinds`, async () => {
      const parse = parseLogFile(join(DIR, `${name}.log`));
      const events: TraceEvent[] = [];
      for await (const e of parse) events.push(e);
      const formats = Object.entries(parse.stats.formats).filter(([, n]) => (n ?? 0) > 0);
      const format = formats.length === 1 ? formats[0]![0] : 'mixed';
      expect(format).toBe(expected.format);
      expect(parse.stats.recognised).toBeGreaterThanOrEqual(expected.recognisedAtLeast);
      const kinds = [...new Set(events.map((e) => e.kind))];
      if (expected.format === 'mixed') {
        for (const k of expected.events) expect(kinds).toContain(k);
      } else {
        // exactly these kinds, in this order of first appearance
        expect(kinds).toEqual(expected.events);
      }
      const findings = diagnose(events, ALL_RULES, { command: 'trace log' });
      expect(findings.map((f) => `${f.severity}:${f.code}`).sort()).toEqual(expected.findings);
      expect(exitCodeFor(findings, metaFor)).toBe(expected.exitCode);
      for (const e of events) {
        expect(Number.isFinite(e.t)).toBe(true);
        if (e.kind.startsWith('log.'))
          expect(e.data).toMatchObject({ level: expect.any(String), logger: expect.any(String), message: expect.any(String), line: expect.any(Number) });
        if (isOpenAIEvent(e) && e.source === 'log') expect(['client', 'server']).toContain(e.data.direction);
      }
    });
  }
});
