// One real-client session: the official livekit-client in headless chromium (fake mic playing a WAV) joins a
// room on a real livekit-server, a real agent is dispatched to it, and `lkdiag trace room` watches.
import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { spawnLkdiag, type JsonReport } from '../../helpers/cli.js';
import type { LivekitServer, RunningAgent } from '../harness.js';
import type { FakeMicBrowser } from './chromium.js';
import type { LivekitClientVersion, StaticServer } from './serve.js';

export type CallShape = 'publish-options' | 'publish-defaults';

export interface Joined {
  version: string;
  identity: string;
  connectedAt: number;
  publishedAt: number;
  trackSid: string;
  features: string[];
  mediaRecorder: boolean;
  webmOpus: boolean;
}
export interface SentStream {
  openedAt: number;
  closedAt?: number;
  topic: string;
  name: string;
  mimeType: string;
  attributes: Record<string, string>;
  destinationIdentities: string[];
  bytes: number;
  chunks: number;
  head: string;
}
export interface PageState {
  logs: Array<{ t: number; level: number; msg: string; error?: string }>;
  streams: SentStream[];
}
export interface TraceEv {
  t: number;
  kind: string;
  data: Record<string, unknown>;
}

/** Waits (bounded, polling what it checks) until `ok()` is true. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

function parseEvent(line: string): TraceEv | undefined {
  try {
    const v = JSON.parse(line) as Partial<TraceEv>;
    return typeof v.kind === 'string' && typeof v.t === 'number' ? (v as TraceEv) : undefined;
  } catch {
    return undefined;
  }
}

let roomN = 0;

export interface SessionDeps {
  server: LivekitServer;
  agent: RunningAgent;
  web: StaticServer;
  browser: FakeMicBrowser;
}

/** Starts trace room on a fresh room, dispatches the agent, joins from the page. The caller ends it with leave(). */
export async function startSession(d: SessionDeps, version: LivekitClientVersion, shape: CallShape) {
  const { AccessToken, AgentDispatchClient, RoomServiceClient } = await import('livekit-server-sdk');
  const room = `web-${process.pid}-${++roomN}`;
  const logStart = d.agent.logs().length;
  /** The agent's log since this session began. */
  const agentLog = () => d.agent.logs().slice(logStart);
  const waitAgentLog = (re: RegExp, timeoutMs: number) => until(`agent log ${re}`, () => re.test(agentLog()), timeoutMs);
  const svc = new RoomServiceClient(d.server.httpUrl, d.server.apiKey, d.server.apiSecret);
  await svc.createRoom({ name: room, emptyTimeout: 30, departureTimeout: 5 });
  const creds = ['--url', d.server.url, '--api-key', d.server.apiKey, '--api-secret', d.server.apiSecret];
  // trace room reads its --agent-log from the start: give it this session's part of the shared agent log only
  // (copied as it grows), so an earlier session's lines cannot be read as this one's.
  const sessionLog = join(dirname(d.agent.logFile), `${room}.agent.log`);
  writeFileSync(sessionLog, '');
  let copied = logStart;
  const tee = setInterval(() => {
    const all = d.agent.logs();
    if (all.length > copied) appendFileSync(sessionLog, all.slice(copied));
    copied = all.length;
  }, 50);
  const trace = spawnLkdiag(['trace', 'room', room, '--json', '--agent-log', sessionLog, '--duration', '60', ...creds], { timeoutMs: 80_000 });
  void trace.done.finally(() => clearInterval(tee));
  await until('trace room joined', () => trace.out().includes('"room.observer.joined"') || trace.child.exitCode !== null, 20_000);
  if (trace.child.exitCode !== null) throw new Error(`trace room exited ${trace.child.exitCode}: ${trace.err()}`);
  const at = new AccessToken(d.server.apiKey, d.server.apiSecret, { identity: `web-user-${roomN}`, ttl: 300 });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true });
  const token = await at.toJwt();
  // The agent is dispatched now and joins LKDIAG_AGENT_START_DELAY_MS later: the user speaks meanwhile.
  await new AgentDispatchClient(d.server.httpUrl, d.server.apiKey, d.server.apiSecret).createDispatch(room, d.agent.agentName);
  const page: Page = await d.browser.page();
  await page.goto(d.web.url);
  // The page's functions (fixtures/clients/web/client.js) are called as expressions: test/ has no DOM types.
  await page.waitForFunction("'lkdiagJoin' in window", undefined, { timeout: 10_000 });
  const args = JSON.stringify({ version, url: d.server.url, token, shape });
  const joined = (await page.evaluate(`window.lkdiagJoin(${args})`)) as Joined;
  const state = async () => (await page.evaluate('window.lkdiagState()')) as PageState;
  const events = (): TraceEv[] =>
    trace
      .out()
      .split('\n')
      .slice(0, -1)
      .map(parseEvent)
      .filter((e) => e !== undefined);
  const leave = async () => {
    await page.evaluate('window.lkdiagLeave()').catch(() => undefined);
    await page.context().close();
    const done = await trace.done;
    await svc.deleteRoom(room).catch(() => undefined);
    const lines = done.stdout.split('\n').filter(Boolean);
    return {
      code: done.code,
      stderr: done.stderr,
      report: JSON.parse(lines.at(-1) ?? '{}') as JsonReport,
      events: lines.slice(0, -1).map((l) => JSON.parse(l) as TraceEv),
    };
  };
  const abort = async () => {
    trace.child.kill('SIGINT');
    await page
      .context()
      .close()
      .catch(() => undefined);
    await trace.done.catch(() => undefined);
    await svc.deleteRoom(room).catch(() => undefined);
  };
  return { room, joined, state, events, leave, abort, agentLog, waitAgentLog };
}
