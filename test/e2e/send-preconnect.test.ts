import { describe, expect, it } from 'vitest';
import { TranscriptOracle, type Simulator } from '../../src/simulator/index.js';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';
import { startNodeAgent, startPythonAgent, type LivekitServer, type RunningAgent } from './harness.js';
import { e2ePrereqs } from './prereqs.js';
import { reference, useE2EStack } from './stack.js';

const { skip } = e2ePrereqs({ python: true, node: true });
const A = 'fixtures/audio';
const part = (n: 1 | 2) => reference(`preconnect-part${n}`);

let roomN = 0;

/** One server + simulator + agent per suite; each test runs the real CLI against them. */
function useStack(start: (server: LivekitServer, sim: Simulator) => Promise<RunningAgent>, simOpts: { audioPace?: number } = {}) {
  const s = useE2EStack(start, simOpts);
  const run = async (args: string[], opts: { withLog?: boolean } = {}) => {
    const room = `e2e-${process.pid}-${++roomN}`;
    const r = await lkdiag(
      [
        'send-preconnect',
        '--json',
        '--room',
        room,
        '--agent-name',
        s.agent.agentName,
        '--url',
        s.server.url,
        '--api-key',
        s.server.apiKey,
        '--api-secret',
        s.server.apiSecret,
        '--timeout',
        '20',
        ...(opts.withLog === false ? [] : ['--agent-log', s.agent.logFile]),
        ...args,
      ],
      { timeoutMs: 90_000 },
    );
    if (r.code === null || !r.stdout.startsWith('{')) throw new Error(`no report (exit ${r.code}): ${r.stderr}`);
    return {
      r,
      report: r.json<
        JsonReport & {
          verdict: { consumed: boolean | null };
          events: Array<{ kind: string; source: string; data: Record<string, unknown>; t: number }>;
          expected: { text: string; bufferedMs: number };
        }
      >(),
      room,
    };
  };
  return { s, run };
}

const step = (rep: JsonReport, name: string) => rep.steps!.find((x) => x.name === name);

