import { describe, expect, it } from 'vitest';
import { detectLine, newDetectState } from '../../src/sources/logs/detect.js';
import { LOG_FORMAT_HELP, LOG_FORMAT_REGISTRY, LOG_FORMATS_SUPPORTED } from '../../src/sources/logs/formats.js';
import { LOG_FORMATS } from '../../src/sources/logs/index.js';

const LINES = {
  'lkdiag-ndjson': '{"t":1760954178728,"source":"log","kind":"agent.fatal","data":{}}',
  pino: '{"level":30,"time":1760954178728,"pid":1,"hostname":"h","msg":"hello"}',
  'python-json': '{"message":"hello","level":"INFO","name":"livekit.agents","timestamp":"2025-09-13T23:25:08.039000+00:00"}',
  'python-text': '2025-09-13 23:25:08,039 - INFO livekit.agents - hello',
} as const;

describe('the log-format registry', () => {
  it('holds every format once, and the help and the hint list each of them', () => {
    expect([...LOG_FORMAT_REGISTRY.map((f) => f.name)].sort()).toEqual([...LOG_FORMATS].sort());
    for (const f of LOG_FORMAT_REGISTRY) {
      expect(LOG_FORMAT_HELP).toContain(`  ${f.name} `);
      expect(LOG_FORMATS_SUPPORTED).toContain(f.short);
    }
  });

  it.each(Object.entries(LINES))('detects a %s line as that format', (format, line) => {
    expect(detectLine(line, 1, newDetectState())?.format).toBe(format);
  });

  it('gives a line to the first format that claims it, and no later one', () => {
    // pino claims a numeric level; without `time` pino rejects it, and Python JSON is not tried
    expect(detectLine('{"level":30,"message":"hello","timestamp":"2025-09-13T23:25:08Z"}', 1, newDetectState())).toBeUndefined();
    // an NDJSON-looking line that is not a valid event falls through to the next formats
    expect(detectLine('{"kind":"x","source":"nope","message":"hi","timestamp":"2025-09-13T23:25:08Z"}', 1, newDetectState())?.format).toBe('python-json');
    // a line that starts with { but is not JSON is not offered to the text formats
    expect(detectLine('{2025-09-13 23:25:08,039 - INFO livekit.agents - hello', 1, newDetectState())).toBeUndefined();
  });
});
