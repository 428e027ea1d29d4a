// `lkdiag trace room` end to end: a real livekit-server, the reference Python agent (and the Node
// agent), the Realtime simulator; a session driven by `lkdiag send-preconnect --keep-room` while
// `lkdiag trace room NAME --json --agent-log <agent log>` observes it as a hidden participant.
//
// Set LKDIAG_CAPTURE_DIR to keep each scenario's agent log (the source of fixtures/logs/real/).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { codesOf, lkdiag, spawnLkdiag, type JsonReport } from '../helpers/cli.js';
import { startNodeAgent, startPythonAgent, type LivekitServer, type PythonAgentMode, type RunningAgent } from './harness.js';
import { e2ePrereqs } from './prereqs.js';
import { useE2EStack } from './stack.js';
import { lateSpeechWav, silenceWav } from '../helpers/audio.js';

const { skip } = e2ePrereqs({ python: true, node: true });
const A = 'fixtures/audio';

interface Ev {
  t: number;
  source: string;
  kind: string;
  data: Record<string, unknown>;
}
type TraceReport = JsonReport & {
  observer: { stopReason: string; agents: string[]; requests: Array<{ request: string; status: string }> };
  agentLog?: { recognised: number };
};

let roomN = 0;

/** Runs `lkdiag trace room` and resolves once it has joined (bounded), and again when it exits. */
function startTrace(args: string[], timeoutMs = 120_000) {
  const run = spawnLkdiag(['trace', 'room', ...args], { timeoutMs });
  const { child } = run;
  const done = run.done.then(({ code, stdout, stderr, ms }) => ({
    code,
    stderr,
    ms,
    lines: stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown),
  }));
  const joined = (async () => {
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if (run.out().includes('"room.observer.joined"')) return;
      if (child.exitCode !== null) throw new Error(`trace room exited ${child.exitCode}: ${run.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`trace room did not join within 20 s: ${run.err()}`);
  })();
  return { child, joined, done };
}

function useStack(start: (server: LivekitServer, sim: Simulator) => Promise<RunningAgent>, simOpts: { audioPace?: number; scenarios?: string[] } = {}) {
  const s = useE2EStack(start, simOpts);
  const creds = () => ['--url', s.server.url, '--api-key', s.server.apiKey, '--api-secret', s.server.apiSecret];
  const rooms = async () => {
    const { RoomServiceClient } = await import('livekit-server-sdk');
    return new RoomServiceClient(s.server.httpUrl, s.server.apiKey, s.server.apiSecret);
  };

  /**
   * Creates the room, starts `trace room` on it, drives a session with `send-preconnect --keep-room`,
   * waits for the trace to end by itself, deletes the room. Returns the streamed events and the report.
   */
  const traced = async (capture: string, preArgs: string[], traceArgs: string[] = []) => {
    const room = `trace-${process.pid}-${++roomN}`;
    const svc = await rooms();
    await svc.createRoom({ name: room, emptyTimeout: 30, departureTimeout: 5 });
    try {
      const trace = startTrace([room, '--json', '--agent-log', s.agent.logFile, '--duration', '60', ...creds(), ...traceArgs]);
      await trace.joined;
      const user = await lkdiag(
        ['send-preconnect', '--json', '--keep-room', '--room', room, '--agent-name', s.agent.agentName, ...creds(), '--timeout', '20', ...preArgs],
        { timeoutMs: 90_000 },
      );
      const t = await trace.done;
      const report = t.lines.at(-1) as TraceReport;
      const events = t.lines.slice(0, -1) as Ev[];
      if (process.env['LKDIAG_CAPTURE_DIR']) {
        mkdirSync(process.env['LKDIAG_CAPTURE_DIR'], { recursive: true });
        copyFileSync(s.agent.logFile, join(process.env['LKDIAG_CAPTURE_DIR'], `${capture}.log`));
        writeFileSync(join(process.env['LKDIAG_CAPTURE_DIR'], `${capture}.trace.ndjson`), t.lines.map((l) => JSON.stringify(l)).join('\n'));
      }
      return { room, code: t.code, ms: t.ms, report, events, stderr: t.stderr, user };
    } finally {
      await svc.deleteRoom(room).catch(() => undefined);
    }
  };
  return { s, traced, creds, rooms };
}

const why = (r: JsonReport) => JSON.stringify(r.findings.map((f) => [f.code, f.severity, f.detail.slice(0, 240)]));

describe.skipIf(skip)('trace room: healthy Python agent', () => {
  const { s, traced, creds, rooms } = useStack((server, sim) =>
    startPythonAgent({
      url: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      openaiBaseUrl: sim.baseUrl,
      mode: 'healthy',
      agentName: 'py-trace-healthy',
    }),
  );

  it('a healthy session: every source on one timeline, no error or warning finding, exit 0', async () => {
    const { code, report, events, stderr } = await traced('python-healthy', ['--audio', `${A}/two-part.wav`, '--join-delay', '3000']);
    expect(report.schema).toBe('lkdiag/v1');
    expect(report.command).toBe('trace room');
    expect(
      codesOf(report).filter((c) => !c.startsWith('info:')),
      why(report),
    ).toEqual([]);
    expect(codesOf(report), why(report)).toContain('info:preconnect/consumed');
    expect(code, stderr).toBe(0);
    // The session ended and the observer left by itself: the user left, the agent was still there.
    expect(report.observer.stopReason).toBe('users-left');
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of [
      'server.dispatch.state',
      'room.participant.joined',
      'room.participant.active',
      'room.track.published',
      'user.transcript',
      'agent.state',
      'user.state',
      'conversation.item',
      'session.response',
      'log.preconnect.received',
      'openai.response.created',
    ]) {
      expect(kinds, k).toContain(k);
    }
    // One kind per fact: the agent's state as the room shows it (lk.agent.state) and as its session reports it.
    const stateSources = new Set(events.filter((e) => e.kind === 'agent.state').map((e) => e.source));
    for (const source of ['room', 'session']) expect(stateSources, `agent.state from ${source}`).toContain(source);
    // The user's microphone advertises the pre-connect flag.
    expect(events.some((e) => e.kind === 'room.track.published' && (e.data['features'] as string[]).includes('TF_PRECONNECT_BUFFER'))).toBe(true);
    // The read-only requests were answered by the Python session host.
    const answers = events.filter((e) => e.kind === 'session.response' && e.data['ok'] === true).map((e) => e.data['request']);
    expect(answers).toEqual(expect.arrayContaining(['ping', 'get_framework_info', 'get_session_state']));
    // Dispatch state at start and end.
    expect(events.filter((e) => e.kind === 'server.dispatch.state').map((e) => e.data['when'])).toContain('end');
    // The observer never appears to anyone: the send-preconnect user saw only the agent.
    expect(events.every((e) => !(e.kind === 'room.participant.joined' && String(e.data['identity']).startsWith('lkdiag-observer-')))).toBe(true);
  });

  it('a room that does not exist: exit 2, two-line message, and the room is not created', async () => {
    const room = `absent-${process.pid}`;
    const r = await lkdiag(['trace', 'room', room, ...creds()], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: room "absent-\d+" does not exist on http:\/\/127\.0\.0\.1:\d+\nhint: trace room never creates a room/m);
    expect((await (await rooms()).listRooms([room])).length).toBe(0);
  });

  it('refused credentials: exit 3', async () => {
    const r = await lkdiag(['trace', 'room', 'whatever', '--url', s.server.url, '--api-key', s.server.apiKey, '--api-secret', 'wrong-secret'], {
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('refused the credentials');
    expect(r.stderr).not.toContain('wrong-secret');
  });

  it('an unreachable server: exit 3', async () => {
    const r = await lkdiag(['trace', 'room', 'whatever', '--url', 'ws://127.0.0.1:9', '--api-key', 'k', '--api-secret', 's'], { timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot reach the LiveKit server');
  });

  it('Ctrl-C: the report is still the last line, exit 130', async () => {
    const room = `sigint-${process.pid}`;
    const svc = await rooms();
    await svc.createRoom({ name: room, emptyTimeout: 30 });
    try {
      const trace = startTrace([room, '--json', ...creds()]);
      await trace.joined;
      trace.child.kill('SIGINT');
      const t = await trace.done;
      const report = t.lines.at(-1) as TraceReport;
      expect(report.schema).toBe('lkdiag/v1');
      expect(report.interrupted).toBe(true);
      expect(report.observer.stopReason).toBe('interrupted');
      expect(t.code).toBe(130);
    } finally {
      await svc.deleteRoom(room).catch(() => undefined);
    }
  });

  it('leaves no room behind', async () => {
    expect((await (await rooms()).listRooms()).map((x) => x.name)).toEqual([]);
  });
});

describe.skipIf(skip)('trace room: a slow model (simulator delay-created=11000)', () => {
  const { traced } = useStack(
    (server, sim) =>
      startPythonAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        mode: 'healthy',
        agentName: 'py-trace-slow',
        env: { LKDIAG_AGENT_GREET: '1' },
      }),
    { scenarios: ['delay-created=11000'] },
  );
  it('agent/generate-reply-timeout (and openai/generate-reply-timeout-risk from the log), exit 1', async () => {
    // The greeting (generate_reply in on_enter) is held 11 s; a silent user never interrupts it.
    const { code, report } = await traced('python-slow-model', ['--audio', silenceWav(), '--timeout', '16'], ['--duration', '40']);
    const codes = codesOf(report);
    expect(codes, why(report)).toContain('error:agent/generate-reply-timeout');
    expect(
      codes.some((c) => c.endsWith(':openai/generate-reply-timeout-risk')),
      why(report),
    ).toBe(true);
    expect(code).toBe(1);
  });
});

describe.skipIf(skip)('trace room: cancel on barge-in (Python vad-interrupt, audioPace 1)', () => {
  const { traced } = useStack(
    (server, sim) =>
      startPythonAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        mode: 'vad-interrupt' as PythonAgentMode,
        agentName: 'py-trace-vad',
      }),
    { audioPace: 1 },
  );
  it('preconnect/interrupted-by-live-audio with the cancel findings, exit 1', async () => {
    const { code, report } = await traced('python-vad-interrupt', ['--audio', `${A}/two-part-pause.wav`, '--join-delay', '3000', '--live', 'continuous']);
    const codes = codesOf(report);
    expect(
      codes.filter((c) => c.startsWith('error:')),
      why(report),
    ).toEqual(['error:preconnect/interrupted-by-live-audio']);
    expect(codes, why(report)).toContain('info:preconnect/consumed');
    expect(codes, why(report)).toContain('warning:openai/response-cancelled');
    expect(
      codes.some((c) => c.endsWith(':agent/response-cancelled-by-user-speech')),
      why(report),
    ).toBe(true);
    expect(code).toBe(1);
  });
});

describe.skipIf(skip)('trace room: a truncate rejected after a reconnect (expire-after-reply, reply-audio=9000)', () => {
  // The greeting (9 s of audio, streamed at 3× real time) is complete server-side after ~3.3 s; the
  // session then expires while the agent still plays it. The agent reconnects and replays the
  // conversation as text items; the user speaks up ~7 s in, the agent truncates the greeting it is
  // playing, and the API rejects truncating a replayed text item.
  const { traced } = useStack(
    (server, sim) =>
      startPythonAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        mode: 'vad-interrupt' as PythonAgentMode,
        agentName: 'py-trace-truncate',
        env: { LKDIAG_AGENT_GREET: '1' },
      }),
    { scenarios: ['expire-after-reply', 'reply-audio=9000'] },
  );
  it('openai/truncate-rejected naming the replayed item, and the reconnect as openai/connection-closed (warning), exit 1', async () => {
    const { code, report, events } = await traced(
      'python-truncate-after-reconnect',
      ['--audio', lateSpeechWav(7, `${A}/preconnect-part1.wav`), '--timeout', '20'],
      ['--duration', '40'],
    );
    const codes = codesOf(report);
    expect(codes, why(report)).toContain('error:openai/truncate-rejected');
    const f = report.findings.find((x) => x.code === 'openai/truncate-rejected')!;
    expect(f.detail, why(report)).toContain('came back as a text item');
    expect(codes, why(report)).toContain('warning:openai/connection-closed');
    expect(
      codes.filter((c) => c.startsWith('error:')),
      why(report),
    ).toEqual(['error:openai/truncate-rejected']);
    const truncate = events.find((e) => e.kind === 'openai.conversation.item.truncate');
    expect(truncate, 'the agent sent a truncate').toBeDefined();
    expect(Number((truncate!.data['event'] as Record<string, unknown>)['audio_end_ms'])).toBeGreaterThan(0);
    expect(code).toBe(1);
  });
});

describe.skipIf(skip)('trace room: a Node agent (no lk.agent.session answers to a third party)', () => {
  const { traced } = useStack((server, sim) =>
    startNodeAgent({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, openaiBaseUrl: sim.baseUrl, agentName: 'node-trace' }),
  );
  it('the observer notes the unanswered ping and still explains the session', async () => {
    const { report, stderr } = await traced('node-healthy', ['--audio', `${A}/two-part.wav`, '--join-delay', '1000']);
    // agents-js reports host CPU as its load: on a saturated machine the worker takes no job at all.
    expect(report.observer.agents.length, 'the Node worker accepted no job (dispatch has no job: agents-js load from host CPU)').toBeGreaterThan(0);
    expect(report.observer.requests.find((r) => r.request === 'ping')?.status).toBe('no-answer');
    expect(stderr).toContain('did not answer a ping');
    expect(codesOf(report), why(report)).toContain('error:preconnect/agent-unsupported');
  });
});

describe.skipIf(skip)('trace room: a slow model under the Node agent (delay-created=11000)', () => {
  const { traced } = useStack(
    (server, sim) =>
      startNodeAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        agentName: 'node-trace-slow',
        env: { LKDIAG_AGENT_GREET: '1' },
      }),
    { scenarios: ['delay-created=11000'] },
  );
  it('agent/generate-reply-timeout from the pino log, exit 1', async () => {
    const { code, report } = await traced('node-slow-model', ['--audio', silenceWav(), '--timeout', '16'], ['--duration', '40']);
    expect(codesOf(report), why(report)).toContain('error:agent/generate-reply-timeout');
    expect(code).toBe(1);
  });
});
