/**
 * probe-openai --provider azure|xai against the simulator: the exact codes and exit codes of each Azure
 * failure shape, the URL and headers shown on stderr (secrets never), and the two-line usage errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesOf, type JsonReport, lkdiag } from '../helpers/cli.js';

const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'lkdiag-probe-azure-'));
const probe = (args: string[], env: Record<string, string> = {}, cwd = EMPTY_DIR) =>
  lkdiag(['probe-openai', '--json', ...args], { env, cwd, timeoutMs: 60_000 });
const AZ = ['--provider', 'azure', '--azure-deployment', 'my-realtime'];
const LEGACY = [...AZ, '--api-version', '2024-10-01-preview'];

describe.concurrent('probe-openai --simulate --provider azure|xai: exact findings and exit codes', () => {
  it.each<[string, string[], string[], number]>([
    ['azure GA healthy', ['--simulate', ...AZ], [], 0],
    // the legacy URL still answers on the simulator without a scenario: a warning that it is retired
    ['azure legacy healthy', ['--simulate', ...LEGACY], ['warning:azure/preview-retired'], 0],
    ['azure-redirect (legacy URL)', ['--simulate', 'azure-redirect', ...LEGACY], ['error:azure/realtime-redirect', 'error:openai/upgrade-rejected'], 3],
    ['azure-redirect (GA URL is served)', ['--simulate', 'azure-redirect', ...AZ], [], 0],
    [
      'azure-operation-not-supported',
      ['--simulate', 'azure-operation-not-supported', ...AZ],
      ['error:azure/operation-not-supported', 'error:openai/upgrade-rejected'],
      3,
    ],
    [
      'azure-preview-retired (legacy URL)',
      ['--simulate', 'azure-preview-retired', ...LEGACY],
      ['error:azure/preview-retired', 'error:openai/upgrade-rejected'],
      3,
    ],
    ['azure-preview-retired (GA URL)', ['--simulate', 'azure-preview-retired', ...AZ], [], 0],
    ['azure-server-error', ['--simulate', 'azure-server-error', ...AZ], ['error:azure/server-error-loop', 'error:openai/response-failed'], 1],
    ['xai healthy', ['--simulate', '--provider', 'xai'], [], 0],
  ])('%s', async (_name, args, expected, exit) => {
    const r = await probe(args);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const report = r.json<JsonReport>();
    expect(codesOf(report)).toEqual(expected);
    expect(r.code).toBe(exit);
    expect(report.exitCode).toBe(exit);
  });
});

describe('the URL and headers on stderr', () => {
  it('azure GA: the /openai/v1/realtime?model=<deployment> URL and api-key: *** (never the key)', async () => {
    const r = await probe(['--simulate', ...AZ]);
    expect(r.stderr).toMatch(/azure: ws:\/\/127\.0\.0\.1:\d+\/openai\/v1\/realtime\?model=my-realtime \(headers: api-key: \*\*\*\)/);
    expect(r.json<JsonReport & { target: { provider: string; url: string } }>().target.provider).toBe('azure');
  });
  it('azure legacy with an Entra token: api-version + deployment, Bearer *** and api-key ***; the token appears nowhere', async () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjb2duaXRpdmUifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const r = await probe(['--simulate', ...LEGACY, '--entra-token', token]);
    expect(r.stderr).toMatch(
      /\/openai\/realtime\?api-version=2024-10-01-preview&deployment=my-realtime \(headers: Authorization: Bearer \*\*\*, api-key: \*\*\*\)/,
    );
    expect(r.stdout + r.stderr).not.toContain('c2lnbmF0dXJl');
  });
  it('xai: /v1/realtime?model=grok-voice-latest with Authorization: Bearer ***', async () => {
    const r = await probe(['--simulate', '--provider', 'xai']);
    expect(r.stderr).toMatch(/xai: ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\?model=grok-voice-latest \(headers: Authorization: Bearer \*\*\*\)/);
  });
});

describe('credentials and usage errors (exit 2, two lines, no secret)', () => {
  it.each<[string, string[], Record<string, string>, RegExp]>([
    [
      'no Azure key nor token',
      [...AZ],
      { AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com' },
      /^error: neither AZURE_OPENAI_API_KEY nor an Entra token is set\nhint: /,
    ],
    [
      'no deployment',
      ['--provider', 'azure'],
      { AZURE_OPENAI_API_KEY: 'k'.repeat(32) },
      /^error: --azure-deployment is required with --provider azure\nhint: /,
    ],
    ['no endpoint', [...AZ], { AZURE_OPENAI_API_KEY: 'k'.repeat(32) }, /^error: the Azure endpoint is not set\nhint: .*AZURE_OPENAI_ENDPOINT/],
    [
      'Azure flags without --provider azure',
      ['--azure-deployment', 'd'],
      {},
      /^error: --azure-endpoint, --azure-deployment, --api-version and --entra-token need --provider azure\nhint: /,
    ],
    ['no XAI_API_KEY', ['--provider', 'xai'], {}, /^error: XAI_API_KEY is not set\nhint: /],
    ['bad provider', ['--provider', 'gemini'], {}, /provider/],
  ])('%s', async (_name, args, env, message) => {
    const r = await lkdiag(['probe-openai', ...args], { env: { OPENAI_API_KEY: '', ...env }, cwd: EMPTY_DIR, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr).not.toContain('k'.repeat(32));
  });

  it('reads AZURE_OPENAI_* from .env.local and says where they came from, never their values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-probe-azure-env-'));
    const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    writeFileSync(join(dir, '.env.local'), `AZURE_OPENAI_API_KEY=${key}\nAZURE_OPENAI_ENDPOINT=http://127.0.0.1:9\n`);
    const r = await lkdiag(['probe-openai', ...AZ, '--timeout', '2'], { env: {}, cwd: dir, timeoutMs: 20_000 });
    expect(r.stderr).toContain('AZURE_OPENAI_API_KEY from .env.local; AZURE_OPENAI_ENDPOINT from .env.local');
    expect(r.stderr).toMatch(/azure: ws:\/\/127\.0\.0\.1:9\/openai\/v1\/realtime\?model=my-realtime \(headers: api-key: \*\*\*\)/);
    expect(r.code).toBe(3); // nothing listens on port 9
    expect(r.stdout + r.stderr).not.toContain(key);
  });
});
