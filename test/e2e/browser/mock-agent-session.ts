// One real-client session against `lkdiag mock-agent`: the official livekit-client in headless chromium (fake
// mic playing a WAV) publishes its microphone first, then `lkdiag mock-agent --room R --json-file F` joins as the
// agent (the user speaks before the agent is there, as in a real app). The page also records every
// lk.agent.state the agent sets, as the client sees it (a listener added on livekit-client's own Room).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type JsonReport, type RunningCli, spawnLkdiag } from '../../helpers/cli.js';
import { type LivekitServer, makeTempDir } from '../harness.js';
import type { FakeMicBrowser } from './chromium.js';
import type { LivekitClientVersion, StaticServer } from './serve.js';
import type { CallShape, Joined, PageState, TraceEv } from './session.js';
import { until } from './session.js';

export interface MockAgentSessionDeps {
  server: LivekitServer;
  web: StaticServer;
  browser: FakeMicBrowser;
  /** The WAV the fake microphone plays (the mock agent's --reference). */
  wav: string;
}

export type MockReport = JsonReport & { events: TraceEv[] };

let roomN = 0;

/**
 * Adds, before the page joins, a listener on every livekit-client Room it creates: the page's module and this
 * import are one module instance (same URL), so the patched prototype is the page's Room.
 */
const watchAgentState = (version: string) => `(async () => {
  const LK = await import('/lk/${version}/livekit-client.esm.mjs');
  window.lkdiagAgentStates = [];
  const connect = LK.Room.prototype.connect;
  LK.Room.prototype.connect = function (...args) {
    this.on('participantAttributesChanged', (changed, p) => {
      const s = changed['lk.agent.state'];
      if (s !== undefined) window.lkdiagAgentStates.push({ t: Date.now(), identity: p.identity, state: s });
    });
    return connect.apply(this, args);
  };
})()`;

export async function startMockAgentSession(d: MockAgentSessionDeps, version: LivekitClientVersion, shape: CallShape) {
  const { AccessToken } = await import('livekit-server-sdk');
  const room = `web-mock-${process.pid}-${++roomN}`;
  const dir = makeTempDir('lkdiag-browser-mock-');
  const jsonFile = join(dir, 'report.json');
  const at = new AccessToken(d.server.apiKey, d.server.apiSecret, { identity: `web-user-${roomN}`, ttl: 300 });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true });
  const token = await at.toJwt();
  const page: Page = await d.browser.page();
  await page.goto(d.web.url);
  await page.waitForFunction("'lkdiagJoin' in window", undefined, { timeout: 10_000 });
  await page.evaluate(watchAgentState(version));
  const joined = (await page.evaluate(`window.lkdiagJoin(${JSON.stringify({ version, url: d.server.url, token, shape })})`)) as Joined;
  const creds = ['--url', d.server.url, '--api-key', d.server.apiKey, '--api-secret', d.server.apiSecret];
  const agent: RunningCli = spawnLkdiag(['mock-agent', '--room', room, '--json-file', jsonFile, '--timeout', '20', '--reference', d.wav, ...creds], {
    timeoutMs: 60_000,
  });
  const state = async () => (await page.evaluate('window.lkdiagState()')) as PageState;
  const agentStates = async () => (await page.evaluate('window.lkdiagAgentStates')) as Array<{ t: number; identity: string; state: string }>;
  /** Waits for the mock agent to exit, then leaves the room; the report is its --json-file. */
  const finish = async () => {
    const done = await agent.done;
    const states = await agentStates().catch(() => []);
    const sent = await state();
    await page.evaluate('window.lkdiagLeave()').catch(() => undefined);
    await page.context().close();
    let report: MockReport | undefined;
    try {
      report = JSON.parse(readFileSync(jsonFile, 'utf8')) as MockReport;
    } catch {
      throw new Error(`mock-agent wrote no --json-file (exit ${done.code}): ${done.stderr}`);
    }
    return { code: done.code, stdout: done.stdout, stderr: done.stderr, report, states, sent };
  };
  const abort = async () => {
    agent.child.kill('SIGINT');
    await agent.done.catch(() => undefined);
    await page
      .context()
      .close()
      .catch(() => undefined);
  };
  return { room, joined, state, agentStates, agent, finish, abort, until };
}
