/**
 * `lkdiag mock-agent` against the real livekit-server v1.13.5, with lkdiag's own `send-preconnect`
 * as the client (raw PCM, like the Swift/Android SDKs). Each case starts the mock agent, then the
 * client in the same room, and waits for both to exit (each bounded: the mock agent by its --timeout
 * and its own stream/live bounds, the client by --agent-timeout/--timeout); nothing sleeps.
 * Timing margins: the agent's 3 s completion rule and 1 s freshness rule are far from what a healthy
 * run measures on a loaded 2-core machine (openMs < 1.5 s, sinceHeaderMs < 0.5 s).
 */
import { readFileSync } from 'node:fs';
import type { RemoteParticipant } from '@livekit/rtc-node';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, lkdiag, type JsonReport, type RunningCli, spawnLkdiag } from '../helpers/cli.js';
import { type LivekitServer, makeTempDir, startLivekitServer } from './harness.js';
import { e2ePrereqs } from './prereqs.js';

const { skip } = e2ePrereqs();
const AUDIO = 'fixtures/audio/two-part.wav';

type Ev = { kind: string; t: number; data: Record<string, unknown> };
type MockReport = JsonReport & { events: Ev[] };

let server: LivekitServer | undefined;
let roomN = 0;

afterAll(async () => {
  await server?.stop();
  const { dispose } = await import('@livekit/rtc-node');
  await dispose();
});

/** Two sessions at a time (four rtc-node processes): the file stays within ~60 s on a loaded 2-core machine. */
const SLOTS = 2;
let busy = 0;
const queue: Array<() => void> = [];
async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (busy >= SLOTS) await new Promise<void>((r) => queue.push(r));
  busy++;
  try {
    return await run();
  } finally {
    busy--;
    queue.shift()?.();
  }
}

/** Resolves when the CLI has printed `re` on stderr; rejects after `boundMs` or when it exits first. */
function printed(cli: RunningCli, re: RegExp, boundMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`not printed within ${boundMs} ms: ${re}; stderr: ${cli.err()}`)), boundMs);
    const check = () => {
      if (re.test(cli.err())) finish();
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      cli.child.stderr.off('data', check);
      if (err) reject(err);
      else resolve();
    };
    cli.child.stderr.on('data', check);
    void cli.done.then(() => finish(re.test(cli.err()) ? undefined : new Error(`exited before printing ${re}: ${cli.err()}`)));
    check();
  });
}

/** The mock agent with `agentArgs`, and send-preconnect with `clientArgs`, in a fresh room. */
function session(agentArgs: string[], clientArgs: string[], o: { agentTimeoutS?: number; agentName?: string } = {}) {
  return slot(() => runSession(agentArgs, clientArgs, o));
}

async function runSession(agentArgs: string[], clientArgs: string[], o: { agentTimeoutS?: number; agentName?: string }) {
  const s = server!;
  const room = `mock-${process.pid}-${++roomN}`;
  const conn = ['--url', s.url, '--api-key', s.apiKey, '--api-secret', s.apiSecret];
  const where = o.agentName ? ['--agent-name', o.agentName] : ['--room', room];
  const agent = spawnLkdiag(['mock-agent', '--json', ...where, '--timeout', '20', '--reference', AUDIO, ...conn, ...agentArgs], { timeoutMs: 60_000 });
  // A dispatch created before the worker registered finds no worker: the client starts once it has.
  if (o.agentName) await printed(agent, /registered agent worker/, 20_000);
  const client = lkdiag(
    [
      'send-preconnect',
      '--json',
      '--room',
      room,
      '--audio',
      AUDIO,
      ...(o.agentName ? ['--agent-name', o.agentName] : ['--dispatch', 'none']),
      '--agent-timeout',
      String(o.agentTimeoutS ?? 10),
      '--timeout',
      '8',
      '--live',
      'continuous',
      ...conn,
      ...clientArgs,
    ],
    { timeoutMs: 60_000 },
  );
  const [d, c] = await Promise.all([agent.done, client]);
  const a = { ...d, json: <T>() => JSON.parse(d.stdout) as T };
  if (!a.stdout.startsWith('{')) throw new Error(`mock-agent wrote no report (exit ${a.code}): ${a.stderr}`);
  const report = a.json<MockReport>();
  return { code: a.code, report, codes: codesOf(report), client: c, of: (kind: string) => report.events.filter((e) => e.kind === kind) };
}

