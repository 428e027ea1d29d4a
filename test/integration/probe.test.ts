import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'lkdiag-probe-'));
const probe = (args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) =>
  lkdiag(['probe-openai', '--json', ...args], { env, cwd: EMPTY_DIR, timeoutMs });

describe.concurrent('probe-openai --simulate: every scenario gives its exact findings and exit code', () => {
  it.each<[string, string[], string[], number]>([
    ['healthy', [], [], 0],
    ['upgrade-401', ['--simulate', 'upgrade-401'], ['error:openai/invalid-api-key'], 3],
    ['upgrade-403', ['--simulate', 'upgrade-403'], ['error:openai/upgrade-rejected'], 3],
    ['upgrade-404', ['--simulate', 'upgrade-404'], ['error:openai/upgrade-rejected'], 3],
    ['upgrade-429', ['--simulate', 'upgrade-429'], ['error:openai/rate-limited', 'error:openai/upgrade-rejected'], 3],
    ['invalid-api-key', ['--simulate', 'invalid-api-key'], ['error:openai/invalid-api-key'], 3],
    ['beta-disabled', ['--simulate', 'beta-disabled', '--api', 'beta'], ['error:openai/beta-shape-disabled'], 1],
    ['expire-after', ['--simulate', 'expire-after=400'], ['error:openai/session-expired'], 1],
    ['drop-metadata', ['--simulate', 'drop-metadata'], ['error:openai/metadata-not-echoed'], 1],
    ['fail-model-not-found', ['--simulate', 'fail-model-not-found'], ['error:openai/model-not-found'], 1],
    ['fail-insufficient-quota', ['--simulate', 'fail-insufficient-quota'], ['error:openai/quota-exceeded'], 1],
    ['fail-rate-limit', ['--simulate', 'fail-rate-limit'], ['error:openai/rate-limited'], 1],
    ['incomplete', ['--simulate', 'incomplete'], ['warning:openai/response-incomplete'], 0],
    ['text-only', ['--simulate', 'text-only'], ['error:openai/no-audio-output'], 1],
    ['reject-session-update', ['--simulate', 'reject-session-update'], ['error:openai/session-update-rejected'], 1],
    ['invalid model', ['--simulate', '--model', 'gpt-4o-mini'], ['error:openai/invalid-model'], 1],
    ['temperature on GA', ['--simulate', '--temperature', '0.8'], ['error:openai/session-update-rejected'], 1],
    [
      'beta temperature out of range',
      ['--simulate', '--api', 'beta', '--temperature', '0.3'],
      ['error:openai/session-update-rejected', 'error:openai/temperature-out-of-range'],
      1,
    ],
    ['step timeout', ['--simulate', 'delay-created=3000', '--timeout', '1'], ['error:openai/step-timeout'], 4],
    ['slow response.created', ['--simulate', 'delay-created=10500'], ['error:openai/generate-reply-timeout-risk'], 1],
    ['combined scenarios', ['--simulate', 'drop-metadata,incomplete'], ['error:openai/metadata-not-echoed', 'warning:openai/response-incomplete'], 1],
  ])('%s', async (_name, args, expected, exit) => {
    const r = await probe(args.length ? args : ['--simulate']);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack traces
    const report = r.json<JsonReport>();
    expect(report.schema).toBe('lkdiag/v1');
    expect(report.command).toBe('probe-openai');
    expect(codesOf(report)).toEqual(expected);
    expect(r.code).toBe(exit);
    expect(report.exitCode).toBe(exit);
    expect(report.ok).toBe(!expected.some((c) => c.startsWith('error:')));
    for (const f of report.findings) {
      expect(f.title.length).toBeGreaterThan(5);
      expect(f.fix.length).toBeGreaterThan(5);
      expect(f.evidence.length).toBeGreaterThan(0);
    }
  });
});

describe.concurrent('probe-openai --check reproductions', () => {
  it.each<[string, string]>([
    ['double-response', 'openai/active-response-conflict'],
    ['truncate-zero', 'openai/truncate-rejected'],
    ['barge-in', 'openai/response-cancelled'],
  ])('%s proves %s (info, exit 0)', async (check, code) => {
    const r = await probe(['--simulate', '--check', check]);
    const report = r.json<JsonReport>();
    expect(codesOf(report)).toEqual([`info:${code}`]);
    expect(report.findings[0]!.detail).toMatch(/^Proven:/);
    expect(report.findings[0]!.title).toMatch(/^Reproduced:/);
    expect(r.code).toBe(0);
  });

  it('barge-in with a speech WAV as the user turn and the barge-in', async () => {
    const r = await probe(
      ['--simulate', '--check', 'barge-in', '--audio', 'fixtures/audio/speech-48k-stereo.wav'].map((a) =>
        a.startsWith('fixtures') ? join(process.cwd(), a) : a,
      ),
    );
    expect(codesOf(r.json<JsonReport>())).toEqual(['info:openai/response-cancelled']);
    expect(r.json<JsonReport>().findings[0]!.detail).toContain('turn_detected');
  });
});

