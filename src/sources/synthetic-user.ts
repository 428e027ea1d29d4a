import { randomBytes } from 'node:crypto';
import type { ByteStreamWriter, LocalTrackPublication, RemoteParticipant, Room } from '@livekit/rtc-node';
import type { TraceEvent } from '../diagnose/types.js';
import type { Pcm16 } from '../audio/wav.js';
import {
  CLIENT_AGENT_TIMEOUT_MS,
  PARTICIPANT_STATE_ACTIVE,
  PUBLISH_ON_BEHALF_ATTRIBUTE,
  TF_PRECONNECT_BUFFER,
  pcm16le,
  pcmDurationMs,
  preconnectStreamOptions,
} from '../protocol/preconnect.js';
import { now, sleep } from './clock.js';
import { AGENT_NAME_ATTRIBUTE, teardownRoom, type SeenAgents } from './teardown.js';
import { liveKitError, mintToken, serverClients, type LiveKitTarget } from './livekit.js';
import { featureNames, observeRoom } from './room-observer.js';

export type DispatchMode = 'api' | 'token' | 'none';
export type SendMode = 'stream' | 'snapshot';

export interface Faults {
  omitTrackId?: boolean;
  sendBeforeActive?: boolean;
  noPreconnectFlag?: boolean;
  holdOpenMs?: number;
  delaySendMs?: number;
  sampleRateLie?: boolean;
  stereo?: boolean;
}

export interface SyntheticUserOptions {
  target: LiveKitTarget;
  room: string;
  agentName?: string;
  dispatch: DispatchMode;
  /** The user's speech, at the rate it is recorded and sent (mono, or stereo with faults.stereo). */
  audio: Pcm16;
  mode: SendMode;
  /** The user starts speaking this long before the client starts joining (a slow join). */
  joinDelayMs: number;
  agentTimeoutMs: number;
  /** Bound for observing the agent's answer after the buffer was sent. */
  timeoutMs: number;
  keepRoom: boolean;
  faults: Faults;
  signal: AbortSignal;
  onEvent?: (e: TraceEvent) => void;
}

export interface SyntheticUserRun {
  events: TraceEvent[];
  identity: string;
  trackSid?: string;
  agentIdentity?: string;
  /** Audio (ms) that went into the buffer. */
  bufferedMs: number;
  interrupted: boolean;
}

const FRAME_MS = 10;

/** The agents this run saw join (by identity, and by the agent name the server gave them). */
function seenAgents(events: readonly TraceEvent[]): SeenAgents {
  const seen: SeenAgents = { identities: new Set(), names: new Set() };
  for (const e of events) {
    if (e.kind === 'client.agent.joined') seen.identities.add(String(e.data['identity']));
    if (e.kind === 'room.participant.joined' && e.data['kind'] === 'agent') {
      seen.identities.add(String(e.data['identity']));
      seen.names.add((e.data['attributes'] as Record<string, string> | undefined)?.[AGENT_NAME_ATTRIBUTE] ?? '');
    }
  }
  return seen;
}

/** When the dispatch was made: the API call, the join that applied a token's dispatch, or the room's creation (automatic dispatch). */
function dispatchedAt(events: readonly TraceEvent[], mode: DispatchMode): { dispatchedAt?: number } {
  const kinds = { api: ['server.dispatch.created'], token: ['client.connected'], none: ['server.room.created', 'client.connected'] }[mode];
  const e = events.find((x) => kinds.includes(x.kind));
  return e ? { dispatchedAt: e.t } : {};
}

/**
 * A synthetic user that behaves like LiveKit's client SDKs with the pre-connect buffer: it starts
 * "recording" at t=0 (the WAV plays into the buffer at real-time pace while it connects), publishes
 * its microphone with TF_PRECONNECT_BUFFER, waits for the first ACTIVE agent (not an avatar worker),
 * streams the buffer on lk.agent.pre-connect-audio-buffer to it and closes the stream when the agent
 * subscribes (JS) — or sends one snapshot (Android) — while the rest of the WAV continues live on the
 * track. Everything observed becomes a trace event; deciding what it means is left to the rules.
 */
