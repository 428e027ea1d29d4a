// `trace log` on several files (issue #12 items 3 and 6), through the built CLI, on real logs: the reference
// Python agent (livekit-agents 1.8.9, `start --log-level DEBUG`, LK_OPENAI_DEBUG=1) and livekit-server v1.13.5
// captured side by side (fixtures/logs/server/pair-*), a server run with a worker that never answers
// (fixtures/logs/server/livekit-server-1.13.5-dispatch*.log), a captured agent session of another day
// (fixtures/logs/real/), and the public corpus.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

const AGENT = 'fixtures/logs/server/pair-python-agent.log';
const SERVER = 'fixtures/logs/server/pair-livekit-server.log';
const DISPATCH = 'fixtures/logs/server/livekit-server-1.13.5-dispatch.log';
const DISPATCH_JSON = 'fixtures/logs/server/livekit-server-1.13.5-dispatch-json.log';
const OTHER_DAY = 'fixtures/logs/real/python-healthy.log';

interface Ndjson {
  events: Array<{ t: number; kind: string; data: Record<string, unknown> }>;
  report: JsonReport & {
    parse: { lines: number; recognised: number; unrecognised: number; unrecognisedLines?: Array<{ line: number; text: string }> };
    input: { files?: Array<Record<string, unknown>>; warnings?: string[] };
  };
}

function ndjson(stdout: string): Ndjson {
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { events: lines.slice(0, -1) as Ndjson['events'], report: lines.at(-1) as Ndjson['report'] };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'lkdiag-multi-'));
});

