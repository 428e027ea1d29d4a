/**
 * probe-openai --api live against the simulator's GPT-Live endpoint: the steps, the exact codes and exit
 * codes of each live-* scenario, the URL as livekit-agents 1.8.9 builds it, and the two-line usage errors.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveSessionsEndpoint } from '../../src/commands/probe-openai-live.run.js';
import { codesOf, type JsonReport, lkdiag } from '../helpers/cli.js';

const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'lkdiag-probe-live-'));
const probe = (args: string[]) =>
  lkdiag(['probe-openai', '--json', '--api', 'live', '--timeout', '3', ...args], { cwd: EMPTY_DIR, env: { OPENAI_API_KEY: undefined }, timeoutMs: 60_000 });
const STEPS = ['upgrade', 'session.started', 'input-transcript', 'first-audio', 'output-transcript', 'delegation', 'continuation', 'session.closed'];

describe.concurrent('probe-openai --simulate live-* --api live: exact findings and exit codes', () => {
  it.each<[string, string[], number]>([
    ['', [], 0],
    ['live-close-expired', ['warning:live/session-expired'], 0],
    ['live-expire-after=100', ['warning:live/session-expired'], 0],
    ['live-close-content', ['error:live/closed-content'], 1],
    ['live-close-connection-lost', ['error:live/connection-lost'], 1],
    ['live-forbidden-voice', ['error:live/forbidden-voice'], 1],
    ['live-early-continuation', ['error:live/continuation-refused'], 1],
    ['live-deadlock', ['error:live/continuation-deadlock'], 4],
    ['live-upgrade-401', ['error:live/connect-failed'], 3],
  ])('--simulate %s → %j, exit %i', async (scenario, codes, exit) => {
    const r = await probe(['--simulate', ...(scenario ? [scenario] : [])]);
    expect(r.code, r.stderr).toBe(exit);
    const report = r.json<JsonReport>();
    expect(codesOf(report)).toEqual(codes);
    expect(report.exitCode).toBe(exit);
    expect(report.steps?.map((s) => s.name)).toEqual(STEPS);
  });

  it('healthy: every step ok, each timed, the simulator URL /v1/live/sessions, the key never printed', async () => {
    const r = await probe(['--simulate']);
    const report = r.json<JsonReport & { target: { url: string; api: string; model: string } }>();
    expect(report.steps?.map((s) => s.status)).toEqual(STEPS.map(() => 'ok'));
    for (const s of report.steps ?? []) expect(s.ms).toBeGreaterThanOrEqual(0);
    expect(report.target.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/live\/sessions$/);
    expect([report.target.api, report.target.model]).toEqual(['live', 'gpt-live-1']);
    expect(r.stdout + r.stderr).not.toContain('sk-lkdiag-simulated');
  });

  it('live-deadlock: the continuation step times out at its 3 s bound (the run under 15 s)', async () => {
    const r = await probe(['--simulate', 'live-deadlock']);
    const report = r.json<JsonReport>();
    expect(report.steps?.find((s) => s.name === 'continuation')?.status).toBe('timeout');
    expect(r.ms).toBeGreaterThanOrEqual(3000);
    expect(r.ms).toBeLessThan(3000 + 12_000); // node start-up and the rest of the probe on a loaded machine
  });

  it('--provider azure: the v1 surface /openai/v1/live/sessions with an api-key header (shown masked), the deployment as model, exit 0', async () => {
    const r = await probe(['--simulate', '--provider', 'azure', '--azure-deployment', 'my-live']);
    expect(r.code, r.stderr).toBe(0);
    const report = r.json<JsonReport & { target: { url: string; model: string } }>();
    expect(report.target.url).toMatch(/\/openai\/v1\/live\/sessions$/);
    expect(report.target.model).toBe('my-live');
    expect(r.stderr).toContain('(headers: api-key: ***)');
  });

  it('--provider xai --api live is a usage error in two lines, exit 2', async () => {
    const r = await probe(['--simulate', '--provider', 'xai']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--api live is OpenAI GPT-Live');
    expect(r.stderr).toContain('Use --provider openai or --provider azure with --api live.');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an unknown scenario is a usage error, exit 2', async () => {
    const r = await probe(['--simulate', 'live-nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown simulator scenario 'live-nope'.");
  });
});

describe('the sessions URL as livekit-agents 1.8.9 builds it (_live_sessions_url, gpt_live.py:1254-1264; headers :580-592)', () => {
  it.each<[string, Parameters<typeof liveSessionsEndpoint>[0], string, string[]]>([
    ['OpenAI default', { provider: 'openai', model: 'gpt-live-1', apiKey: 'k' }, 'wss://api.openai.com/v1/live/sessions', ['Authorization']],
    [
      'OpenAI base URL with a trailing slash',
      { provider: 'openai', model: 'm', apiKey: 'k', baseUrl: 'http://127.0.0.1:9/v1/' },
      'ws://127.0.0.1:9/v1/live/sessions',
      ['Authorization'],
    ],
    [
      'Azure endpoint → the v1 surface',
      { provider: 'azure', model: 'm', apiKey: 'k', azureEndpoint: 'https://res.openai.azure.com' },
      'wss://res.openai.azure.com/openai/v1/live/sessions',
      ['api-key'],
    ],
    [
      'Azure /openai → /openai/v1',
      { provider: 'azure', model: 'm', apiKey: 'k', azureEndpoint: 'https://res.openai.azure.com/openai' },
      'wss://res.openai.azure.com/openai/v1/live/sessions',
      ['api-key'],
    ],
    [
      'Azure with an Entra token',
      { provider: 'azure', model: 'm', entraToken: 't', azureEndpoint: 'https://res.openai.azure.com' },
      'wss://res.openai.azure.com/openai/v1/live/sessions',
      ['Authorization'],
    ],
    [
      'already …/live/sessions',
      { provider: 'openai', model: 'm', apiKey: 'k', baseUrl: 'https://gw.example/v1/live/sessions' },
      'wss://gw.example/v1/live/sessions',
      ['Authorization'],
    ],
  ])('%s', (_name, input, url, headers) => {
    const e = liveSessionsEndpoint(input);
    expect(e.url.toString()).toBe(url);
    expect(Object.keys(e.headers)).toEqual(headers);
  });
});
