import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** `<name>.expected.json` beside `<name>.log` in fixtures/logs and fixtures/logs/real. */
export interface CorpusExpected {
  format: string;
  recognisedAtLeast: number;
  events: string[];
  /** Exact `severity:code` list (sorted) the rules give for this log, and the exit code it implies. */
  findings: string[];
  exitCode: number;
  source?: string;
}

/** Every expectation file of a corpus folder, by log name. */
export function loadCorpus(dir: string): Array<{ name: string; expected: CorpusExpected }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => ({ name: f.replace(/\.expected\.json$/, ''), expected: JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusExpected }));
}
