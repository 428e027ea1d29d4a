/**
 * `lkdiag trace log` end to end: the built CLI spawned on the fixture corpus and on bad input.
 * Builds first (tsc); when the build is blocked by unrelated files, the last build is used.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/lkdiag.js');
const FIX = join(ROOT, 'fixtures/logs');
let tmp = '';

function lkdiag(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ndjson(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(() => {
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(join(ROOT, 'dist/commands/trace-log.run.js'))) throw new Error('build failed: dist/commands/trace-log.run.js missing');
  tmp = mkdtempSync(join(tmpdir(), 'lkdiag-trace-log-'));
}, 180_000);

describe('lkdiag trace log', () => {
  it('--json streams one NDJSON line per event and the report last', () => {
    const r = lkdiag(['--json', 'trace', 'log', join(FIX, 'issue-example.log')]);
    expect(r.stderr).toBe('');
    const lines = ndjson(r.stdout);
    expect(lines.map((l) => l['kind'] ?? l['schema'])).toEqual(['user.state', 'openai.response.cancel', 'lkdiag/v1']);
    const report = lines.at(-1)!;
    expect(report).toMatchObject({
      schema: 'lkdiag/v1',
      command: 'trace log',
      parse: { lines: 2, recognised: 2, unrecognised: 0, formats: { 'python-text': 2 } },
    });
    expect(Array.isArray(report['findings'])).toBe(true);
    expect(r.code).toBe(report['exitCode']);
  });

  it('findings decide the exit code (an error finding → 1)', () => {
    const r = lkdiag(['--json', 'trace', 'log', join(FIX, 'python-json-17-timeout.log')]);
    const report = ndjson(r.stdout).at(-1)!;
    expect(report['ok']).toBe(false);
    expect(r.code).toBe(1);
  });

  it("a refused connection in the log is the agent's error: exit 1, not the 3 of lkdiag's own connections", () => {
    const line =
      '2025-01-01 10:00:00,000 - ERROR livekit.plugins.openai - OpenAI Realtime API returned an error {"error": "Error(message=\'Incorrect API key provided: sk-abc***xyz.\', type=\'invalid_request_error\', code=\'invalid_api_key\', event_id=None, param=None)", "pid": 1}';
    const file = join(tmp, 'invalid-key.log');
    writeFileSync(file, `${line}\n`);
    const r = lkdiag(['--json', 'trace', 'log', file]);
    const report = ndjson(r.stdout).at(-1)! as { exitCode: number; findings: Array<{ severity: string; code: string }> };
    expect(report.findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['error:openai/invalid-api-key']);
    expect(report.exitCode).toBe(1);
    expect(r.code).toBe(1);
  });

  it('text: findings first, then the timeline, then parse statistics', () => {
    const r = lkdiag(['trace', 'log', join(FIX, 'python-json-17-timeout.log')]);
    expect(r.code).toBe(1);
    const iFinding = r.stdout.indexOf('error ');
    const iTimeline = r.stdout.indexOf('timeline');
    const iStats = r.stdout.indexOf('parsed 12 line(s): 12 recognised');
    expect(iFinding).toBeGreaterThan(-1);
    expect(iTimeline).toBeGreaterThan(iFinding);
    expect(iStats).toBeGreaterThan(iTimeline);
  });

  it('reads stdin with -', () => {
    const r = lkdiag(['--json', 'trace', 'log', '-'], "2025-09-13 23:25:08,039 - DEBUG livekit.plugins.openai - >>> {'type': 'response.cancel'}\n");
    expect(ndjson(r.stdout)[0]).toMatchObject({ kind: 'openai.response.cancel', source: 'log' });
    expect(r.code).toBe(0);
  });

  it('a missing file, an empty file and an unrecognised file exit 2 with a clear message', () => {
    const missing = lkdiag(['trace', 'log', join(tmp, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file: .*nope\.log/);
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const e = lkdiag(['trace', 'log', empty]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/empty/);
    const prose = lkdiag(['trace', 'log', '-'], 'hello\nworld\n');
    expect(prose.code).toBe(2);
    expect(prose.stderr).toMatch(/no log line recognised in 2 line\(s\)/);
    expect(prose.stderr).toMatch(/LK_OPENAI_DEBUG=1/);
    expect(prose.stdout).toBe('');
  });

  it('binary input: exit 2, reported as binary data', () => {
    const bin = Buffer.alloc(512 * 1024);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 2654435761) % 251;
    const file = join(tmp, 'core.bin');
    writeFileSync(file, bin);
    const r = lkdiag(['trace', 'log', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(binary data\)/);
  });

  it('a 10 MB line among records is skipped as oversized', async () => {
    const file = join(tmp, 'huge-line.log');
    const out = createWriteStream(file);
    out.write('2025-09-13 23:25:08,039 - INFO events - User state changed from: listening to speaking\n');
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 10; i++) out.write(chunk);
    out.write("\n2025-09-13 23:25:08,040 - DEBUG livekit.plugins.openai - >>> {'type': 'response.cancel'}\n");
    out.end();
    await once(out, 'close');
    const r = lkdiag(['--json', 'trace', 'log', file]);
    const report = ndjson(r.stdout).at(-1)!;
    expect(report['parse']).toMatchObject({ lines: 3, recognised: 2, oversized: 1 });
    expect(r.code).toBe(0);
  });

  it('invalid UTF-8 and mixed formats: counted, not fatal', () => {
    const r = lkdiag(['--json', 'trace', 'log', join(FIX, 'mixed.log')]);
    const report = ndjson(r.stdout).at(-1)!;
    expect(report['parse']).toMatchObject({ formats: { 'python-text': 2, 'python-json': 12, pino: 11 } });
    expect((report['parse'] as { unrecognised: number }).unrecognised).toBeGreaterThanOrEqual(1);
  });

  it('re-explains its own NDJSON output', () => {
    const first = lkdiag(['--json', 'trace', 'log', join(FIX, 'python-json-17-timeout.log')]);
    const saved = join(tmp, 'saved.ndjson');
    writeFileSync(saved, first.stdout);
    const again = lkdiag(['--json', 'trace', 'log', saved]);
    const a = ndjson(first.stdout).at(-1)!;
    const b = ndjson(again.stdout).at(-1)!;
    expect((b['findings'] as Array<{ code: string }>).map((f) => f.code)).toEqual((a['findings'] as Array<{ code: string }>).map((f) => f.code));
    expect(b['parse']).toMatchObject({ formats: { 'lkdiag-ndjson': 12 } });
    expect(again.code).toBe(first.code);
  });
});