/**
 * A minimal rtc-node client that sends recorded bytes as its pre-connect buffer (what a browser's
 * MediaRecorder produced: fixtures/audio/encoded), like livekit-client does: mic published with the
 * flag, wait for an ACTIVE agent (kind AGENT, state ACTIVE; rtc-node has no event for it: polled),
 * then one stream to it with the given mime type.
 */
async function encodedClient(room: string, file: string, mimeType: string): Promise<void> {
  const rtc = await import('@livekit/rtc-node');
  const { AccessToken } = await import('livekit-server-sdk');
  const s = server!;
  const at = new AccessToken(s.apiKey, s.apiSecret, { identity: `browser-${process.pid}` });
  at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true });
  const r = new rtc.Room();
  try {
    await r.connect(s.url, await at.toJwt(), { autoSubscribe: false, dynacast: false });
    const source = new rtc.AudioSource(48000, 1);
    const track = rtc.LocalAudioTrack.createAudioTrack('microphone', source);
    const pub = await r.localParticipant!.publishTrack(
      track,
      new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE, preconnectBuffer: true }),
    );
    const deadline = Date.now() + 15_000;
    let agent: RemoteParticipant | undefined;
    while (!agent && Date.now() < deadline) {
      agent = [...r.remoteParticipants.values()].find((p) => p.kind === 4 && p.info.state === 2);
      if (!agent) await new Promise((res) => setTimeout(res, 20)); // rtc-node emits no "active" event (bounded poll)
    }
    if (!agent) throw new Error('no ACTIVE agent within 15 s');
    const writer = await r.localParticipant!.streamBytes({
      name: 'preconnect-buffer',
      topic: 'lk.agent.pre-connect-audio-buffer',
      mimeType,
      destinationIdentities: [agent.identity],
      attributes: { trackId: pub.sid!, sampleRate: '48000', channels: '1' },
    });
    await writer.write(new Uint8Array(readFileSync(`fixtures/audio/encoded/${file}`)));
    await writer.close();
    // Stay until the mock agent has answered and left (bounded by its own run).
    const left = Date.now() + 20_000;
    while (r.remoteParticipants.has(agent.identity) && Date.now() < left) await new Promise((res) => setTimeout(res, 50));
  } finally {
    await r.disconnect();
  }
}

describe.skipIf(skip)('mock-agent decodes what a browser records (rtc-node client sending MediaRecorder bytes)', () => {
  beforeAll(async () => {
    server ??= await startLivekitServer();
  }, 30_000);

  it.each<[string, string, string, string[], Record<string, unknown>]>([
    [
      'WebM/Opus labelled so (livekit-client)',
      'speech-mediarecorder.webm',
      'audio/webm;codecs=opus',
      ['info:client/buffer-ok'],
      { format: 'webm', mimeSays: 'opus', decoded: true },
    ],
    [
      "Safari's MP4 fallback: read as PCM by the agent",
      'speech-mediarecorder.mp4',
      'video/mp4',
      ['error:client/mime-mismatch'],
      { format: 'mp4', mimeSays: 'pcm', decoded: false },
    ],
  ])(
    '%s',
    async (_name, file, mime, codes, checked) => {
      const room = `mock-${process.pid}-enc-${++roomN}`;
      const s = server!;
      const agent = lkdiag(['mock-agent', '--json', '--room', room, '--timeout', '20', '--url', s.url, '--api-key', s.apiKey, '--api-secret', s.apiSecret], {
        timeoutMs: 60_000,
      });
      const [a] = await Promise.all([agent, slot(() => encodedClient(room, file, mime))]);
      const report = a.json<MockReport>();
      expect(codesOf(report)).toEqual(codes);
      const c = report.events.find((e) => e.kind === 'mockagent.stream.checked')!;
      expect(c.data).toMatchObject(checked);
      if (checked['decoded']) expect(c.data['durationMs'] as number).toBeGreaterThan(1500);
      expect(a.code).toBe(codes.some((x) => x.startsWith('error:')) ? 1 : 0);
    },
    120_000,
  );
});