describe.skipIf(skip)('send-preconnect against a real livekit-server and the healthy Python agent', () => {
  const { s, run } = useStack((server, sim) =>
    startPythonAgent({
      url: server.url,
      apiKey: server.apiKey,
      apiSecret: server.apiSecret,
      openaiBaseUrl: sim.baseUrl,
      mode: 'healthy',
      agentName: 'py-healthy',
    }),
  );

  it('healthy: the buffered speech reaches the model first and complete, and the agent answers', async () => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '3000']);
    expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
    expect(r.code).toBe(0);
    expect(report.verdict.consumed).toBe(true);
    // The buffer held part 1's words: at least the 3 s of join delay (the join itself adds 0.3–2 s, machine-dependent;
    // whatever of part 1 is left goes live, and the agent answers part 1 before part 2 starts).
    expect(report.expected.bufferedMs).toBeGreaterThan(3000);
    expect(report.expected.text).toBe(part(1).text);
    for (const name of [
      'connect',
      'publish',
      'dispatch',
      'agent-active',
      'buffer-opened',
      'buffer-closed',
      'agent-subscribed',
      'first-user-transcript',
      'first-agent-audio',
    ]) {
      expect(step(report, name)?.status, name).toBe('ok');
    }
    // The stream opens right after the agent becomes ACTIVE (the SDKs' trigger).
    expect(step(report, 'buffer-opened')!.ms! - step(report, 'agent-active')!.ms!).toBeLessThan(100);
    // What the model received: its input audio starts with part 1, complete.
    const conn = s.sim.recording.connections.at(-1)!;
    const head = conn.inputAudio.subarray(0, Math.round(24000 * 4.2));
    expect(new TranscriptOracle([part(1)]).match(head).map((m) => m.text)).toEqual([part(1).text]);
    expect(new TranscriptOracle([part(2)]).match(head)).toEqual([]);
    // The live part reached it too, after the agent had answered (--live after-answer): the live track carries the WAV.
    expect(new TranscriptOracle([part(2)]).match(conn.inputAudio).map((m) => m.text)).toEqual([part(2).text]);
    expect(report.events.some((e) => e.kind === 'client.speech.resumed' && e.data['after'] === 'after-answer')).toBe(true);
    // And the user transcript the agent published carries part 1's words.
    const user = report.events
      .filter((e) => e.kind === 'user.transcript' && e.source === 'room')
      .map((e) => String(e.data['transcript']))
      .join(' ');
    expect(user).toContain('Alice');
  });

  it('snapshot mode (like Android) is consumed too', async () => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '1500', '--mode', 'snapshot']);
    expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
    expect(r.code).toBe(0);
  });

  it('48 kHz stereo input is downmixed and sent as mono 48 kHz PCM', async () => {
    const { r, report } = await run(['--audio', `${A}/speech-48k-stereo.wav`, '--join-delay', '500']);
    const opened = report.events.find((e) => e.kind === 'client.preconnect.opened')!;
    expect(opened.data).toMatchObject({ sampleRate: '48000', channels: '1', mimeType: 'application/octet-stream' });
    expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
    expect(r.code).toBe(0);
  });

  it.each<[string, string[], string[], number]>([
    // The cause, the verdict (not-consumed, which CI gates key on) and, where the agent waited in vain, that wait.
    ['--omit-track-id', ['--omit-track-id'], ['error:preconnect/missing-track-id', 'error:preconnect/not-consumed', 'error:preconnect/timeout-waiting'], 1],
    ['--no-preconnect-flag', ['--no-preconnect-flag'], ['error:preconnect/flag-missing', 'error:preconnect/not-consumed'], 1],
    [
      '--hold-open 3500',
      ['--hold-open', '3500'],
      ['error:preconnect/not-completed-in-time', 'error:preconnect/not-consumed', 'error:preconnect/timeout-waiting'],
      1,
    ],
    ['--delay-send 3500', ['--delay-send', '3500'], ['error:preconnect/not-consumed', 'error:preconnect/timeout-waiting'], 1],
    ['--send-before-active', ['--send-before-active'], ['error:preconnect/not-consumed', 'error:preconnect/timeout-waiting'], 1],
  ])('fault %s → its findings and exit code', async (_name, args, expected, exit) => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '1000', ...args]);
    const errors = codesOf(report).filter((c) => c.startsWith('error:preconnect/'));
    expect(errors, JSON.stringify(report.findings.map((f) => [f.code, f.severity, f.detail.slice(0, 200)]))).toEqual(expected);
    expect(r.code).toBe(exit);
    expect(report.verdict.consumed).toBe(false);
  });

  it.each([
    ['--sample-rate-lie', /sampleRate attribute \(16000\) does not match the PCM/],
    ['--stereo', /stereo \(channels=2\)/],
  ])('format fault %s: pushed, but the buffered words were not heard', async (flag, cause) => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '3000', flag as string]);
    const nc = report.findings.find((f) => f.code === 'preconnect/not-consumed');
    expect(nc?.severity, JSON.stringify(report.findings.map((f) => [f.code, f.detail.slice(0, 300)]))).toBe('error');
    expect(nc!.detail).toMatch(/pushed the buffer .* but the buffered words are missing/);
    expect(nc!.detail).toMatch(cause as RegExp);
    expect(report.verdict.consumed).toBe(false);
    expect(r.code).toBe(1);
  });

  it('without --agent-log, consumption is confirmed from the user transcript alone', async () => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '3000'], { withLog: false });
    expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
    expect(r.code).toBe(0);
  });

  it("--dispatch token: the agent is dispatched by the token's room configuration when the join creates the room", async () => {
    const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '1500', '--dispatch', 'token']);
    expect(report.events.some((e) => e.kind === 'server.dispatch.created')).toBe(false);
    expect(step(report, 'agent-active')?.status).toBe('ok');
    expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
    expect(r.code).toBe(0);
  });

  it('--dispatch none: waits for an agent dispatched beforehand', async () => {
    const { AgentDispatchClient, RoomServiceClient } = await import('livekit-server-sdk');
    const http = s.server.url.replace('ws', 'http');
    const room = `pre-dispatched-${process.pid}`;
    await new RoomServiceClient(http, s.server.apiKey, s.server.apiSecret).createRoom({ name: room, emptyTimeout: 30 });
    try {
      await new AgentDispatchClient(http, s.server.apiKey, s.server.apiSecret).createDispatch(room, s.agent.agentName);
      const r = await lkdiag(
        [
          'send-preconnect',
          '--json',
          '--room',
          room,
          '--dispatch',
          'none',
          '--audio',
          `${A}/two-part.wav`,
          '--join-delay',
          '1500',
          '--url',
          s.server.url,
          '--api-key',
          s.server.apiKey,
          '--api-secret',
          s.server.apiSecret,
          '--agent-log',
          s.agent.logFile,
        ],
        { timeoutMs: 90_000 },
      );
      const report = r.json<JsonReport & { events: Array<{ kind: string }> }>();
      expect(report.events.some((e) => e.kind === 'server.dispatch.created')).toBe(false);
      expect(codesOf(report)).toEqual(['info:preconnect/consumed']);
      expect(r.code).toBe(0);
    } finally {
      await new RoomServiceClient(http, s.server.apiKey, s.server.apiSecret).deleteRoom(room).catch(() => undefined); // we created it, so it is ours to delete
    }
  });

  it('no agent under that name: exit 4 with preconnect/no-agent-dispatched', async () => {
    const r = await lkdiag(
      [
        'send-preconnect',
        '--json',
        '--room',
        `nobody-${process.pid}`,
        '--agent-name',
        'nobody-here',
        '--audio',
        `${A}/two-part.wav`,
        '--agent-timeout',
        '3',
        '--url',
        s.server.url,
        '--api-key',
        s.server.apiKey,
        '--api-secret',
        s.server.apiSecret,
      ],
      { timeoutMs: 60_000 },
    );
    expect(codesOf(r.json<JsonReport>()).filter((c) => c.startsWith('error:'))).toEqual(['error:preconnect/no-agent-dispatched']);
    expect(r.code).toBe(4);
  });

  it('a wrong API secret is refused: exit 3, and the secret is never printed', async () => {
    const r = await lkdiag(
      [
        'send-preconnect',
        '--room',
        `badkey-${process.pid}`,
        '--agent-name',
        s.agent.agentName,
        '--audio',
        `${A}/two-part.wav`,
        '--url',
        s.server.url,
        '--api-key',
        s.server.apiKey,
        '--api-secret',
        'wrong-secret-canary-4711',
      ],
      { timeoutMs: 30_000 },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: .*refused the credentials/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain('wrong-secret-canary-4711');
  });

  it('leaves no room behind', async () => {
    const { RoomServiceClient } = await import('livekit-server-sdk');
    const rooms = await new RoomServiceClient(s.server.url.replace('ws', 'http'), s.server.apiKey, s.server.apiSecret).listRooms();
    expect(rooms.map((x) => x.name)).toEqual([]);
  });
});