describe('trace log FILE FILE…: one timeline', () => {
  it('a real agent log and its server log of the same session: merged in time order, each file described, healthy', async () => {
    const r = await lkdiag(['--json', 'trace', 'log', AGENT, SERVER]);
    expect(r.code).toBe(0);
    const { events, report } = ndjson(r.stdout);
    expect(codesOf(report)).toEqual([]);
    // one timeline: the events of both files, in time order
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    const kinds = events.map((e) => e.kind);
    // interleaved, not one file after the other: the server's side runs through the agent's
    const sides = kinds.map((k) => (k.startsWith('log.server.') ? 'S' : 'A')).join('');
    expect(sides.replace(/(.)\1+/g, '$1').length).toBeGreaterThanOrEqual(5);
    // the one registration, seen from both sides, on one clock (the same host): within a few ms
    const both = ['log.server.worker', 'log.worker.registered'].map((k) => events.find((e) => e.kind === k)!.t);
    expect(Math.abs(both[0]! - both[1]!)).toBeLessThan(50);
    expect(kinds).toContain('log.job.received');
    expect(kinds).toContain('log.server.participant');
    expect(report.input.files).toEqual([
      expect.objectContaining({ file: AGENT, formats: { 'python-json': 92 }, records: 92, lines: 92 }),
      expect.objectContaining({ file: SERVER, formats: { 'livekit-server': 141 }, records: 141, lines: 141 }),
    ]);
    expect(report.input.warnings).toBeUndefined();
    expect(report.parse).toMatchObject({ lines: 233, recognised: 233, unrecognised: 0 });
  });

  it('the text report lists the inputs with their formats and spans', async () => {
    const r = await lkdiag(['trace', 'log', AGENT, SERVER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/inputs \(2 files, merged by time\)/);
    expect(r.stdout).toContain(`${AGENT}  python-json 92 · 92 record(s) of 92 line(s) · 16:56:09.241 – 16:56:42.958`);
    expect(r.stdout).toContain(`${SERVER}  livekit-server 141 · 141 record(s) of 141 line(s) · 16:56:02.809 – 16:56:42.985`);
    expect(r.stderr).not.toMatch(/overlap/);
  });

  it('files that do not overlap in time: warned (stderr with --json, and in the report), findings of both, exit 1', async () => {
    const r = await lkdiag(['--json', 'trace', 'log', DISPATCH, OTHER_DAY]);
    expect(r.code).toBe(1);
    const { report } = ndjson(r.stdout);
    expect(codesOf(report)).toEqual(expect.arrayContaining(['error:server/job-assignment-timeout', 'error:server/no-worker-available']));
    expect(report.input.warnings).toEqual([expect.stringMatching(/do not overlap in time/)]);
    expect(r.stderr).toMatch(/do not overlap in time/);
  });

  it('files of different days: the text report gives the dates of each span and the warning', async () => {
    const r = await lkdiag(['trace', 'log', DISPATCH, OTHER_DAY]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${DISPATCH}  livekit-server 31 · 31 record(s) of 31 line(s) · 2026-12-01 16:37:21.742 – 2026-12-01 16:37:58.410`);
    expect(r.stdout).toMatch(/! the files do not overlap in time: /);
  });

  it('two servers run side by side (console and JSON): both formats, no overlap warning', async () => {
    const r = await lkdiag(['--json', 'trace', 'log', DISPATCH, DISPATCH_JSON]);
    expect(r.code).toBe(1);
    const { report } = ndjson(r.stdout);
    expect(report.input.files?.map((f) => f['formats'])).toEqual([{ 'livekit-server': 31 }, { 'livekit-server-json': 31 }]);
    expect(report.input.warnings).toBeUndefined();
    expect(codesOf(report)).toEqual(['error:server/job-assignment-timeout', 'error:server/no-worker-available']);
  });

  it('a file with nothing recognised beside a good one: warned, the other explained', async () => {
    const prose = join(tmp, 'notes.txt');
    writeFileSync(prose, 'the agent did not answer\nsecond try\n');
    const r = await lkdiag(['--json', 'trace', 'log', prose, 'fixtures/logs/public/051-server-failed-to-assign-job-deadline.log']);
    expect(r.code).toBe(1);
    const { report } = ndjson(r.stdout);
    expect(codesOf(report)).toEqual(['error:server/job-assignment-timeout']);
    expect(report.input.warnings).toEqual([expect.stringContaining(`${prose}: no log line recognised (2 line(s))`)]);
  });

  it('a log without timestamps beside a timed one is warned about', async () => {
    const r = await lkdiag(['--json', 'trace', 'log', 'fixtures/logs/public/012-server-failed-send-job-no-response.log', '-'], {
      input: 'ERROR:asyncio:Task exception was never retrieved\n',
    });
    const { report } = ndjson(r.stdout);
    expect(report.input.warnings).toEqual([expect.stringMatching(/^stdin: its records have no timestamps/)]);
  });

  it('nothing recognised in any file: exit 2, what lkdiag reads and how to get a better log', async () => {
    const a = join(tmp, 'a.txt');
    const b = join(tmp, 'b.txt');
    writeFileSync(a, 'hello\n');
    writeFileSync(b, 'world\nagain\n');
    const r = await lkdiag(['trace', 'log', a, b]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'error: no log line recognised in any of the 2 files (3 line(s)): lkdiag reads agent logs (livekit-agents, agents-js) and livekit-server logs',
    );
    expect(lines[1]).toMatch(/^hint: Supported: .*livekit-server logs.*python agent\.py start --log-level DEBUG.*LK_OPENAI_DEBUG=1/);
    expect(r.stdout).toBe('');
  });

  it('stdin twice is a usage error', async () => {
    const r = await lkdiag(['trace', 'log', '-', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stdin \(-\) given more than once/);
  });
});

describe('saying what was not understood (one file)', () => {
  const partly = () => {
    const f = join(tmp, 'partly.log');
    writeFileSync(
      f,
      [
        '2025-08-25T17:48:33.723Z\tINFO\tlivekit\tagent/client.go:173\tfailed to send job request\t{"error": "no response from servers", "namespace": "", "jobType": "JT_ROOM", "agentName": "master-banking-agent"}',
        'Some note the user typed',
        '',
        '>>> another note',
        '2025-08-25T17:48:34.000Z\tINFO\tlivekit.room\tservice/roommanager.go:704\troom closed\t{"room": "r1", "roomID": "RM_1"}',
      ].join('\n'),
    );
    return f;
  };

  it('the parse line says how much was understood; --verbose lists the lines that were not', async () => {
    const plain = await lkdiag(['trace', 'log', partly()]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(
      /parsed 5 line\(s\): 2 recognised in 2 record\(s\) \(livekit-server 2\), 2 unrecognised — 50% of the non-blank lines understood/,
    );
    expect(plain.stdout).not.toMatch(/not understood/);
    const verbose = await lkdiag(['--verbose', 'trace', 'log', partly()]);
    expect(verbose.stdout).toMatch(/not understood \(the first 2 of 2 line\(s\)\)\n {2}line 2: Some note the user typed\n {2}line 4: >>> another note/);
  });

  it('--json --verbose carries the unrecognised lines in parse', async () => {
    const r = await lkdiag(['--json', '--verbose', 'trace', 'log', partly()]);
    const { report } = ndjson(r.stdout);
    expect(report.parse).toMatchObject({ lines: 5, recognised: 2, unrecognised: 2 });
    expect(report.parse.unrecognisedLines).toEqual([
      { line: 2, text: 'Some note the user typed' },
      { line: 4, text: '>>> another note' },
    ]);
  });
});
