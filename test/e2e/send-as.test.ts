/**
 * `send-preconnect --as js|swift|android` (and the --mime fault) against `lkdiag mock-agent --room` on the real
 * livekit-server v1.13.5: the mock agent checks and decodes what each SDK profile sends. Each case starts the
 * mock agent, then the client in the same room, and waits for both to exit (the mock agent bounded by its
 * --timeout 20 and its stream/live bounds, the client by --agent-timeout 10 / --timeout 8); nothing sleeps.
 * --join-delay 2000 (JS, MP4): the whole 1.9 s WAV is recorded before the client joins, so the JS buffer carries the
 * whole MediaRecorder file (a prefix of a WebM would test the decoder's tolerance, not the client).
 * Two sessions at a time: about 30 s on an idle 2-core machine, under 90 s loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, type JsonReport, lkdiag, spawnLkdiag } from '../helpers/cli.js';
import { type LivekitServer, startLivekitServer } from './harness.js';
import { e2ePrereqs } from './prereqs.js';

const { skip } = e2ePrereqs();
const AUDIO = 'fixtures/audio/speech-48k-mono.wav';
const MP4 = 'fixtures/audio/encoded/speech-mediarecorder.mp4';
/** For raw PCM the mock agent confirms sampleRate against >= 3 s of live speech: the 1.9 s WAV has none left after a 2 s join delay. */
const TWO_PART = 'fixtures/audio/two-part.wav';

type Ev = { kind: string; t: number; data: Record<string, unknown> };
type Report = JsonReport & { events: Ev[] };

let server: LivekitServer | undefined;
let roomN = 0;

afterAll(async () => {
  await server?.stop();
});

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

/** mock-agent in a fresh room, then send-preconnect with `clientArgs` into it; both reports. */
function session(clientArgs: string[], audio = AUDIO, joinDelayMs = 2000) {
  return slot(async () => {
    const s = server!;
    const room = `send-as-${process.pid}-${++roomN}`;
    const conn = ['--url', s.url, '--api-key', s.apiKey, '--api-secret', s.apiSecret];
    const agent = spawnLkdiag(['mock-agent', '--json', '--room', room, '--timeout', '20', '--reference', audio, ...conn], { timeoutMs: 60_000 });
    const client = lkdiag(
      ['send-preconnect', '--json', '--room', room, '--audio', audio, '--dispatch', 'none', '--agent-timeout', '10', '--timeout', '8'].concat([
        '--live',
        'continuous',
        '--join-delay',
        String(joinDelayMs),
        ...conn,
        ...clientArgs,
      ]),
      { timeoutMs: 60_000 },
    );
    const [a, c] = await Promise.all([agent.done, client]);
    if (!a.stdout.startsWith('{')) throw new Error(`mock-agent wrote no report (exit ${a.code}): ${a.stderr}`);
    if (!c.stdout.startsWith('{')) throw new Error(`send-preconnect wrote no report (exit ${c.code}): ${c.stderr}`);
    const report = JSON.parse(a.stdout) as Report;
    const sent = JSON.parse(c.stdout) as Report;
    const one = (r: Report, kind: string) => r.events.find((e) => e.kind === kind)?.data ?? {};
    return {
      code: a.code,
      clientCode: c.code,
      codes: codesOf(report),
      opened: one(report, 'mockagent.stream.opened'),
      checked: one(report, 'mockagent.stream.checked'),
      sent: one(sent, 'client.preconnect.opened'),
    };
  });
}

describe.skipIf(skip).concurrent('send-preconnect --as: what each SDK sends, checked by mock-agent', () => {
  beforeAll(async () => {
    server ??= await startLivekitServer();
  }, 30_000);

  it('--as js: audio/webm;codecs=opus (the Chromium MediaRecorder file), decoded as WebM: client/buffer-ok (exit 0)', async () => {
    const r = await session(['--as', 'js']);
    expect(r.codes).toEqual(['info:client/buffer-ok']);
    expect(r.opened).toMatchObject({ mimeType: 'audio/webm;codecs=opus', name: 'preconnect-buffer', attributes: { sampleRate: '48000', channels: '1' } });
    expect(r.checked).toMatchObject({ format: 'webm', mimeSays: 'opus', decoded: true });
    expect(r.checked['durationMs'] as number).toBeGreaterThan(1500); // the 2 s recording of the 1.9 s WAV
    expect(r.code).toBe(0);
    expect(r.clientCode).toBe(0);
  }, 120_000);

  it.each([
    ['swift', '', '24000'],
    ['android', 'preconnect-audio-buffer', '48000'],
  ])(
    '--as %s: raw PCM (%s, sampleRate %s): client/buffer-ok (exit 0)',
    async (sdk, name, rate) => {
      const r = await session(['--as', sdk], TWO_PART, 1000);
      expect(r.codes).toEqual(['info:client/buffer-ok']);
      expect(r.opened).toMatchObject({ mimeType: 'application/octet-stream', name, attributes: { sampleRate: rate, channels: '1' } });
      expect(r.checked).toMatchObject({ format: 'raw', mimeSays: 'pcm', decoded: true });
      expect(r.checked['durationMs'] as number).toBeGreaterThan(900); // recorded from t=0 through the 1 s join delay
      expect(r.code).toBe(0);
    },
    120_000,
  );

  it("--buffer-file mp4 --mime application/octet-stream (Safari's mp4 read as PCM): client/mime-mismatch (exit 1)", async () => {
    const r = await session(['--buffer-file', MP4, '--mime', 'application/octet-stream']);
    expect(r.codes).toEqual(['error:client/mime-mismatch']);
    expect(r.sent).toMatchObject({ mimeType: 'application/octet-stream' });
    expect(r.checked).toMatchObject({ format: 'mp4', mimeSays: 'pcm', decoded: false });
    expect(r.code).toBe(1);
  }, 120_000);
});
