import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { payloadFor, sendAsPlan } from '../../src/sources/preconnect-as.js';
import { encodedPayload, mimeOfFile, pcmPayload, SDK_PROFILES } from '../../src/sources/sdk-profiles.js';
import { PARTICIPANT_STATE_ACTIVE, PUBLISH_ON_BEHALF_ATTRIBUTE } from '../../src/protocol/preconnect.js';
import { Recorder } from '../../src/sources/recorder.js';
import { type AgentCandidate, type AgentPick, waitForActiveAgent } from '../../src/sources/synthetic-user.js';
import { ROOT } from '../helpers/cli.js';

const SPEECH = join(ROOT, 'fixtures/audio/speech-48k-mono.wav');
const TWO_PART = join(ROOT, 'fixtures/audio/two-part.wav');
const MP4 = join(ROOT, 'fixtures/audio/encoded/speech-mediarecorder.mp4');
const bytes = (n: number) => new Uint8Array(n);
const sizes = (chunks: Uint8Array[]) => chunks.map((c) => c.length);

describe('what each SDK sends (sources cited in src/sources/sdk-profiles.ts)', () => {
  it.each([
    ['js', 'preconnect-buffer', 'audio/webm;codecs=opus', 48000, 'stream', 'encoded', 100, 'last-active'],
    ['swift', '', 'application/octet-stream', 24000, 'stream', 'pcm', 10, 'first-non-avatar'],
    ['android', 'preconnect-audio-buffer', 'application/octet-stream', 48000, 'snapshot', 'pcm', 0, 'first-active'],
  ] as const)('%s: name %s, mime %s, %i Hz mono, %s, %s, %i ms writes, to the %s agent', (sdk, name, mime, rate, mode, payload, slice, target) => {
    expect(SDK_PROFILES[sdk]).toEqual({ sdk, name, mimeType: mime, sampleRate: rate, channels: 1, mode, payload, sliceMs: slice, target });
  });

  it('mime types of encoded files by extension', () => {
    expect([mimeOfFile('a.webm'), mimeOfFile('b.MP4'), mimeOfFile('c.ogg'), mimeOfFile('d.wav')]).toEqual([
      'audio/webm;codecs=opus',
      'video/mp4',
      'audio/ogg;codecs=opus',
      undefined,
    ]);
  });
});

describe('pcmPayload: the writes a PCM SDK makes', () => {
  it('swift: 20 ms frames at 24 kHz (960 bytes) become two 480-byte (10 ms) writes; the rest on stop', () => {
    const p = pcmPayload('preconnect-buffer', 'application/octet-stream', 480);
    expect(sizes(p.push(bytes(960)))).toEqual([480, 480]);
    expect(sizes(p.push(bytes(700)))).toEqual([480]);
    expect(sizes(p.end())).toEqual([220]);
    expect(p.end()).toEqual([]);
  });

  it('android: nothing while recording, everything in one write on stop', () => {
    const p = pcmPayload('preconnect-audio-buffer', 'application/octet-stream', 0);
    for (let i = 0; i < 5; i++) expect(p.push(bytes(1920))).toEqual([]);
    expect(sizes(p.end())).toEqual([9600]);
  });

  it('keeps the bytes in order across writes', () => {
    const p = pcmPayload('n', 'm', 3);
    const out = [...p.push(Uint8Array.from([1, 2])), ...p.push(Uint8Array.from([3, 4, 5, 6, 7])), ...p.end()];
    expect(out.map((c) => [...c])).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });
});

