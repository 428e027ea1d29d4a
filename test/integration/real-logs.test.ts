// Real agent output (fixtures/logs/real/): logs captured from the reference Python agent
// (`start`, DEBUG, LK_OPENAI_DEBUG=1) and the Node agent (pino, debug) against a real livekit-server
// and the simulator, trimmed to one session. Same corpus format as fixtures/logs, plus `findings`:
// the exact codes `trace log` must report for the file (severity:code, sorted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../helpers/corpus.js';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { parseLogFile } from '../../src/sources/logs/index.js';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

const DIR = join(import.meta.dirname, '../../fixtures/logs/real');

const cases = loadCorpus(DIR);

const SECRETISH = /(sk-[A-Za-z0-9]{20,}|eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}|api[_-]?secret"?\s*[:=]\s*"?(?!secret\b)[A-Za-z0-9]{8,})/i;

describe('fixtures/logs/real: captured agent output', () => {
  it('has the captured sessions', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining([
        'python-healthy',
        'python-late-connect',
        'python-preconnect-disabled',
        'python-vad-interrupt',
        'python-slow-model',
        'python-truncate-after-reconnect',
        'node-healthy',
        'node-slow-model',
      ]),
    );
  });

  for (const { name, expected } of cases) {
    it(`${name}: format, kinds and exact findings`, async () => {
      const text = readFileSync(join(DIR, `${name}.log`), 'utf8');
      expect(text).not.toMatch(SECRETISH);
      const parse = parseLogFile(join(DIR, `${name}.log`));
      const events: TraceEvent[] = [];
      for await (const e of parse) events.push(e);
      const formats = Object.entries(parse.stats.formats).filter(([, n]) => (n ?? 0) > 0);
      expect(formats.length === 1 ? formats[0]![0] : 'mixed').toBe(expected.format);
      expect(parse.stats.recognised).toBeGreaterThanOrEqual(expected.recognisedAtLeast);
      const kinds = new Set(events.map((e) => e.kind));
      for (const k of expected.events) expect(kinds, k).toContain(k);
      const findings = diagnose(events, ALL_RULES, { command: 'trace log' });
      expect(findings.map((f) => `${f.severity}:${f.code}`).sort(), JSON.stringify(findings.map((f) => [f.code, f.detail.slice(0, 200)]))).toEqual(
        expected.findings,
      );
    });
  }

  it.each(['python-vad-interrupt', 'python-slow-model', 'python-vad-interrupt-edited-pre165-truncate'])(
    '%s through the CLI: the same codes and exit code',
    async (name) => {
      const expected = cases.find((c) => c.name === name)!.expected;
      const r = await lkdiag(['trace', 'log', '--json', `fixtures/logs/real/${name}.log`]);
      const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as JsonReport;
      expect(codesOf(report)).toEqual(expected.findings);
      expect(r.code).toBe(expected.exitCode);
    },
  );
});
