import { AgentSession, AudioTrackFeature, ParticipantInfo_State } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { decodeAgentSession } from '../../src/protocol/agent-session.js';
import {
  PARTICIPANT_STATE_ACTIVE,
  PRECONNECT_TOPIC,
  TF_PRECONNECT_BUFFER,
  pcm16le,
  pcmDurationMs,
  preconnectStreamOptions,
} from '../../src/protocol/preconnect.js';
import { expectedBufferedText, loadSidecar } from '../../src/sources/sidecar.js';
import { wordRecall } from '../../src/diagnose/text-match.js';
import { preconnectSteps } from '../../src/sources/preconnect-steps.js';
import type { EventKind } from '../../src/diagnose/types.js';
import { partialEvent } from '../helpers/events.js';

describe('pre-connect wire contract', () => {
  it('uses the protocol numbers for the feature flag and ACTIVE state', () => {
    expect(TF_PRECONNECT_BUFFER).toBe(AudioTrackFeature.TF_PRECONNECT_BUFFER);
    expect(PARTICIPANT_STATE_ACTIVE).toBe(ParticipantInfo_State.ACTIVE);
  });

  it('streams to the agent on the topic with trackId, sampleRate, channels as decimal strings, raw PCM', () => {
    expect(preconnectStreamOptions({ trackSid: 'TR_abc', sampleRate: 24000, channels: 1, agentIdentity: 'agent-1' })).toEqual({
      name: 'preconnect-buffer',
      topic: 'lk.agent.pre-connect-audio-buffer',
      mimeType: 'application/octet-stream',
      destinationIdentities: ['agent-1'],
      attributes: { trackId: 'TR_abc', sampleRate: '24000', channels: '1' },
    });
    expect(PRECONNECT_TOPIC).toBe('lk.agent.pre-connect-audio-buffer');
  });

  it('fault options change exactly one thing each', () => {
    const base = { trackSid: 'TR_abc', sampleRate: 24000, channels: 1, agentIdentity: 'a' };
    expect(preconnectStreamOptions({ ...base, omitTrackId: true }).attributes).toEqual({ sampleRate: '24000', channels: '1' });
    expect(preconnectStreamOptions({ ...base, claimedSampleRate: 16000 }).attributes).toEqual({ trackId: 'TR_abc', sampleRate: '16000', channels: '1' });
    expect(preconnectStreamOptions({ ...base, trackSid: undefined }).attributes['trackId']).toBe('');
  });

  it('PCM bytes are s16le interleaved, whatever the host order', () => {
    const bytes = pcm16le(Int16Array.from([1, -2, 0x1234, -32768, 32767]));
    expect([...bytes]).toEqual([0x01, 0x00, 0xfe, 0xff, 0x34, 0x12, 0x00, 0x80, 0xff, 0x7f]);
    expect(pcmDurationMs(48_000, 24000, 1)).toBe(1000);
    expect(pcmDurationMs(48_000, 24000, 2)).toBe(500);
  });
});

describe('lk.agent.session decoding (@livekit/protocol)', () => {
  it('maps agent state changes, items and responses to session.* events', () => {
    const ev = new AgentSession.AgentSessionMessage({
      message: {
        case: 'event',
        value: new AgentSession.AgentSessionEvent({
          event: { case: 'agentStateChanged', value: new AgentSession.AgentSessionEvent_AgentStateChanged({ oldState: 2, newState: 3 }) },
        }),
      },
    });
    const [out] = decodeAgentSession(ev.toBinary());
    expect(out).toEqual({ kind: 'agent.state', data: { from: 'listening', to: 'thinking' } });
  });

  it('keeps unknown message cases instead of dropping them', () => {
    const msg = new AgentSession.AgentSessionMessage({
      message: { case: 'audioPlaybackFlush', value: new AgentSession.AgentSessionMessage_ConsoleIO_AudioPlaybackFlush() },
    });
    expect(decodeAgentSession(msg.toBinary())).toEqual([{ kind: 'session.other', data: { case: 'audioPlaybackFlush' } }]);
  });
});

describe('what the buffer should contain', () => {
  const two = loadSidecar('fixtures/audio/two-part.wav', 7051)!;
  it('reads the two-part sidecar', () => {
    expect(two.parts.map((p) => p.text)).toEqual([
      'Hello, my name is Alice and I need help with my order.',
      'The package arrived yesterday with a broken blue umbrella inside.',
    ]);
  });
  it('expects the parts mostly inside the buffered span', () => {
    expect(expectedBufferedText(two, 3700)).toBe(two.parts[0]!.text);
    expect(expectedBufferedText(two, 1000)).toBe('');
    expect(expectedBufferedText(two, 7100)).toBe(`${two.parts[0]!.text} ${two.parts[1]!.text}`);
  });
  it('uses the proportional prefix of a single transcript', () => {
    const one = loadSidecar('fixtures/audio/speech-24k-mono.wav', 2000)!;
    expect(one.parts).toHaveLength(1);
    const half = expectedBufferedText(one, 1000).split(' ').length;
    const all = one.parts[0]!.text.split(/\s+/).length;
    expect(half).toBe(Math.floor(all / 2));
  });
  it('has no sidecar for a file without one', () => {
    expect(loadSidecar('fixtures/audio/bad/mulaw.wav', 1000)).toBeUndefined();
  });
});

describe('fuzzy transcript match', () => {
  it('is order- and case-insensitive recall over content words', () => {
    expect(wordRecall('Hello, my name is Alice and I need help with my order.', 'hello my name is alice and i need help with my order')).toBe(1);
    expect(wordRecall('Hello, my name is Alice and I need help with my order.', 'The package arrived yesterday')).toBe(0);
    expect(wordRecall('Hello, my name is Alice', 'hello alice')).toBeCloseTo(2 / 3);
    expect(wordRecall('', 'anything')).toBe(0);
  });
});

describe('send-preconnect steps', () => {
  it('measures each phase from t=0 and describes the buffer', () => {
    const t0 = 1000;
    const e = (dt: number, kind: EventKind, data: Record<string, unknown> = {}) => partialEvent(t0 + dt, 'client', kind, data);
    const steps = preconnectSteps([
      e(0, 'client.recording.started'),
      e(300, 'client.connected'),
      e(350, 'client.track.published', { features: ['TF_PRECONNECT_BUFFER'] }),
      e(900, 'client.agent.active'),
      e(905, 'client.preconnect.opened', { trackId: 'TR_1', sampleRate: '24000', channels: '1' }),
      e(1000, 'client.preconnect.closed', { bytes: 48000, audioMs: 1000, reason: 'subscribed' }),
      e(2500, 'room.agent.audio'),
    ]);
    const by = Object.fromEntries(steps.map((s) => [s.name, s]));
    expect(by['connect']!.ms).toBe(300);
    expect(by['buffer-opened']).toMatchObject({ ms: 905, status: 'ok', detail: 'trackId=TR_1 sampleRate=24000 channels=1' });
    expect(by['buffer-closed']!.detail).toBe('48000 bytes, 1.00 s of audio (subscribed)');
    expect(by['first-agent-audio']!.ms).toBe(2500);
    expect(by['agent-joined']!.status).toBe('skipped');
    expect(by['dispatch']).toBeUndefined(); // no dispatch step when none was made
  });
});