describe('encodedPayload: a MediaRecorder recording released in 100 ms blobs', () => {
  // 2000 ms of recording in a 2000-byte file: 20 blobs of 100 bytes; 48 kHz mono PCM is 96 bytes/ms.
  const file = Uint8Array.from({ length: 2000 }, (_, i) => i % 251);
  it('one blob per 100 ms recorded, the partial one on stop', () => {
    const p = encodedPayload('preconnect-buffer', 'audio/webm;codecs=opus', file, 2000, 96, 100);
    expect(sizes(p.push(bytes(96 * 20)))).toEqual([]); // 20 ms
    expect(sizes(p.push(bytes(96 * 80)))).toEqual([100]); // 100 ms
    expect(sizes(p.push(bytes(96 * 150)))).toEqual([100]); // 250 ms
    const last = p.end();
    expect(sizes(last)).toEqual([50]);
    expect([...last[0]!]).toEqual([...file.subarray(200, 250)]);
  });

  it('a recording longer than the file sends the whole file, never more', () => {
    const p = encodedPayload('n', 'm', file, 2000, 96, 100);
    const out = [...p.push(bytes(96 * 3000)), ...p.end()];
    expect(out).toHaveLength(20);
    expect(sizes(out).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(out[0]![0]).toBe(0);
  });
});

describe('sendAsPlan: the --as / --mime / --buffer-file combinations', () => {
  it('no --as: raw PCM as before', () => {
    expect(sendAsPlan({}, TWO_PART)).toBeUndefined();
  });
  it('--as js with speech-48k-mono.wav: the bundled Chromium WebM, audio/webm;codecs=opus', () => {
    const plan = sendAsPlan({ as: 'js' }, SPEECH)!;
    expect(plan.mimeType).toBe('audio/webm;codecs=opus');
    expect(plan.bufferFile).toMatch(/fixtures\/audio\/encoded\/speech-mediarecorder\.webm$/);
    const p = payloadFor(plan, 1908, 96);
    const first = p.push(bytes(96 * 100));
    expect(first).toHaveLength(1);
    expect(Buffer.from(first[0]!.subarray(0, 4)).toString('hex')).toBe('1a45dfa3'); // the EBML header
  });
  it('--buffer-file mp4 --mime application/octet-stream: Safari mp4 read as PCM', () => {
    const plan = sendAsPlan({ bufferFile: MP4, mime: 'application/octet-stream' }, SPEECH)!;
    expect(plan.profile.sdk).toBe('js');
    expect(plan.mimeType).toBe('application/octet-stream');
    expect(plan.bufferFile).toBe(MP4);
  });
  it('--as swift / android: PCM at 24 / 48 kHz, octet-stream (or --mime)', () => {
    expect(sendAsPlan({ as: 'swift' }, TWO_PART)).toMatchObject({ mimeType: 'application/octet-stream', sampleRate: 24000 });
    expect(sendAsPlan({ as: 'android', mime: 'audio/webm;codecs=opus' }, TWO_PART)).toMatchObject({ mimeType: 'audio/webm;codecs=opus', sampleRate: 48000 });
  });
  it.each([
    [{ as: 'js' as const }, TWO_PART, /--as js needs a WebM\/Opus recording/],
    [{ as: 'swift' as const, bufferFile: MP4 }, SPEECH, /--buffer-file cannot be used with --as swift/],
    [{ mime: 'video/mp4' }, SPEECH, /--mime needs --as or --buffer-file/],
    [{ as: 'android' as const, stereo: true }, SPEECH, /--stereo cannot be combined with --as android/],
    [{ bufferFile: '/nonexistent.webm' }, SPEECH, /no such file/],
    [{ bufferFile: TWO_PART }, SPEECH, /unknown container/],
  ])('usage error %#', (opts, audio, message) => {
    expect(() => sendAsPlan(opts, audio)).toThrow(message);
    try {
      sendAsPlan(opts, audio);
    } catch (err) {
      expect(err).toMatchObject({ exitCode: 2 });
    }
  });
});

describe('waitForActiveAgent picks as each SDK does', () => {
  const AGENT = 4;
  const p = (identity: string, avatar = false): AgentCandidate => ({
    identity,
    kind: AGENT,
    attributes: avatar ? { [PUBLISH_ON_BEHALF_ATTRIBUTE]: 'agent-1' } : {},
    info: { state: PARTICIPANT_STATE_ACTIVE },
  });
  const avatar = p('avatar-1', true);
  const agent = p('agent-1');
  const pick = async (how: AgentPick, order: AgentCandidate[], activeOrder: string[]) => {
    const rec = new Recorder({ source: 'client' });
    for (const identity of activeOrder) {
      rec.record('room.participant.active', { identity, kind: 'agent' }, 'room');
      await new Promise((r) => setTimeout(r, 2)); // distinct event times
    }
    return (await waitForActiveAgent(rec, () => order, 1000, new AbortController().signal, how))?.identity;
  };
  it('first-non-avatar (Swift, the default): the agent, never the avatar', async () => {
    expect(await pick('first-non-avatar', [avatar, agent], ['avatar-1', 'agent-1'])).toBe('agent-1');
  });
  it('first-active (Android): the first ACTIVE participant of kind AGENT, avatar included', async () => {
    expect(await pick('first-active', [avatar, agent], ['avatar-1', 'agent-1'])).toBe('avatar-1');
  });
  it('last-active (livekit-client): the one that became ACTIVE last, avatar included', async () => {
    expect(await pick('last-active', [agent, avatar], ['agent-1', 'avatar-1'])).toBe('avatar-1');
    expect(await pick('last-active', [avatar, agent], ['avatar-1', 'agent-1'])).toBe('agent-1');
  });
});
