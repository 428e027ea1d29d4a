import type { Participant, RemoteParticipant, RemoteTrack, RemoteTrackPublication, Room, TextStreamReader, ByteStreamReader } from '@livekit/rtc-node';
import type { EventSource, TraceEvent } from '../diagnose/types.js';
import { decodeAgentSession } from '../protocol/agent-session.js';
import { AGENT_SESSION_TOPIC, AGENT_STATE_ATTRIBUTE, PARTICIPANT_STATE_ACTIVE, TRANSCRIPTION_TOPIC } from '../protocol/preconnect.js';
import { rmsDbfs } from '../audio/pcm.js';
import { now } from './clock.js';
import { kindName } from './livekit.js';

export type Emit = (e: TraceEvent) => void;

export interface ObserveOptions {
  /** Our own identity (its transcripts are the user's when we are the user). */
  selfIdentity: string;
  /** Measure the first audible frame of agent audio (needs subscription). */
  agentAudio: boolean;
  /** Audible threshold for agent audio, dBFS. */
  audibleDbfs?: number;
}

const AUDIO_FEATURES = ['TF_STEREO', 'TF_NO_DTX', 'TF_AUTO_GAIN_CONTROL', 'TF_ECHO_CANCELLATION', 'TF_NOISE_SUPPRESSION', 'TF_ENHANCED_NOISE_CANCELLATION', 'TF_PRECONNECT_BUFFER'];
const SOURCES = ['unknown', 'camera', 'microphone', 'screen_share', 'screen_share_audio'];

export const featureNames = (features: readonly number[] | undefined) => (features ?? []).map((f) => AUDIO_FEATURES[f] ?? `TF_${f}`);
export const sourceName = (s: number | undefined) => SOURCES[s ?? 0] ?? `source-${s}`;

const isAgent = (p: Participant) => p.kind === 4;

/**
 * Turns what a room participant can see into room.* and session.* trace events (docs/events.md):
 * participants and their ACTIVE state, lk.agent.state, tracks and their audio features,
 * lk.transcription segments, lk.agent.session messages, and the agent's first audible audio.
 * Returns a stop() that removes every listener and poller.
 */
