// Every wording of every version (issue #12 item 4). fixtures/wordings/python-livekit-agents-<v>.json
// lists the log and exception strings of one livekit-agents (+ livekit-plugins-openai) release, read
// from its installed site-packages by scripts/lib/matrix-wordings.mjs (`node scripts/version-matrix.mjs
// --wordings`), each with the python-json record a log line of it reads as and the kind the wording
// tables gave it. Each mapped string must still give its kind; a few facts must be read in every
// version that prints them, whatever its wording.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventFor } from '../../src/sources/logs/messages.js';
import type { LogRecord } from '../../src/sources/logs/record.js';

const DIR = join(import.meta.dirname, '../../fixtures/wordings');

interface Wording {
  source: 'log' | 'raise';
  level: string;
  text: string;
  template: boolean;
  file: string;
  record: { level: LogRecord['level']; logger: string; message: string; extras: Record<string, unknown> };
  kind: string | null;
}

interface WordingFile {
  package: string;
  wordings: Wording[];
}

const files = readdirSync(DIR)
  .filter((f) => /^python-livekit-agents-[\d.]+\.json$/.test(f))
  .map((f) => ({ version: f.replace(/^python-livekit-agents-|\.json$/g, ''), doc: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as WordingFile }));

const record = (w: Wording): LogRecord => ({
  t: 1_000,
  level: w.record.level,
  logger: w.record.logger,
  message: w.record.message,
  extras: w.record.extras,
  line: 1,
  format: 'python-json',
  framework: 'python',
});

const kindOf = (w: Wording): string | null => eventFor(record(w), false)?.kind ?? null;

const find = (doc: WordingFile, text: string) => doc.wordings.find((w) => w.text === text);

describe('fixtures/wordings: every Python version the matrix installs', () => {
  it('has the 0.x S2S era and each 1.x version of the matrix', () => {
    expect(files.map((f) => f.version).sort()).toEqual(expect.arrayContaining(['0.12.21', '1.0.23', '1.2.18', '1.3.12', '1.5.4', '1.6.10', '1.8.9']));
    for (const { version, doc } of files) {
      expect(doc.package, version).toContain(`livekit-agents ${version}`);
      expect(doc.wordings.length, version).toBeGreaterThan(100);
    }
  });

  for (const { version, doc } of files) {
    it(`${version}: each mapped string gives its kind through the table`, () => {
      const mapped = doc.wordings.filter((w) => w.kind !== null);
      expect(mapped.length).toBeGreaterThan(10);
      const got = mapped.map((w) => `${w.text} -> ${kindOf(w)}`);
      expect(got).toEqual(mapped.map((w) => `${w.text} -> ${w.kind}`));
    });
  }
});

describe('the same fact in every wording of it', () => {
  // wording -> kind, in every version file that holds the wording (a version without it is skipped)
  const FACTS: Array<[string, string]> = [
    ['received job request', 'log.job.received'],
    ['registered worker', 'log.worker.registered'],
    ['generate_reply timed out.', 'agent.generate-reply-failed'],
    ['pre-connect audio received', 'log.preconnect.received'],
    ['pre-connect audio buffer pushed', 'log.preconnect.pushed'],
    ['pre-connect audio buffer is too old', 'log.preconnect.too-old'],
    ['process is unresponsive, killing process', 'log.job.killed'],
    ['AgentSession is closing due to unrecoverable error', 'agent.fatal'],
    // late responses: 1.0.x, 1.2-1.4, 1.6.5+
    ['response received after timeout', 'log.openai.late-response'],
    ["response of generate_reply received after it's timed out.", 'log.openai.late-response'],
    ['discarding response that arrived after it was timed out or interrupted', 'log.openai.late-response'],
    // the model answering in text: 0.12, 1.0.x, 1.2+
    ['The OpenAI Realtime API returned a text response instead of audio. Attempting to recover to audio mode...', 'log.openai.text-in-audio'],
    ['received text-only response from realtime API', 'log.openai.text-in-audio'],
    ['Text response received from OpenAI Realtime API in audio modality.', 'log.openai.text-in-audio'],
    ['Text response received from {self._realtime_model._provider_label} in audio modality.', 'log.openai.text-in-audio'],
    // Realtime API errors: 0.x dict, 1.0-1.5 error extra, 1.8 inline
    ['OpenAI S2S error %s', 'openai.error'],
    ['OpenAI Realtime API returned an error', 'openai.error'],
    ['{provider_label} returned an error: {event.error}', 'openai.error'],
    // responses that did not complete: 0.x, 1.x
    ['response generation incomplete', 'log.openai.response-not-complete'],
    ['%s response done but not complete with status: %s (type=%s, reason=%s)', 'log.openai.response-not-complete'],
  ];

  it.each(FACTS)('%s -> %s', (text, kind) => {
    const holders = files.filter(({ doc }) => find(doc, text));
    expect(holders.length, `no version file prints "${text}"`).toBeGreaterThan(0);
    for (const { version, doc } of holders) {
      const w = find(doc, text)!;
      expect(`${version}: ${kindOf(w)}`).toBe(`${version}: ${kind}`);
      expect(`${version}: ${w.kind}`).toBe(`${version}: ${kind}`);
    }
  });

  it('the 0.x S2S error reads as the error it carries', () => {
    const w = find(files.find((f) => f.version === '0.12.21')!.doc, 'OpenAI S2S error %s')!;
    const e = eventFor(record(w), false);
    expect(e?.kind).toBe('openai.error');
    expect(JSON.stringify(e?.data)).toContain('session_expired');
  });
});
