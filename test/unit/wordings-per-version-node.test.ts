// Every wording of every covered agents-js version (issue #12 item 4): fixtures/wordings/node-livekit-agents-<v>.json
// holds the logger and Error strings of @livekit/agents + agents-plugin-openai <v>, read from the installed dist by
// scripts/lib/matrix-node.mjs (--wordings), each with the kind the wording tables gave it. Each mapped string must
// still give that kind through eventFor, as the pino record agents-js writes; the facts the rules read must be mapped
// in every version that prints them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventFor } from '../../src/sources/logs/messages.js';
import type { LogLevel, LogRecord } from '../../src/sources/logs/record.js';

interface Wording {
  package: string;
  text: string;
  sample: string;
  how: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'throw';
  files: string[];
  kind: string | null;
}
interface VersionWordings {
  version: string;
  packages: Record<string, string>;
  wordings: Wording[];
}

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'wordings');
const FILES = readdirSync(DIR).filter((f) => /^node-livekit-agents-[\d.]+\.json$/.test(f));
const load = (f: string): VersionWordings => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as VersionWordings;

const LEVEL: Record<Wording['how'], LogLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warning',
  error: 'error',
  fatal: 'critical',
  throw: 'error',
};

const pino = (message: string, level: LogLevel = 'info', extras: Record<string, unknown> = {}): LogRecord => ({
  t: 1_000,
  level,
  logger: '',
  message,
  extras,
  line: 1,
  format: 'pino',
  framework: 'node',
});

/** The facts each version prints (its own dist's wording), which must not fall back to a plain line. */
const MUST_MAP: Record<string, ReadonlyArray<[string, string]>> = {
  '1.0.51': [
    ['starting worker', 'log.framework'],
    ['received job request', 'log.job.received'],
    ['AgentSession is closing due to unrecoverable error', 'agent.fatal'],
    ['job is unresponsive', 'log.job.unresponsive'],
    ['process exceeded memory limit, killing process', 'log.job.killed'],
    ['worker connection closed unexpectedly', 'log.worker.connection-lost'],
    ['OpenAI Realtime API connection failed after {} attempts', 'log.openai.connection-error'],
    ['(server) <- {}', 'openai.*'],
    ['failed to connect to LiveKit server ({}), retrying in {} seconds: ({}/{})', 'log.worker.connect-failed'],
    ['Connecting to OpenAI Realtime API at {}', 'log.openai.connecting'],
  ],
  '1.4.7': [
    ['AgentSession is closing due to an unrecoverable error', 'agent.fatal'],
    ['job is unresponsive', 'log.job.unresponsive'],
    ['{} process exceeded memory limit, killing it', 'log.job.killed'],
    ['{} process memory usage is above the warning threshold{}', 'log.job.memory-high'],
    ['OpenAI Realtime API response done but not complete with status: {} (type={}, reason={})', 'log.openai.response-not-complete'],
    ['(client) -> {}', 'openai.*'],
  ],
  '1.9.0': [
    ['generateReply timed out.', 'agent.generate-reply-failed'],
    ['failed to connect to LiveKit server ({}), retrying in {} seconds: ({}/{})', 'log.worker.connect-failed'],
    ['failed to connect to LiveKit server ({}) after {} attempts: {}', 'log.worker.connect-failed'],
    ['Connecting to OpenAI Realtime API at {}', 'log.openai.connecting'],
    ['discarding response that arrived after it was timed out or interrupted', 'log.openai.late-response'],
    ['AgentSession is closing due to an unrecoverable error', 'agent.fatal'],
    ['job is unresponsive', 'log.job.unresponsive'],
    ['{} process exceeded memory limit, killing it', 'log.job.killed'],
    ['{} process memory usage is above the warning threshold{}', 'log.job.memory-high'],
  ],
};

describe('agents-js wordings per version (fixtures/wordings/node-*.json)', () => {
  it('covers the versions of the matrix', () => {
    expect(FILES.sort()).toEqual(['node-livekit-agents-1.0.51.json', 'node-livekit-agents-1.4.7.json', 'node-livekit-agents-1.9.0.json']);
  });

  for (const file of FILES) {
    const w = load(file);
    describe(`@livekit/agents ${w.version}`, () => {
      it('was read from that version', () => {
        expect(file).toBe(`node-livekit-agents-${w.version}.json`);
        expect(w.packages).toEqual({ '@livekit/agents': w.version, '@livekit/agents-plugin-openai': w.version });
        // a real extraction, not an empty list: hundreds of strings from both packages
        expect(w.wordings.filter((x) => x.package === '@livekit/agents').length).toBeGreaterThan(200);
        expect(w.wordings.filter((x) => x.package === '@livekit/agents-plugin-openai').length).toBeGreaterThan(20);
      });

      it('gives every mapped string its kind through the tables', () => {
        const mapped = w.wordings.filter((x) => x.kind !== null);
        const got = mapped.map((x) => {
          const kind = eventFor(pino(x.sample, LEVEL[x.how])).kind;
          return { text: x.text, kind: x.kind === 'openai.*' && kind.startsWith('openai.') ? 'openai.*' : kind };
        });
        expect(got).toEqual(mapped.map((x) => ({ text: x.text, kind: x.kind })));
      });

      it('maps the facts the rules read', () => {
        const byText = new Map(w.wordings.map((x) => [x.text, x.kind]));
        for (const [text, kind] of MUST_MAP[w.version] ?? []) expect({ text, kind: byText.get(text) }).toEqual({ text, kind });
      });
    });
  }

  it('reads the Realtime API error agents-js logs with the error object as a field', () => {
    // plugins/openai realtime_model: this.#logger.error({ error: event.error }, "OpenAI Realtime API returned an error")
    const r = pino('OpenAI Realtime API returned an error', 'error', {
      error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message: 'Conversation already has an active response in progress: resp_1.',
      },
    });
    const e = eventFor(r);
    expect(e.kind).toBe('openai.error');
    expect((e.data as { event: { error: { code: string } } }).event.error.code).toBe('conversation_already_has_active_response');
  });

  it('reads the worker connect wording with the server URL in it', () => {
    const retry = eventFor(pino('failed to connect to LiveKit server (ws://127.0.0.1:7880), retrying in 2 seconds: (1/16)', 'warning'));
    expect(retry.kind).toBe('log.worker.connect-failed');
    expect(retry.data).toMatchObject({ retryInS: 2 });
    const last = eventFor(pino('failed to connect to LiveKit server (ws://127.0.0.1:7880) after 16 attempts: Error: Unexpected server response: 401', 'error'));
    expect(last.data).toMatchObject({ final: true, status: 401, reason: 'Error: Unexpected server response: 401' });
  });

  it('reads the 1.4.7+ memory wording with its fields', () => {
    const e = eventFor(
      pino('job process memory usage is above the warning threshold', 'warning', { memoryUsageMB: 612.5, memoryWarnMB: 500, memoryLimitMB: 0 }),
    );
    expect(e.kind).toBe('log.job.memory-high');
    expect(e.data).toMatchObject({ memoryMb: 612.5, warnMb: 500, limitMb: 0 });
    expect(eventFor(pino('inference process exceeded memory limit, killing it', 'error')).data).toMatchObject({ why: 'memory' });
  });
});