export function observeRoom(room: Room, emit: Emit, opts: ObserveOptions): { stop(): void; agentIdentities(): string[] } {
  const ev = (kind: string, data: Record<string, unknown>, source: EventSource = 'room', t = now()) => emit({ t, source, kind, data });
  const active = new Set<string>();
  const agents = new Set<string>();
  const agentState = new Map<string, string>();
  const agentTracks = new Set<string>();
  const stops: Array<() => void> = [];
  const on = (event: string, fn: (...args: never[]) => void) => {
    room.on(event as never, fn as never);
    stops.push(() => room.off(event as never, fn as never));
  };

  const seen = (p: RemoteParticipant) => {
    if (isAgent(p)) agents.add(p.identity);
    const state = p.attributes[AGENT_STATE_ATTRIBUTE];
    if (state && agentState.get(p.identity) !== state) {
      const previous = agentState.get(p.identity);
      agentState.set(p.identity, state);
      ev('room.agent.state', { identity: p.identity, state, ...(previous ? { previous } : {}) });
    }
    if (!active.has(p.identity) && p.info.state === PARTICIPANT_STATE_ACTIVE) {
      active.add(p.identity);
      ev('room.participant.active', { identity: p.identity, kind: kindName(p.kind) });
    }
  };
  const joined = (p: RemoteParticipant) =>
    ev('room.participant.joined', { identity: p.identity, sid: p.sid, kind: kindName(p.kind), name: p.name, attributes: { ...p.attributes } });

  for (const p of room.remoteParticipants.values()) {
    joined(p);
    for (const pub of p.trackPublications.values()) published(pub as RemoteTrackPublication, p);
    seen(p);
  }
  function published(pub: RemoteTrackPublication, p: RemoteParticipant) {
    if (isAgent(p) && pub.sid) agentTracks.add(pub.sid);
    ev('room.track.published', { identity: p.identity, trackSid: pub.sid, source: sourceName(pub.source), features: featureNames(pub.info?.audioFeatures) });
  }

  on('participantConnected', (p: RemoteParticipant) => {
    joined(p);
    seen(p);
  });
  on('participantDisconnected', (p: RemoteParticipant) => ev('room.participant.left', { identity: p.identity, reason: p.disconnectReason }));
  on('participantAttributesChanged', (_changed: Record<string, string>, p: Participant) => {
    if (p.identity !== opts.selfIdentity) seen(p as RemoteParticipant);
  });
  on('trackPublished', (pub: RemoteTrackPublication, p: RemoteParticipant) => published(pub, p));
  on('trackMuted', (p: Participant, pub: { sid?: string }) => ev('room.track.muted', { identity: p.identity, trackSid: pub.sid, muted: true }));
  on('trackUnmuted', (p: Participant, pub: { sid?: string }) => ev('room.track.muted', { identity: p.identity, trackSid: pub.sid, muted: false }));
  on('localTrackSubscribed', (track: { sid?: string }) => ev('room.track.subscribed', { identity: '(remote)', trackSid: track.sid, publisher: opts.selfIdentity }));
  on('disconnected', (reason: unknown) => ev('room.closed', { reason }));
  on('trackSubscribed', (track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant) => {
    if (opts.agentAudio && isAgent(p) && pub.kind === 1 /* KIND_AUDIO */) void watchAudio(track, p.identity);
  });

  // rtc-node updates ParticipantInfo.state silently (no "active" event): poll it.
  const poll = setInterval(() => {
    for (const p of room.remoteParticipants.values()) seen(p);
  }, 20);
  stops.push(() => clearInterval(poll));

  room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader: TextStreamReader, info: { identity: string }) => {
    void (async () => {
      const attrs = reader.info.attributes ?? {};
      const text = await reader.readAll().catch(() => '');
      const from = info.identity;
      // Agents publish both sides' transcripts; the transcribed track says whose speech it is.
      const track = attrs['lk.transcribed_track_id'];
      const role = track ? (agentTracks.has(track) ? 'agent' : 'user') : from === opts.selfIdentity || !agents.has(from) ? 'user' : 'agent';
      ev('room.transcription', {
        identity: from,
        role,
        text,
        final: attrs['lk.transcription_final'] === 'true',
        ...(attrs['lk.segment_id'] ? { segmentId: attrs['lk.segment_id'] } : {}),
        ...(attrs['lk.transcribed_track_id'] ? { trackSid: attrs['lk.transcribed_track_id'] } : {}),
      });
    })();
  });
  stops.push(() => room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC));

  room.registerByteStreamHandler(AGENT_SESSION_TOPIC, (reader: ByteStreamReader, info: { identity: string }) => {
    void (async () => {
      try {
        const chunks = await reader.readAll();
        const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        for (const s of decodeAgentSession(bytes)) ev(s.kind, { identity: info.identity, ...s.data }, 'session', s.t ?? now());
      } catch (err) {
        ev('session.decode-error', { identity: info.identity, message: (err as Error).message }, 'session');
      }
    })();
  });
  stops.push(() => room.unregisterByteStreamHandler(AGENT_SESSION_TOPIC));

  let stopped = false;
  async function watchAudio(track: RemoteTrack, identity: string) {
    const { AudioStream } = await import('@livekit/rtc-node');
    const stream = new AudioStream(track, { sampleRate: 24000, numChannels: 1 });
    const reader = stream.getReader();
    stops.push(() => void reader.cancel().catch(() => undefined));
    try {
      while (!stopped) {
        const { value, done } = await reader.read();
        if (done || !value) break;
        const db = rmsDbfs(value.data);
        if (db > (opts.audibleDbfs ?? -45)) {
          ev('room.agent.audio', { identity, firstAudible: true, dbfs: Math.round(db * 10) / 10 });
          break;
        }
      }
    } catch {
      /* the track went away */
    } finally {
      reader.releaseLock();
    }
  }

  return {
    stop() {
      stopped = true;
      for (const s of stops.splice(0)) {
        try {
          s();
        } catch {
          /* already gone */
        }
      }
    },
    agentIdentities: () => [...agents],
  };
}
