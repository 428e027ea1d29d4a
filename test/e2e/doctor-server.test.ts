import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';
import { LIVEKIT_SERVER_VERSION, startLivekitServer, type LivekitServer } from './harness.js';
import { e2ePrereqs } from './prereqs.js';

const { skip } = e2ePrereqs();

describe.skipIf(skip)('doctor --url against a real livekit-server', () => {
  let server: LivekitServer;
  beforeAll(async () => {
    server = await startLivekitServer();
  }, 60_000);
  afterAll(async () => server?.stop());

  it('reads the server version (≥ v1.9.0 keeps TF_PRECONNECT_BUFFER: no server finding)', async () => {
    const r = await lkdiag(['doctor', 'fixtures/projects/py-healthy', '--json', '--url', server.url], {
      env: { LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: server.apiSecret },
    });
    const report = r.json<JsonReport & { project: { server?: string } }>();
    expect(report.project.server).toBe(`${server.url} reports v${LIVEKIT_SERVER_VERSION}`);
    expect(codesOf(report).filter((c) => c.includes('server'))).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('wrong credentials: the version is unknown, said once on stderr, and the secret never printed', async () => {
    const r = await lkdiag(['doctor', 'fixtures/projects/py-healthy', '--url', server.url], {
      env: { LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: 'wrong-doctor-secret-9911' },
    });
    expect(`${r.stdout}${r.stderr}`).not.toContain('wrong-doctor-secret-9911');
    expect(r.stderr).toMatch(/server version unknown/);
  });
});
