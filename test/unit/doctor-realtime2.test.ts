// lkdiag doctor on projects that configure a gpt-realtime-2 model: livekit-agents < 1.5.12 and @livekit/agents
// < 1.4.5 play only the first message item of a response (a preamble) and drop the answer (livekit/agents#5684;
// the real 1.5.4 agent does it against the simulator's preamble scenario: fixtures/logs/versions/python-1.5.4-preamble-default.log).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const PY = (model: string) => `from livekit.agents import AgentSession
from livekit.plugins import openai

session = AgentSession(llm=openai.realtime.RealtimeModel(model="${model}", voice="marin"))
`;
const TS = (model: string) => `import * as openai from '@livekit/agents-plugin-openai';
export const llm = new openai.realtime.RealtimeModel({ model: '${model}', voice: 'marin' });
`;

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-doctor-rt2-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CODE = 'setup/realtime-2-preamble-dropped';
async function doctor(dir: string) {
  const r = await lkdiag(['doctor', dir, '--json']);
  const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; code: string; detail: string }> };
  return { r, findings: report.findings.filter((f) => f.code === CODE) };
}

describe('doctor: a Realtime-2 model on an agent that drops preambles', () => {
  it('Python: gpt-realtime-2 on livekit-agents 1.5.4 — a warning naming the model, the version and the line', async () => {
    const { findings } = await doctor(project({ 'requirements.txt': 'livekit-agents[openai]==1.5.4\n', 'agent.py': PY('gpt-realtime-2') }));
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual([`warning:${CODE}`]);
    expect(findings[0]!.detail).toMatch(/^agent\.py:4: .* configures gpt-realtime-2, on livekit-agents 1\.5\.4 \(requirements\.txt:1\)/);
  });

  it('Python: 1.5.12 plays every message; gpt-realtime on 1.5.4 answers in one — neither is reported', async () => {
    expect((await doctor(project({ 'requirements.txt': 'livekit-agents[openai]==1.5.12\n', 'agent.py': PY('gpt-realtime-2.1') }))).findings).toEqual([]);
    expect((await doctor(project({ 'requirements.txt': 'livekit-agents[openai]==1.5.4\n', 'agent.py': PY('gpt-realtime') }))).findings).toEqual([]);
  });

  it('Node: gpt-realtime-2.1-mini on @livekit/agents 1.4.4 is reported, 1.4.5 not', async () => {
    const pkg = (v: string) => JSON.stringify({ name: 'a', dependencies: { '@livekit/agents': v, '@livekit/agents-plugin-openai': '1.4.4' } });
    const old = await doctor(project({ 'package.json': pkg('1.4.4'), 'agent.ts': TS('gpt-realtime-2.1-mini') }));
    expect(old.findings.map((f) => `${f.severity}:${f.code}`)).toEqual([`warning:${CODE}`]);
    expect(old.findings[0]!.detail).toMatch(/configures gpt-realtime-2\.1-mini, on @livekit\/agents 1\.4\.4/);
    expect((await doctor(project({ 'package.json': pkg('1.4.5'), 'agent.ts': TS('gpt-realtime-2.1-mini') }))).findings).toEqual([]);
  });
});
