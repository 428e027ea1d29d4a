import type { Participant, RemoteParticipant, RemoteTrack, RemoteTrackPublication, Room, TextStreamReader, ByteStreamReader } from '@livekit/rtc-node';
import type { DataOf, EventKind, EventSource, TraceEvent } from '../diagnose/types.js';
import { traceEvent } from '../events/index.js';
import { decodeAgentSession, sessionTraceEvent } from '../protocol/agent-session.js';
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

const AUDIO_FEATURES = [
  'TF_STEREO',
  'TF_NO_DTX',
  'TF_AUTO_GAIN_CONTROL',
  'TF_ECHO_CANCELLATION',
  'TF_NOISE_SUPPRESSION',
  'TF_ENHANCED_NOISE_CANCELLATION',
  'TF_PRECONNECT_BUFFER',
];
const SOURCES = ['unknown', 'camera', 'microphone', 'screen_share', 'screen_share_audio'];

export const featureNames = (features: readonly number[] | undefined) => (features ?? []).map((f) => AUDIO_FEATURES[f] ?? `TF_${f}`);
export const sourceName = (s: number | undefined) => SOURCES[s ?? 0] ?? `source-${s}`;

const isAgent = (p: Participant) => p.kind === 4;

/**
 * Turns what a room participant can see into trace events (docs/events.md), all with source 'room'
 * or 'session': participants and their ACTIVE state (room.participant.*), lk.agent.state (agent.state),
 * tracks and their audio features (room.track.*), lk.transcription segments (user.transcript /
 * agent.transcript: whose speech the transcribed track says it is), lk.agent.session messages
 * (session.*), and the agent's first audible audio (room.agent.audio).
 * Returns a stop() that removes every listener and poller.
 */
export function observeRoom(room: Room, emit: Emit, opts: ObserveOptions): { stop(): void; agentIdentities(): string[] } {
  const o = new RoomObserver(room, emit, opts);
  o.start();
  return { stop: () => o.stop(), agentIdentities: () => [...o.agents] };
}