describe('probe-openai steps and timings', () => {
  it('reports the seven steps by name, all ok on a healthy run', async () => {
    const r = await probe(['--simulate']);
    const steps = r.json<JsonReport>().steps!;
    expect(steps.map((s) => s.name)).toEqual([
      'upgrade',
      'session.created',
      'session.updated',
      'response.created',
      'first-audio',
      'first-transcript',
      'response.done',
    ]);
    expect(steps.every((s) => s.ok && typeof s.ms === 'number')).toBe(true);
  });

  it('response.created is measured within ±15 ms of an injected delay', async () => {
    const r = await probe(['--simulate', 'delay-created=2000']);
    const step = r.json<JsonReport>().steps!.find((s) => s.name === 'response.created')!;
    expect(step.ms).toBeGreaterThanOrEqual(2000 - 15);
    expect(step.ms).toBeLessThanOrEqual(2000 + 15);
  });

  it('--repeat reports p50/p95 per step', async () => {
    const r = await probe(['--simulate', '--repeat', '3']);
    const report = r.json<JsonReport & { stats: Array<{ name: string; n: number; p50: number; p95: number }> }>();
    expect(report.stats.map((s) => s.name)).toContain('response.created');
    const rc = report.stats.find((s) => s.name === 'response.created')!;
    expect(rc.n).toBe(3);
    expect(rc.p95).toBeGreaterThanOrEqual(rc.p50);
    expect(r.code).toBe(0);
  });

  it('the text output shows the step table and the verdict', async () => {
    const r = await lkdiag(['probe-openai', '--simulate', 'drop-metadata'], { cwd: EMPTY_DIR });
    expect(r.stdout).toMatch(/STEP\s+TIME\s+STATUS/);
    expect(r.stdout).toMatch(/response\.created\s+\d+ ms\s+ok/);
    expect(r.stdout).toContain('openai/metadata-not-echoed');
    expect(r.stdout).toMatch(/fix:/);
    expect(r.code).toBe(1);
  });
});

describe('probe-openai against a real endpoint URL', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => sim.close());

  it('uses OPENAI_BASE_URL and OPENAI_API_KEY from the environment and says where they came from', async () => {
    const r = await probe([], { OPENAI_BASE_URL: sim.baseUrl, OPENAI_API_KEY: 'sk-test-from-env-000000' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('OPENAI_API_KEY from environment');
    expect(r.stderr).toContain('OPENAI_BASE_URL from environment');
  });

  it('per-connection scenarios via the URL path', async () => {
    // Python semantics: a non-standard path is used verbatim, so it must end in /realtime.
    const r = await probe(['--base-url', `${sim.urlFor(['drop-metadata'])}/realtime`, '--api-key', 'sk-test-000000000']);
    expect(codesOf(r.json<JsonReport>())).toEqual(['error:openai/metadata-not-echoed']);
    const verbatim = await probe(['--base-url', sim.urlFor(['drop-metadata']), '--api-key', 'sk-test-000000000']);
    expect(codesOf(verbatim.json<JsonReport>())).toEqual(['error:openai/upgrade-rejected']);
  });

  it('an unreachable endpoint is exit 3 with connect-failed', async () => {
    const r = await probe(['--base-url', 'http://127.0.0.1:1/v1', '--api-key', 'sk-test-000000000']);
    expect(codesOf(r.json<JsonReport>())).toEqual(['error:openai/connect-failed']);
    expect(r.code).toBe(3);
  });
});

describe.concurrent('probe-openai bad input: exit 2, one line what, one line what to do, no stack', () => {
  it.each<[string, string[], RegExp]>([
    ['unknown scenario', ['--simulate', 'nope'], /scenario/i],
    ['unknown check', ['--simulate', '--check', 'nope'], /--check/],
    ['audio missing', ['--simulate', '--audio', '/nonexistent.wav'], /no such file/],
    ['audio not RIFF', ['--simulate', '--audio', 'fixtures/audio/bad/not-riff.wav'], /not a WAV file/],
    ['audio truncated', ['--simulate', '--audio', 'fixtures/audio/bad/truncated.wav'], /truncated/],
    ['audio zero frames', ['--simulate', '--audio', 'fixtures/audio/bad/zero-frames.wav'], /no audio frames/],
    ['audio compressed', ['--simulate', '--audio', 'fixtures/audio/bad/mulaw.wav'], /compressed codec μ-law/],
    ['invalid URL', ['--base-url', 'not a url', '--api-key', 'sk-x'], /invalid base URL/],
    ['timeout zero', ['--simulate', '--timeout', '0'], /positive number of seconds/],
    ['timeout negative', ['--simulate', '--timeout', '-3'], /positive number of seconds/],
    ['timeout not numeric', ['--simulate', '--timeout', 'abc'], /positive number of seconds/],
    ['simulate with base-url', ['--simulate', '--base-url', 'http://127.0.0.1:9/v1'], /cannot be combined/],
    ['missing API key', [], /OPENAI_API_KEY is not set/],
    ['unknown flag', ['--frobnicate'], /unknown option/],
  ])('%s', async (_name, args, message) => {
    const abs = args.map((a) => (a.startsWith('fixtures/') ? join(process.cwd(), a) : a));
    const r = await lkdiag(['probe-openai', ...abs], { cwd: EMPTY_DIR });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines).toHaveLength(2);
  });
});
