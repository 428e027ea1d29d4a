// lkdiag doctor on Azure OpenAI Realtime projects (real temporary projects, the real doctor): the retired
// preview protocol (api_version in with_azure / withAzure, OPENAI_API_VERSION in .env, the variable
// livekit-agents 1.8.9 _realtime/openai.py 706 and agents-js 1.9.0 realtime_model.js 196 read), and a
// deployment that disagrees with the model the code names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const PY = (args: string) => `from livekit import agents
from livekit.agents import AgentSession
from livekit.plugins import openai


async def entrypoint(ctx: agents.JobContext):
    session = AgentSession(
        llm=openai.realtime.RealtimeModel.with_azure(
            ${args}
        )
    )
`;
const TS = (args: string) => `import { voice } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';

export const session = new voice.AgentSession({
  llm: openai.realtime.RealtimeModel.withAzure({ ${args} }),
});
`;

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-doctor-azure-preview-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const REQ = 'livekit-agents[openai]==1.8.9\n';
const PKG = JSON.stringify({ dependencies: { '@livekit/agents': '1.9.0', '@livekit/agents-plugin-openai': '1.9.0' } });
async function azureCodes(dir: string): Promise<string[]> {
  const r = await lkdiag(['doctor', dir, '--json'], { timeoutMs: 60_000 });
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ severity: string; code: string; detail: string }> }).findings;
  return findings.filter((f) => /azure-preview-retired|azure-deployment-model|azure-old-url/.test(f.code)).map((f) => `${f.severity}:${f.code} ${f.detail}`);
}

describe.concurrent('doctor: Azure preview protocol and deployment checks', () => {
  it('python with_azure(api_version=…) → warning setup/azure-preview-retired naming the line and value', async () => {
    const dir = project({ 'requirements.txt': REQ, 'agent.py': PY('azure_deployment="my-realtime",\n            api_version="2024-10-01-preview",') });
    expect(await azureCodes(dir)).toEqual([
      'warning:setup/azure-preview-retired agent.py:8 sets api_version = 2024-10-01-preview: the preview protocol, retired on 2026-04-30.',
    ]);
  });

  it('OPENAI_API_VERSION in .env (with_azure reads it) → the same warning, at the .env line', async () => {
    const dir = project({
      'requirements.txt': REQ,
      'agent.py': PY('azure_deployment="my-realtime",'),
      '.env': 'AZURE_OPENAI_ENDPOINT=https://r.openai.azure.com\nOPENAI_API_VERSION=2025-04-01-preview\n',
    });
    expect(await azureCodes(dir)).toEqual([
      'warning:setup/azure-preview-retired .env:2 sets OPENAI_API_VERSION = 2025-04-01-preview: the preview protocol, retired on 2026-04-30.',
    ]);
  });

  it('TypeScript withAzure({ apiVersion }) → warning setup/azure-preview-retired', async () => {
    const dir = project({ 'package.json': PKG, 'agent.ts': TS("azureDeployment: 'my-realtime', apiVersion: '2024-10-01-preview'") });
    expect(await azureCodes(dir)).toEqual([
      'warning:setup/azure-preview-retired agent.ts:5 sets apiVersion = 2024-10-01-preview: the preview protocol, retired on 2026-04-30.',
    ]);
  });

  it('a deployment named like a chat model → warning setup/azure-deployment-model (expect OperationNotSupported)', async () => {
    const dir = project({ 'requirements.txt': REQ, 'agent.py': PY('azure_deployment="gpt-4o",') });
    const got = await azureCodes(dir);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^warning:setup\/azure-deployment-model agent\.py:8: .*the deployment "gpt-4o" is named like a model without the realtime operation/,
    );
  });

  it('RealtimeModel(model=…, azure_deployment=…) that disagree → the model is not sent to Azure', async () => {
    const agent = PY('azure_deployment="my-realtime",').replace('RealtimeModel.with_azure(', 'RealtimeModel(\n            model="gpt-realtime-mini",');
    const dir = project({ 'requirements.txt': REQ, 'agent.py': agent });
    const got = await azureCodes(dir);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^warning:setup\/azure-deployment-model agent\.py:8: .*model "gpt-realtime-mini" is not sent to Azure; the deployment "my-realtime" decides the model\.$/,
    );
  });

  it('with_azure on livekit-agents 1.5.2 (before the GA URL, #5407) → warning setup/azure-old-url; 1.5.3 → silent', async () => {
    const old = await azureCodes(project({ 'requirements.txt': 'livekit-agents[openai]==1.5.2\n', 'agent.py': PY('azure_deployment="gpt-realtime",') }));
    expect(old).toEqual([
      'warning:setup/azure-old-url agent.py:8: llm=openai.realtime.RealtimeModel.with_azure( builds the model with with_azure on 1.5.2 (requirements.txt:1): the old /openai/realtime URL, which Azure redirects on GA deployments.',
    ]);
    expect(await azureCodes(project({ 'requirements.txt': 'livekit-agents[openai]==1.5.3\n', 'agent.py': PY('azure_deployment="gpt-realtime",') }))).toEqual(
      [],
    );
  });

  it('silent: GA with_azure on a realtime deployment, no api_version anywhere', async () => {
    const dir = project({ 'requirements.txt': REQ, 'agent.py': PY('azure_deployment="gpt-realtime",'), '.env': 'LK_OPENAI_DEBUG=1\n' });
    expect(await azureCodes(dir)).toEqual([]);
  });
});