describe.skipIf(skip).concurrent('mock-agent against a real livekit-server, send-preconnect as the client', () => {
  beforeAll(async () => {
    server ??= await startLivekitServer();
  }, 30_000);

  it('healthy: the buffer passes every check, the seam is measured, the client hears a reply (exit 0)', async () => {
    const dir = makeTempDir('lkdiag-mock-agent-');
    const r = await session(['--html', join(dir, 'r.html'), '--junit', join(dir, 'r.xml'), '--json-file', join(dir, 'r.json')], ['--join-delay', '1000']);
    expect(r.codes).toEqual(['info:client/buffer-ok']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('mockagent.stream.opened');
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toContain('<testsuite');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).command).toBe('mock-agent');
    const states = r.of('mockagent.state').map((e) => e.data['state']);
    expect(states).toEqual(['initializing', 'listening', 'speaking', 'listening']);
    const opened = r.of('mockagent.stream.opened')[0]!;
    const mic = r.of('mockagent.mic.published')[0]!;
    expect(opened.data['topic']).toBe('lk.agent.pre-connect-audio-buffer');
    expect((opened.data['attributes'] as Record<string, string>)['trackId']).toBe(mic.data['trackSid']);
    const closed = r.of('mockagent.stream.closed')[0]!;
    expect(closed.data['completed']).toBe(true);
    expect(closed.data['openMs'] as number).toBeLessThan(3000);
    const checked = r.of('mockagent.stream.checked')[0]!;
    expect(checked.data).toMatchObject({ format: 'raw', mimeSays: 'pcm', decoded: true });
    expect(checked.data['durationMs'] as number).toBeGreaterThan(900); // --join-delay 1000: at least that much was recorded
    expect(checked.data['speechMs'] as number).toBeGreaterThan(0);
    const seam = r.of('mockagent.seam')[0];
    expect(seam, 'seam measured').toBeDefined();
    // stream mode closes on LocalTrackSubscribed: the buffer and the live track overlap by about one signalling round trip.
    expect(seam!.data['offsetMs'] as number).toBeGreaterThan(-1500);
    expect(seam!.data['offsetMs'] as number).toBeLessThanOrEqual(100);
    expect(seam!.data['correlation'] as number).toBeGreaterThanOrEqual(0.6);
    expect(r.client.code).toBe(0);
  }, 120_000);

  it('--agent-name: registers as a worker, takes the explicit dispatch send-preconnect creates, passes (exit 0)', async () => {
    const r = await session([], [], { agentName: `mock-${process.pid}` });
    expect(r.codes).toEqual(['info:client/buffer-ok']);
    expect(r.of('mockagent.worker.registered')).toHaveLength(1);
    const job = r.of('mockagent.job.assigned')[0]!;
    expect(job.data['room']).toMatch(/^mock-/);
    expect(r.code).toBe(0);
    expect(r.client.code).toBe(0);
  }, 120_000);

  it('no client comes: client/no-client after --timeout (exit 4); no dispatch for --agent-name: client/no-job (exit 4)', async () => {
    const s = server!;
    const conn = ['--url', s.url, '--api-key', s.apiKey, '--api-secret', s.apiSecret];
    const [room, worker] = await Promise.all([
      lkdiag(['mock-agent', '--room', `mock-${process.pid}-alone`, '--timeout', '2', ...conn], { timeoutMs: 30_000 }),
      lkdiag(['mock-agent', '--json', '--agent-name', `nobody-${process.pid}`, '--timeout', '2', ...conn], { timeoutMs: 30_000 }),
    ]);
    expect(room.stdout).toMatch(/error\s+client\/no-client/); // the text report
    expect(room.code).toBe(4);
    expect(room.ms).toBeLessThan(15_000); // 2 s bound + join + teardown
    expect(codesOf(worker.json<MockReport>())).toEqual(['error:client/no-job']);
    expect(worker.code).toBe(4);
  }, 120_000);

  it('client without TF_PRECONNECT_BUFFER: client/stream-without-flag (exit 1)', async () => {
    const r = await session([], ['--no-preconnect-flag']);
    expect(r.codes).toEqual(['error:client/stream-without-flag']);
    expect(r.code).toBe(1);
  }, 120_000);

  it('client omits trackId: client/missing-track-id (exit 1)', async () => {
    const r = await session([], ['--omit-track-id']);
    expect(r.codes).toEqual(['error:client/missing-track-id']);
    expect(r.code).toBe(1);
  }, 120_000);

  it('client sends stereo PCM: client/bad-attributes (channels 2, exit 1)', async () => {
    const r = await session([], ['--stereo']);
    expect(r.codes).toEqual(['error:client/bad-attributes']);
    expect(r.report.findings[0]!.detail).toMatch(/channels is 2/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('client keeps the stream open 4 s: client/not-completed-in-time (exit 1)', async () => {
    const r = await session([], ['--hold-open', '4000']);
    expect(r.codes).toEqual(['error:client/not-completed-in-time']);
    expect(r.code).toBe(1);
  }, 120_000);

  it('--fault no-handler: the agent drops the buffer, client/dropped-by-agent (warning, exit 0)', async () => {
    const r = await session(['--fault', 'no-handler'], []);
    expect(r.codes).toEqual(['warning:client/dropped-by-agent']);
    expect(r.code).toBe(0);
  }, 120_000);

  it('--fault handler-late:4000: the client sends at ACTIVE, before the handler: client/dropped-by-agent (warning, exit 0)', async () => {
    const r = await session(['--fault', 'handler-late:4000'], []);
    expect(r.codes).toEqual(['warning:client/dropped-by-agent']);
    const [registered] = r.of('mockagent.handler.registered');
    const [opened] = r.of('mockagent.stream.opened');
    expect(opened!.data['dropped']).toBe('handler-late');
    expect(opened!.t).toBeLessThan(registered?.t ?? Number.POSITIVE_INFINITY);
    expect(r.code).toBe(0);
  }, 120_000);

  it('--fault active-late:2500: the client waits for ACTIVE and its buffer holds the wait (buffer-ok, exit 0)', async () => {
    const r = await session(['--fault', 'active-late:2500'], []);
    expect(r.codes).toEqual(['info:client/buffer-ok']);
    const checked = r.of('mockagent.stream.checked')[0]!;
    expect(checked.data['durationMs'] as number).toBeGreaterThan(2000); // recorded from t=0 while the agent was late
    expect(r.code).toBe(0);
  }, 120_000);

  it('--fault avatar: send-preconnect skips the avatar worker (exit 0, the agent got the buffer)', async () => {
    const r = await session(['--fault', 'avatar'], []);
    expect(r.codes).toEqual(['info:client/buffer-ok']);
    expect(r.of('mockagent.stream.opened').map((e) => e.data['receiverRole'])).toEqual(['agent']);
    expect(r.code).toBe(0);
  }, 120_000);

  it('--fault never-active: no agent for the client, so no stream: client/flag-without-stream (warning, exit 0)', async () => {
    // --agent-timeout 8: the hidden observer has joined before the client gives up, even under load.
    const r = await session(['--fault', 'never-active'], [], { agentTimeoutS: 8 });
    expect(r.codes).toEqual(['warning:client/flag-without-stream']);
    expect(r.code).toBe(0);
  }, 120_000);
});