describe.skipIf(skip)('send-preconnect: agent misconfigurations', () => {
  describe('ctx.connect() before session.start() (late handler)', () => {
    const { run } = useStack((server, sim) =>
      startPythonAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        mode: 'late-connect',
        agentName: 'py-late',
      }),
    );
    it('reports preconnect/handler-registered-late', async () => {
      const { report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '3000']);
      const late = report.findings.find((f) => f.code === 'preconnect/handler-registered-late');
      expect(late).toBeDefined();
      // An error when the buffer was lost to the race; a warning when this run won it.
      expect(late!.severity).toBe(report.verdict.consumed ? 'warning' : 'error');
    });
  });

  describe('pre_connect_audio=False', () => {
    const { run } = useStack((server, sim) =>
      startPythonAgent({
        url: server.url,
        apiKey: server.apiKey,
        apiSecret: server.apiSecret,
        openaiBaseUrl: sim.baseUrl,
        mode: 'preconnect-disabled',
        agentName: 'py-disabled',
      }),
    );
    it('reports preconnect/no-handler, exit 1', async () => {
      const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '1000']);
      expect(codesOf(report).filter((c) => c.startsWith('error:preconnect/'))).toContain('error:preconnect/no-handler');
      expect(r.code).toBe(1);
    });
  });

  describe('server VAD with interrupt_response: live speech cancels the reply to the buffer', () => {
    // Real time generation, so the reply to part 1 is still being generated when part 2 arrives live.
    const { run } = useStack(
      (server, sim) =>
        startPythonAgent({
          url: server.url,
          apiKey: server.apiKey,
          apiSecret: server.apiSecret,
          openaiBaseUrl: sim.baseUrl,
          mode: 'vad-interrupt',
          agentName: 'py-vad',
        }),
      { audioPace: 1 },
    );
    it('reports preconnect/interrupted-by-live-audio', async () => {
      // A timing script: the live part comes 1.5 s after the first, whatever the agent does (--live continuous).
      const { r, report } = await run(['--audio', `${A}/two-part-pause.wav`, '--join-delay', '3000', '--live', 'continuous']);
      const codes = codesOf(report);
      const why = JSON.stringify(report.findings.map((f) => [f.code, f.severity, f.detail.slice(0, 200)]));
      expect(
        codes.filter((c) => c.startsWith('error:')),
        why,
      ).toEqual(['error:preconnect/interrupted-by-live-audio']);
      expect(codes, why).toContain('info:preconnect/consumed');
      expect(codes, why).toContain('warning:openai/response-cancelled');
      // Who cancels first — the API (turn_detected) or the agent (response.cancel) — is a genuine race.
      expect(
        codes.some((c) => c.endsWith(':agent/response-cancelled-by-user-speech')),
        why,
      ).toBe(true);
      expect(report.findings.find((f) => f.code === 'openai/response-cancelled')!.detail).toContain('turn_detected');
      expect(r.code).toBe(1);
    });
  });

  describe('a Node agent (@livekit/agents has no pre-connect support)', () => {
    const { run } = useStack((server, sim) =>
      startNodeAgent({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, openaiBaseUrl: sim.baseUrl, agentName: 'node-agent' }),
    );
    it('reports preconnect/agent-unsupported rather than a generic failure', async () => {
      // The buffer holds all of the first utterance, so the transcript shows it is missing (not-consumed).
      const { r, report } = await run(['--audio', `${A}/two-part.wav`, '--join-delay', '3000']);
      expect(codesOf(report).filter((c) => c.startsWith('error:preconnect/'))).toEqual(['error:preconnect/agent-unsupported', 'error:preconnect/not-consumed']);
      expect(report.findings.find((f) => f.code === 'preconnect/agent-unsupported')!.detail).toContain('agents-js');
      expect(r.code).toBe(1);
    });
  });
});
