/**
 * LiveKit's own Python plugin, unmodified: RealtimeModel.with_azure (livekit-agents 1.8.9) against the
 * simulator's Azure paths, and its process_base_url against lkdiag's URL construction (src/protocol/providers.ts).
 * Needs the agent venv (bash scripts/setup-agent-venv.sh); under CI a missing venv fails the run.
 * Bounds: each Python run ≤ 45 s (killed after); the file takes ~15 s on an idle 2-core machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureBaseUrl, azureRealtimeUrl } from '../../src/protocol/providers.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { REPO_ROOT, venvDir } from './harness.js';

const PY = join(venvDir(), 'bin', 'python');
const SCRIPT = join(REPO_ROOT, 'test/e2e/py/azure_client.py');
const missing = !existsSync(PY);
if (missing && process.env.CI) throw new Error(`simulator-azure: missing the agent venv (${PY}). Run: bash scripts/setup-agent-venv.sh`);
if (missing) console.warn(`SKIPPING simulator-azure: no agent venv at ${PY} (bash scripts/setup-agent-venv.sh)`);

interface PyResult {
  ok: boolean;
  reply?: { messages: number; audio_frames: number; text: string };
  errors: string[];
  warnings: string[];
  exception?: string;
}

function python(args: string[], boundMs = 45_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PY, [SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AZURE_OPENAI_API_KEY: '', OPENAI_API_VERSION: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (last.startsWith('{') || last.startsWith('[')) resolve(last);
      else reject(new Error(`azure_client.py exited ${code} without JSON.\nstderr:\n${err.slice(-3000)}`));
    });
  });
}

describe.skipIf(missing)('LiveKit with_azure against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ audioPace: 10 });
  });
  afterAll(async () => {
    await sim?.close();
  });
  const origin = () => sim.baseUrl.replace(/\/v1$/, '');

  it("lkdiag's Azure URLs are process_base_url's (livekit-agents 1.8.9 _realtime/openai.py 843–890)", async () => {
    const cases: Array<[string, string, string | null]> = [
      [azureBaseUrl('https://res.openai.azure.com'), 'my-realtime', null],
      [azureBaseUrl('https://res.openai.azure.com/'), 'my-realtime', '2024-10-01-preview'],
      ['https://res.openai.azure.com/openai/v1', 'd', null],
      ['https://res.openai.azure.com/openai/v1/', 'd', '2024-10-01-preview'],
      ['https://gw.example/custom', 'd', null],
      ['https://gw.example/openai/realtime?api-version=old', 'd', '2025-04-01-preview'],
      ['https://gw.example/openai/v1?model=other', 'd', null],
    ];
    const theirs = JSON.parse(await python(['--urls', JSON.stringify(cases)])) as string[];
    expect(cases.map(([b, d, v]) => azureRealtimeUrl(b, d, v ?? undefined).toString())).toEqual(theirs);
  }, 60_000);

  it('GA (no api_version): /openai/v1/realtime?model=<deployment> with the api-key header; a spoken reply, no error', async () => {
    const r = JSON.parse(await python(['--endpoint', origin()])) as PyResult;
    expect(r.exception).toBeUndefined();
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.reply!.messages).toBe(1);
    expect(r.reply!.audio_frames).toBeGreaterThan(0);
    const conn = sim.recording.connections.at(-1)!;
    expect(conn.path).toBe('/openai/v1/realtime?model=my-realtime');
    expect(conn.headers['api-key']).toBe('REDACTED');
    expect(conn.headers.authorization).toBeUndefined();
    expect(conn.client('session.update').length).toBeGreaterThanOrEqual(1);
    expect(conn.server('error')).toEqual([]);
  }, 60_000);

  it("legacy (api_version): the preview URL and the plugin's two deprecation warnings, verbatim", async () => {
    const r = JSON.parse(await python(['--endpoint', origin(), '--api-version', '2024-10-01-preview'])) as PyResult;
    expect(sim.recording.connections.at(-1)!.path).toBe('/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime');
    expect(r.warnings).toEqual([
      'The `api_version` parameter in `with_azure` is deprecated and will be removed on April 30, 2026.',
      'The `api_version` parameter is deprecated and will be removed on April 30, 2026.',
    ]);
  }, 60_000);

  it('azure-redirect: aiohttp follows the 301 and the plugin fails on HTTP 200 (what the log rule reads)', async () => {
    const r = JSON.parse(await python(['--endpoint', sim.urlFor(['azure-redirect']).replace(/\/v1$/, ''), '--api-version', '2024-10-01-preview'])) as PyResult;
    expect(r.ok).toBe(false);
    const conns = sim.recording.connections.slice(-2);
    expect(conns.map((c) => c.upgradeStatus)).toEqual([301, 200]);
    expect(conns[1]!.path).toBe('/openai/realtime-preview-migration');
    expect(r.errors.join('\n') + (r.exception ?? '')).toMatch(/OpenAI Realtime API client connection error/);
  }, 60_000);
});