class RoomObserver {
  readonly agents = new Set<string>();
  private readonly active = new Set<string>();
  private readonly agentState = new Map<string, string>();
  private readonly agentTracks = new Set<string>();
  private readonly stops: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly room: Room,
    private readonly emit: Emit,
    private readonly opts: ObserveOptions,
  ) {}

  private ev<K extends EventKind>(kind: K, data: DataOf<K>, source: EventSource = 'room', t = now()) {
    this.emit(traceEvent(t, source, kind, data));
  }

  /** The participants already in, then every change as it happens. */
  start() {
    for (const p of this.room.remoteParticipants.values()) {
      this.joined(p);
      for (const pub of p.trackPublications.values()) this.published(pub, p);
      this.seen(p);
    }
    this.listen();
    // rtc-node updates ParticipantInfo.state silently (no "active" event): poll it.
    const poll = setInterval(() => {
      for (const p of this.room.remoteParticipants.values()) this.seen(p);
    }, 20);
    this.stops.push(() => clearInterval(poll));
    this.transcripts();
    this.agentSession();
  }

  /** lk.agent.state and the ACTIVE state, each change once. */
  private seen(p: RemoteParticipant) {
    if (isAgent(p)) this.agents.add(p.identity);
    const state = p.attributes[AGENT_STATE_ATTRIBUTE];
    if (state && this.agentState.get(p.identity) !== state) {
      const previous = this.agentState.get(p.identity);
      this.agentState.set(p.identity, state);
      this.ev('agent.state', { identity: p.identity, to: state, ...(previous ? { from: previous } : {}) });
    }
    if (!this.active.has(p.identity) && p.info.state === PARTICIPANT_STATE_ACTIVE) {
      this.active.add(p.identity);
      this.ev('room.participant.active', { identity: p.identity, kind: kindName(p.kind) });
    }
  }

  private joined(p: RemoteParticipant) {
    this.ev('room.participant.joined', { identity: p.identity, sid: p.sid, kind: kindName(p.kind), name: p.name, attributes: { ...p.attributes } });
  }

  private published(pub: RemoteTrackPublication, p: RemoteParticipant) {
    if (isAgent(p) && pub.sid) this.agentTracks.add(pub.sid);
    this.ev('room.track.published', {
      identity: p.identity,
      trackSid: pub.sid,
      source: sourceName(pub.source),
      features: featureNames(pub.info?.audioFeatures),
    });
  }

  /** room.on, removed again by stop(). */
  private readonly on: Room['on'] = (event, listener) => {
    this.stops.push(() => this.room.off(event, listener));
    return this.room.on(event, listener);
  };

  private listen() {
    const { opts } = this;
    this.on('participantConnected', (p: RemoteParticipant) => {
      this.joined(p);
      this.seen(p);
    });
    this.on('participantDisconnected', (p: RemoteParticipant) => this.ev('room.participant.left', { identity: p.identity, reason: p.disconnectReason }));
    this.on('participantAttributesChanged', (_changed, p) => {
      const remote = this.room.remoteParticipants.get(p.identity);
      if (remote) this.seen(remote);
    });
    this.on('trackPublished', (pub: RemoteTrackPublication, p: RemoteParticipant) => this.published(pub, p));
    // rtc-node emits (publication, participant) for both
    this.on('trackMuted', (pub, p) => this.ev('room.track.muted', { identity: p.identity, trackSid: pub.sid, muted: true }));
    this.on('trackUnmuted', (pub, p) => this.ev('room.track.muted', { identity: p.identity, trackSid: pub.sid, muted: false }));
    this.on('localTrackSubscribed', (track) => this.ev('room.track.subscribed', { identity: '(remote)', trackSid: track.sid, publisher: opts.selfIdentity }));
    this.on('disconnected', (reason) => this.ev('room.closed', { reason }));
    this.on('trackSubscribed', (track, pub, p) => {
      if (opts.agentAudio && isAgent(p) && pub.kind === 1 /* KIND_AUDIO */) void this.watchAudio(track, p.identity);
    });
  }

  /** lk.transcription segments: the user's or the agent's, by the transcribed track. */
  private transcripts() {
    this.room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader: TextStreamReader, info: { identity: string }) => {
      void (async () => {
        const attrs = reader.info.attributes ?? {};
        const text = await reader.readAll().catch(() => '');
        const from = info.identity;
        // Agents publish both sides' transcripts; the transcribed track says whose speech it is.
        const track = attrs['lk.transcribed_track_id'];
        const role = track ? (this.agentTracks.has(track) ? 'agent' : 'user') : from === this.opts.selfIdentity || !this.agents.has(from) ? 'user' : 'agent';
        this.ev(role === 'user' ? 'user.transcript' : 'agent.transcript', {
          identity: from,
          transcript: text,
          final: attrs['lk.transcription_final'] === 'true',
          ...(attrs['lk.segment_id'] ? { segmentId: attrs['lk.segment_id'] } : {}),
          ...(attrs['lk.transcribed_track_id'] ? { trackSid: attrs['lk.transcribed_track_id'] } : {}),
        });
      })();
    });
    this.stops.push(() => this.room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC));
  }

  /** lk.agent.session messages (session.*, decoded by protocol/agent-session). */
  private agentSession() {
    this.room.registerByteStreamHandler(AGENT_SESSION_TOPIC, (reader: ByteStreamReader, info: { identity: string }) => {
      void (async () => {
        try {
          const chunks = await reader.readAll();
          const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c)));
          for (const s of decodeAgentSession(bytes)) this.emit(sessionTraceEvent(s, info.identity, now()));
        } catch (err) {
          this.ev('session.decode-error', { identity: info.identity, message: (err as Error).message }, 'session');
        }
      })();
    });
    this.stops.push(() => this.room.unregisterByteStreamHandler(AGENT_SESSION_TOPIC));
  }

  /** The agent's first audible frame (room.agent.audio), then the stream is left. */
  private async watchAudio(track: RemoteTrack, identity: string) {
    const { AudioStream } = await import('@livekit/rtc-node');
    const stream = new AudioStream(track, { sampleRate: 24000, numChannels: 1 });
    const reader = stream.getReader();
    this.stops.push(() => void reader.cancel().catch(() => undefined));
    try {
      while (!this.stopped) {
        const { value, done } = await reader.read();
        if (done || !value) break;
        const db = rmsDbfs(value.data);
        if (db > (this.opts.audibleDbfs ?? -45)) {
          this.ev('room.agent.audio', { identity, firstAudible: true, dbfs: Math.round(db * 10) / 10 });
          break;
        }
      }
    } catch {
      /* the track went away */
    } finally {
      reader.releaseLock();
    }
  }

  stop() {
    this.stopped = true;
    for (const s of this.stops.splice(0)) {
      try {
        s();
      } catch {
        /* already gone */
      }
    }
  }
}
