// lkdiag doctor on a project that builds the Realtime model with RealtimeModel.with_azure (the code of
// livekit/agents#3489): on livekit-plugins-openai 1.2.9–1.2.11 it speaks the GA shape Azure did not take
// (fixed in 1.2.12, f206e283f / #3497). The real doctor reads the project (requirements.txt, the agent's ast).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const AGENT = `from livekit import agents
from livekit.agents import AgentSession
from livekit.plugins import openai


async def entrypoint(ctx: agents.JobContext):
    session = AgentSession(
        llm=openai.realtime.RealtimeModel.with_azure(
            voice="coral",
            azure_deployment="gpt-realtime-08-28",
            api_version="2025-04-01-preview"
        )
    )
`;

const dirs: string[] = [];
function project(requirements: string, agent = AGENT): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-doctor-azure-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'requirements.txt'), requirements);
  writeFileSync(join(dir, 'agent.py'), agent);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const codes = (stdout: string): string[] =>
  (JSON.parse(stdout) as { findings: Array<{ severity: string; code: string }> }).findings.map((f) => `${f.severity}:${f.code}`);

describe('doctor: with_azure on a plugin that sends Azure the GA shape', () => {
  it('livekit-agents[openai]==1.2.11 with with_azure(api_version="2025-04-01-preview"): setup/azure-realtime-ga-shape', async () => {
    const r = await lkdiag(['doctor', project('livekit-agents[openai]==1.2.11\n'), '--json']);
    expect(codes(r.stdout)).toContain('warning:setup/azure-realtime-ga-shape');
    expect(codes(r.stdout).filter((c) => c.endsWith('/azure-realtime-ga-shape'))).toEqual(['warning:setup/azure-realtime-ga-shape']);
    // Not also setup/beta-shape: on this version the api_version does not select the beta shape (the two
    // findings contradicted each other). The other findings are version warnings: the run passes.
    expect(codes(r.stdout)).not.toContain('error:setup/beta-shape');
    expect(codes(r.stdout).filter((c) => c.startsWith('error:'))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('1.2.12 (with_azure returns RealtimeModelBeta again): not reported; the api_version is the beta shape there', async () => {
    const r = await lkdiag(['doctor', project('livekit-agents[openai]==1.2.12\n'), '--json']);
    expect(codes(r.stdout)).not.toContain('warning:setup/azure-realtime-ga-shape');
    expect(codes(r.stdout)).toContain('error:setup/beta-shape');
  });

  it('1.2.11 with api_version="2024-10-01-preview" (the beta branch of with_azure): not reported', async () => {
    const r = await lkdiag(['doctor', project('livekit-agents[openai]==1.2.11\n', AGENT.replace('2025-04-01-preview', '2024-10-01-preview')), '--json']);
    expect(codes(r.stdout)).not.toContain('warning:setup/azure-realtime-ga-shape');
  });

  it('1.2.11 without with_azure (plain OpenAI): not reported', async () => {
    const r = await lkdiag(['doctor', project('livekit-agents[openai]==1.2.11\n', AGENT.replace('RealtimeModel.with_azure(', 'RealtimeModel(')), '--json']);
    expect(codes(r.stdout)).not.toContain('warning:setup/azure-realtime-ga-shape');
  });
});