export async function runSyntheticUser(o: SyntheticUserOptions): Promise<SyntheticUserRun> {
  const { Room, AudioSource, AudioFrame, LocalAudioTrack, TrackPublishOptions, TrackSource } = await import('@livekit/rtc-node');
  const events: TraceEvent[] = [];
  const emit = (e: TraceEvent) => {
    events.push(e);
    o.onEvent?.(e);
  };
  const ev = (kind: string, data: Record<string, unknown>, source: TraceEvent['source'] = 'client') => emit({ t: now(), source, kind, data });
  const identity = `lkdiag-user-${randomBytes(3).toString('hex')}`;
  const { sampleRate, channels, samples } = o.audio;
  const frameSamples = (sampleRate * FRAME_MS) / 1000;
  const frameLen = frameSamples * channels;
  const totalFrames = Math.ceil(samples.length / frameLen);

  // ---- the microphone clock: t=0 is when the user starts speaking ----
  const t0 = now();
  ev('client.recording.started', { sampleRate, channels, audioMs: Math.round((samples.length / channels / sampleRate) * 1000) });
  let frameIndex = 0;
  const recorded: Uint8Array[] = [];
  let recording = true;
  let writer: ByteStreamWriter | undefined;
  let writeChain: Promise<void> = Promise.resolve();
  let bufferedBytes = 0;
  let source: InstanceType<typeof AudioSource> | undefined;
  let captureChain: Promise<void> = Promise.resolve();
  let liveEnded = false;

  const frameAt = (i: number) => {
    const out = new Int16Array(frameLen);
    if (i < totalFrames) out.set(samples.subarray(i * frameLen, Math.min(samples.length, (i + 1) * frameLen)));
    return out;
  };
  const writeToStream = (bytes: Uint8Array) => {
    const w = writer!;
    bufferedBytes += bytes.length;
    writeChain = writeChain.then(() => w.write(bytes)).catch(() => undefined);
  };
  const tick = () => {
    const due = Math.floor((now() - t0) / FRAME_MS);
    while (frameIndex < due) {
      const frame = frameAt(frameIndex);
      if (recording) {
        const bytes = pcm16le(frame);
        if (writer) writeToStream(bytes);
        else recorded.push(bytes);
      }
      if (source) {
        const s = source;
        const f = new AudioFrame(frame, sampleRate, channels, frameSamples);
        captureChain = captureChain.then(() => s.captureFrame(f)).catch(() => undefined);
      }
      frameIndex += 1;
      if (frameIndex === totalFrames && !liveEnded) {
        liveEnded = true;
        ev('client.speech.ended', { offsetMs: Math.round(frameIndex * FRAME_MS) });
      }
    }
  };
  const clock = setInterval(tick, FRAME_MS);

  const room: Room = new Room();
  let observer: ReturnType<typeof observeRoom> | undefined;
  let createdRoom = false;
  let dispatchId: string | undefined;
  let interrupted = false;
  let pub: LocalTrackPublication | undefined;
  let agent: RemoteParticipant | undefined;
  const clients = o.target.apiKey ? await serverClients(o.target) : undefined;
  const onAbort = () => {
    interrupted = true;
  };
  o.signal.addEventListener('abort', onAbort, { once: true });

  try {
    if (o.joinDelayMs > 0) await sleep(o.joinDelayMs, o.signal);
    // ---- room and dispatch ----
    if (clients && o.dispatch !== 'token') {
      const existing = await clients.rooms.listRooms([o.room]).catch((err: unknown) => {
        throw liveKitError(err, o.target, 'listing rooms');
      });
      if (existing.length === 0) {
        await clients.rooms.createRoom({ name: o.room, emptyTimeout: 60, departureTimeout: 5 });
        createdRoom = true;
        ev('server.room.created', { room: o.room }, 'server');
      }
    } else if (o.dispatch === 'token') {
      createdRoom = true; // the join creates it, which is what applies the token's dispatch
    }
    if (o.dispatch === 'api' && o.agentName && clients) {
      const d = await clients.dispatch.createDispatch(o.room, o.agentName);
      dispatchId = d.id;
      ev('server.dispatch.created', { id: d.id, agentName: o.agentName }, 'server');
    }

    // ---- connect and publish the microphone ----
    const token = await mintToken(o.target, {
      identity,
      room: o.room,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      ...(o.dispatch === 'token' && o.agentName ? { dispatchAgent: o.agentName } : {}),
    });
    observer = undefined;
    try {
      await room.connect(o.target.wsUrl, token, { autoSubscribe: true, dynacast: false });
    } catch (err) {
      throw liveKitError(err, o.target, 'connecting to the room');
    }
    ev('client.connected', { url: o.target.wsUrl, room: o.room, identity });
    observer = observeRoom(room, emit, { selfIdentity: identity, agentAudio: true });

    source = new AudioSource(sampleRate, channels, 200);
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    const wantFlag = !o.faults.noPreconnectFlag;
    pub = await room.localParticipant!.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, preconnectBuffer: wantFlag }));
    const features = pub.info?.audioFeatures ?? [];
    ev('client.track.published', { trackSid: pub.sid, features: featureNames(features), preconnectFlag: features.includes(TF_PRECONNECT_BUFFER), requested: wantFlag });
    let subscribed = false;
    const onSubscribed = (t: { sid?: string }) => {
      if (t.sid === pub?.sid && !subscribed) {
        subscribed = true;
        ev('client.agent.subscribed', { identity: agent?.identity ?? '(agent)', trackSid: t.sid });
      }
    };
    room.on('localTrackSubscribed' as never, onSubscribed as never);

    // Fault: send before any agent is active — the header goes out before an agent can receive it
    // (the Swift < 2.16 / React Native race). With no agent known yet it is broadcast to the room.
    let early: ByteStreamWriter | undefined;
    if (o.faults.sendBeforeActive) {
      ev('client.fault', { name: 'send-before-active' });
      tick();
      const opts = preconnectStreamOptions({ trackSid: pub.sid, sampleRate, channels, agentIdentity: '' });
      early = await room.localParticipant!.streamBytes({ ...opts, destinationIdentities: [] });
      writer = early;
      ev('client.preconnect.opened', { streamId: early.info.streamId, trackId: opts.attributes['trackId'] ?? null, sampleRate: opts.attributes['sampleRate'], channels: opts.attributes['channels'], destination: null, mimeType: opts.mimeType, pendingMs: Math.round(pcmDurationMs(recorded.reduce((n, b) => n + b.length, 0), sampleRate, channels)) });
      for (const chunk of recorded.splice(0)) writeToStream(chunk);
      tick();
      recording = false;
      await writeChain;
      await early.close();
      ev('client.preconnect.closed', { bytes: bufferedBytes, audioMs: Math.round(pcmDurationMs(bufferedBytes, sampleRate, channels)), reason: 'snapshot' });
    }

    // ---- wait for the first ACTIVE agent (not an avatar worker) ----
    const deadline = now() + o.agentTimeoutMs;
    let announced = false;
    while (!interrupted && now() < deadline) {
      const candidates = [...room.remoteParticipants.values()].filter((p) => p.kind === 4 && !(PUBLISH_ON_BEHALF_ATTRIBUTE in p.attributes));
      const first = candidates[0];
      if (first && !announced) {
        announced = true;
        ev('client.agent.joined', { identity: first.identity });
      }
      const ready = candidates.find((p) => p.info.state === PARTICIPANT_STATE_ACTIVE);
      if (ready) {
        agent = ready;
        ev('client.agent.active', { identity: ready.identity });
        break;
      }
      await sleep(20, o.signal);
    }
    if (!agent) {
      if (!interrupted) ev('client.timeout', { wait: 'agent-active', boundMs: o.agentTimeoutMs, agentJoined: announced });
      if (clients && o.agentName) {
        const list = await clients.dispatch.listDispatch(o.room).catch(() => []);
        for (const d of list) {
          ev('server.dispatch.state', {
            id: d.id,
            agentName: d.agentName,
            jobs: (d.state?.jobs ?? []).map((j) => ({ status: j.state?.status, error: j.state?.error, participantIdentity: j.state?.participantIdentity })),
          }, 'server');
        }
      }
      return { events, identity, ...(pub.sid ? { trackSid: pub.sid } : {}), bufferedMs: 0, interrupted };
    }
    // ---- send the buffer (unless the fault already sent it) ----
    let audioMs = Math.round(pcmDurationMs(bufferedBytes, sampleRate, channels));
    if (!early) {
    if (o.faults.delaySendMs) {
      ev('client.fault', { name: 'delay-send', value: o.faults.delaySendMs });
      await sleep(o.faults.delaySendMs, o.signal);
    }
    tick();
    const claimed = o.faults.sampleRateLie ? (sampleRate === 16000 ? 24000 : 16000) : undefined;
    if (claimed) ev('client.fault', { name: 'sample-rate-lie', value: claimed });
    if (o.faults.omitTrackId) ev('client.fault', { name: 'omit-track-id' });
    if (o.faults.stereo) ev('client.fault', { name: 'stereo' });
    const opts = preconnectStreamOptions({
      trackSid: pub.sid,
      sampleRate,
      channels,
      agentIdentity: agent.identity,
      ...(o.faults.omitTrackId ? { omitTrackId: true } : {}),
      ...(claimed ? { claimedSampleRate: claimed } : {}),
    });
    const w = await room.localParticipant!.streamBytes(opts);
    writer = w;
    ev('client.preconnect.opened', {
      streamId: w.info.streamId,
      trackId: opts.attributes['trackId'] ?? null,
      sampleRate: opts.attributes['sampleRate'],
      channels: opts.attributes['channels'],
      destination: agent.identity,
      mimeType: opts.mimeType,
      pendingMs: Math.round(pcmDurationMs(recorded.reduce((n, b) => n + b.length, 0), sampleRate, channels)),
    });
    for (const chunk of recorded.splice(0)) writeToStream(chunk);

    let reason: string;
    if (o.mode === 'snapshot') {
      recording = false;
      reason = 'snapshot';
    } else {
      // Like the JS SDK: keep recording into the stream until the agent subscribes (bounded by 10 s).
      const until = now() + CLIENT_AGENT_TIMEOUT_MS;
      while (!subscribed && !interrupted && now() < until) await sleep(10, o.signal);
      reason = subscribed ? 'subscribed' : interrupted ? 'interrupted' : 'timeout';
      if (o.faults.holdOpenMs) {
        ev('client.fault', { name: 'hold-open', value: o.faults.holdOpenMs });
        await sleep(o.faults.holdOpenMs, o.signal);
        reason = 'hold';
      }
      tick();
      recording = false;
    }
    await writeChain;
    await w.close();
    audioMs = Math.round(pcmDurationMs(bufferedBytes, sampleRate, channels));
    ev('client.preconnect.closed', { bytes: bufferedBytes, audioMs, reason });
    ev('client.live.started', { offsetMs: Math.round(frameIndex * FRAME_MS) });
    }

    // ---- observe until the agent has answered, or the bound ----
    const until = now() + o.timeoutMs;
    let answeredAt: number | undefined;
    while (!interrupted && now() < until) {
      const spoke = events.some((e) => e.kind === 'room.agent.audio');
      const doneSpeaking = events.some((e, i) => e.kind === 'room.agent.state' && e.data['state'] === 'listening' && events.slice(0, i).some((x) => x.kind === 'room.agent.state' && x.data['state'] === 'speaking'));
      if (spoke && doneSpeaking && answeredAt === undefined) answeredAt = now();
      if (answeredAt !== undefined && now() - answeredAt > 1500) break; // catch late cancels and transcripts
      await sleep(50, o.signal);
    }
    if (answeredAt === undefined && !interrupted) ev('client.timeout', { wait: 'agent-answer', boundMs: o.timeoutMs });
    return { events, identity, ...(pub.sid ? { trackSid: pub.sid } : {}), agentIdentity: agent.identity, bufferedMs: audioMs, interrupted };
  } finally {
    clearInterval(clock);
    o.signal.removeEventListener('abort', onAbort);
    observer?.stop();
    await Promise.race([captureChain, sleep(500)]);
    // The user stays in the room while it is torn down: leaving first would let the room close on its
    // departure timeout (5 s) before a late agent joins, and that join would re-create it with the
    // server's defaults (empty timeout 300 s).
    if (createdRoom && !o.keepRoom && clients) {
      await teardownRoom(clients, {
        room: o.room,
        ...(dispatchId ? { dispatchId } : {}),
        agentName: o.agentName ?? '',
        seen: seenAgents(events),
        agentMissing: !events.some((e) => e.kind === 'client.agent.joined'),
        ...dispatchedAt(events, o.dispatch),
        onWaiting: (identities, boundMs) => ev('client.cleanup.waiting-for-agent', { identities, boundMs }),
        onDeleted: (room) => ev('server.room.deleted', { room }, 'server'),
      });
    }
    await room.disconnect().catch(() => undefined);
  }
}
