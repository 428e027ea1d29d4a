// lkdiag doctor on web-client projects: the pre-connect call shapes livekit-client ignores, and Safari's MP4
// buffer against livekit-agents (issue #13 item 4). Measured in test/e2e/browser-client.test.ts: on 2.23.0 the
// third-argument call publishes a flagless microphone and sends nothing; Room publishDefaults works; 2.15.3 read
// the third argument.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const THIRD_ARG = `import { Room } from 'livekit-client';
export async function join(url: string, token: string) {
  const room = new Room();
  await room.connect(url, token);
  await room.localParticipant.setMicrophoneEnabled(true, undefined, { preConnectBuffer: true });
}
`;
const DEFAULTS = `import { Room } from 'livekit-client';
export async function join(url: string, token: string) {
  const room = new Room({ publishDefaults: { preConnectBuffer: true } });
  await room.connect(url, token);
  await room.localParticipant.setMicrophoneEnabled(true);
}
`;
const pkg = (client: string) => JSON.stringify({ name: 'web', dependencies: { 'livekit-client': client } });

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-doctor-client-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function doctor(dir: string, code: string) {
  const r = await lkdiag(['doctor', dir, '--json']);
  const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; code: string; detail: string; fix: string }> };
  return { r, findings: report.findings.filter((f) => f.code === code) };
}

const PUBLISH = 'setup/js-preconnect-publish-options';
const MP4 = 'deps/safari-mp4-preconnect';

describe('doctor: livekit-client pre-connect call shapes', () => {
  it('2.23.0 + setMicrophoneEnabled(true, undefined, {preConnectBuffer: true}): a warning with the line and the working call', async () => {
    const { findings, r } = await doctor(project({ 'package.json': pkg('2.23.0'), 'app.ts': THIRD_ARG }), PUBLISH);
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual([`warning:${PUBLISH}`]);
    expect(findings[0]!.detail).toMatch(/^app\.ts:5: await room\.localParticipant\.setMicrophoneEnabled\(true, undefined, \{ preConnectBuffer: true \}\);/);
    expect(findings[0]!.detail).toContain('on livekit-client 2.23.0 (package.json');
    expect(findings[0]!.fix).toContain('new Room({ publishDefaults: { preConnectBuffer: true } })');
    expect(r.code).toBe(0); // a warning does not fail doctor
  });

  it('a range (^2.16.0) is judged by the lowest version it allows', async () => {
    const { findings } = await doctor(project({ 'package.json': pkg('^2.16.0'), 'app.ts': THIRD_ARG }), PUBLISH);
    expect(findings[0]!.detail).toContain('on livekit-client allowed at 2.16.0');
  });

  it('silent: 2.15.3 (it still read the third argument), and the publishDefaults call on 2.23.0', async () => {
    expect((await doctor(project({ 'package.json': pkg('2.15.3'), 'app.ts': THIRD_ARG }), PUBLISH)).findings).toEqual([]);
    expect((await doctor(project({ 'package.json': pkg('2.23.0'), 'app.ts': DEFAULTS }), PUBLISH)).findings).toEqual([]);
  });

  it('no livekit-client dependency found: the call is still named, the version unconfirmed', async () => {
    const other = JSON.stringify({ name: 'web', dependencies: { '@livekit/components-react': '2.9.0' } });
    const { findings } = await doctor(project({ 'package.json': other, 'app.js': THIRD_ARG.replace(/: string/g, '') }), PUBLISH);
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0]!.detail).toContain('(version not found: unconfirmed)');
  });
});

describe('doctor: Safari/iOS MP4 pre-connect buffers against livekit-agents', () => {
  it('livekit-client 2.23.0 in the web app + livekit-agents 1.8.9 in the agent: a warning', async () => {
    const dir = project({ 'package.json': pkg('2.23.0'), 'app.ts': DEFAULTS, 'requirements.txt': 'livekit-agents[openai]==1.8.9\n' });
    const { findings } = await doctor(dir, MP4);
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual([`warning:${MP4}`]);
    expect(findings[0]!.detail).toContain('livekit-agents 1.8.9');
  });

  it('silent with livekit-client 2.15.3 (it labelled every buffer audio/opus) or without a JS client', async () => {
    const agent = { 'requirements.txt': 'livekit-agents[openai]==1.8.9\n' };
    expect((await doctor(project({ ...agent, 'package.json': pkg('2.15.3') }), MP4)).findings).toEqual([]);
    expect((await doctor(project(agent), MP4)).findings).toEqual([]);
  });
});
