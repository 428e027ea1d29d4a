/**
 * The agent side of pre-connect, for client developers: a participant of kind AGENT that becomes
 * ACTIVE and sets `lk.agent.state` initializing → listening as a livekit-agents agent does, takes the
 * client's buffer on lk.agent.pre-connect-audio-buffer, records what it got (attributes, bytes, timing
 * against the agent's 3 s / 1 s rules), subscribes to the live microphone to measure the seam, and
 * answers with an audio reply (speaking → listening). Judging what it saw is left to the client/* rules.
 *
 * What a client waits for, read in livekit-client (client-sdk-js 9380ed7a): Room.ts:2490-2493 calls
 * setActiveAgent on ParticipantEvent.Active for kind AGENT, and LocalParticipant.ts:1394-1410 then
 * streams to it. ACTIVE is the server's participant state (the transport is up), so joining with a
 * token of kind "agent" is all it takes; the state attribute is what agent UIs read.
 */
import { randomBytes } from 'node:crypto';
import type { AudioFrame, ByteStreamReader, RemoteParticipant, RemoteTrack, RemoteTrackPublication, Room } from '@livekit/rtc-node';
import type { Audio } from '../audio/align.js';
import { measureSeam } from '../audio/align.js';
import { agentReadsMimeAs, analysePcm, analyseSamples, concatBytes, sniffFormat } from '../audio/decode.js';
import { decodeOggOpus, decodeWebmOpus } from '../audio/decode-opus.js';
import type { SniffedFormat } from '../events/mock-agent.js';
import { bytesToPcm16 } from '../audio/pcm.js';
import type { Pcm16 } from '../audio/wav.js';
import type { DataOf, EventKind, TraceEvent } from '../events/index.js';
import { AGENT_STATE_ATTRIBUTE, CLIENT_AGENT_TIMEOUT_MS, PRECONNECT_TOPIC, PUBLISH_ON_BEHALF_ATTRIBUTE, TF_PRECONNECT_BUFFER } from '../protocol/preconnect.js';
import { now, sleep, within } from './clock.js';
import { type LiveKitTarget, liveKitError } from './livekit.js';
import { ofKind, Recorder } from './recorder.js';
import { registerSecret } from '../redact.js';
import { usageError } from '../errors.js';
import { AGENT_NAME_ATTRIBUTE, JobStatus, jobStatusMessage, WorkerConnection, type WorkerJob } from '../protocol/worker.js';
import { featureNames, sourceName } from './room-observer.js';

export type MockAgentFault =
  | { name: 'active-late'; ms: number }
  | { name: 'handler-late'; ms: number }
  | { name: 'no-handler' }
  | { name: 'never-active' }
  | { name: 'avatar' };

export interface MockAgentOptions {
  target: LiveKitTarget;
  /** The room to join; with agentName, the only room whose job is taken. */
  room?: string;
  /** Register as an agent worker with this name and take an explicit-dispatch job. */
  agentName?: string;
  /** Our identity (default lkdiag-agent-XXXXXX). */
  identity?: string;
  /** The audio reply played once the buffer was checked. */
  reply: Pcm16;
  /** The speech the client plays (e.g. the WAV given to send-preconnect): lets a seam gap be measured. */
  reference?: Pcm16;
  fault?: MockAgentFault;
  /** Bound on waiting for a client's microphone. */
  timeoutMs: number;
  signal: AbortSignal;
  onEvent?: (e: TraceEvent) => void;
}

export interface MockAgentRun {
  events: TraceEvent[];
  identity: string;
  /** The room it joined ('' when none: no job came). */
  room: string;
  interrupted: boolean;
}

/** After the agent is listening and the mic is there, how long a buffer may take to start. */
export const STREAM_START_BOUND_MS = 5_000;
/** A stream is read at most this long (the JS recorder stops itself after 10 s). */
const STREAM_READ_BOUND_MS = CLIENT_AGENT_TIMEOUT_MS + 2_000;
/** Live audio collected for the seam, and the bound on getting it. */
const LIVE_MS = 3_000;
const LIVE_BOUND_MS = 6_000;
/** With an avatar, it becomes ACTIVE this long before the agent (a JS client then picks it). */
const AVATAR_LEAD_MS = 1_000;
const LIVE_RATE = 24_000;

type Rtc = typeof import('@livekit/rtc-node');

export async function runMockAgent(o: MockAgentOptions): Promise<MockAgentRun> {
  const s = new MockAgentSession(o, await import('@livekit/rtc-node'));
  try {
    await s.run();
  } finally {
    await s.close();
  }
  return { events: s.rec.events, identity: s.identity, room: s.room, interrupted: o.signal.aborted };
}

class MockAgentSession {
  readonly rec: Recorder;
  readonly identity: string;
  private readonly avatarIdentity: string;
  private readonly rooms: Room[] = [];
  private agentRoom: Room | undefined;
  private handlerAt = 0;
  /** The buffer's audio (first channel), for the seam. */
  private decoded: Audio | undefined;
  private live: Int16Array[] = [];
  private liveSamples = 0;
  /** Resolved once LIVE_MS of live audio has arrived (the seam waits on it, not on a poll). */
  private liveEnough!: () => void;
  private readonly liveReady = new Promise<void>((resolve) => {
    this.liveEnough = resolve;
  });
  private readonly stop = new AbortController();
  private worker: WorkerConnection | undefined;
  private job: WorkerJob | undefined;
  private roomName = '';

  constructor(
    private readonly o: MockAgentOptions,
    private readonly rtc: Rtc,
  ) {
    this.identity = o.identity ?? `lkdiag-agent-${randomBytes(3).toString('hex')}`;
    this.avatarIdentity = `${this.identity}-avatar`;
    this.rec = new Recorder({ source: 'room', onEvent: o.onEvent });
    if (o.signal.aborted) this.stop.abort();
    else o.signal.addEventListener('abort', () => this.stop.abort(), { once: true });
  }

  private ev<K extends EventKind>(kind: K, data: DataOf<K>) {
    this.rec.record(kind, data, 'room');
  }

  get room(): string {
    return this.roomName;
  }

  private get signal() {
    return this.stop.signal;
  }

  async run(): Promise<void> {
    const f = this.o.fault;
    if (f) this.ev('mockagent.fault', { name: f.name, ...('ms' in f ? { value: f.ms } : {}) });
    if (!(await this.findRoom())) return;
    if (f?.name === 'avatar') {
      await this.join('avatar');
      await sleep(AVATAR_LEAD_MS, this.signal);
    }
    if (f?.name === 'active-late') await sleep(f.ms, this.signal);
    if (this.signal.aborted) return;
    const room = await this.join(f?.name === 'never-active' ? 'observer' : 'agent');
    this.agentRoom = room;
    this.handlerAt = f?.name === 'handler-late' ? now() + f.ms : f?.name === 'no-handler' ? Number.POSITIVE_INFINITY : now();
    if (f?.name === 'handler-late') void sleep(f.ms, this.signal).then(() => this.registered());
    else if (f?.name !== 'no-handler') this.registered();
    if (f?.name !== 'never-active') await this.setState('listening');

    const mic = await this.rec.waitFor((e) => e.kind === 'mockagent.mic.published', this.o.timeoutMs, {
      signal: this.signal,
      timeout: { kind: 'mockagent.timeout', data: { wait: 'client-mic', boundMs: this.o.timeoutMs } },
    });
    if (!mic) return;
    const startBound = f?.name === 'never-active' ? CLIENT_AGENT_TIMEOUT_MS + 1_000 : STREAM_START_BOUND_MS;
    const opened = await this.rec.waitFor((e) => e.kind === 'mockagent.stream.opened', startBound, {
      signal: this.signal,
      timeout: { kind: 'mockagent.timeout', data: { wait: 'stream', boundMs: startBound } },
    });
    if (!opened) return;
    await this.rec.waitFor((e) => e.kind === 'mockagent.stream.closed', STREAM_READ_BOUND_MS + 500, { signal: this.signal });
    await this.seam();
    if (f?.name !== 'never-active') await this.answer(room);
  }

  /** --room, or (with --agent-name) the room of the job the server assigns to our worker. */
  private async findRoom(): Promise<boolean> {
    const { agentName, target } = this.o;
    if (!agentName) {
      this.roomName = this.o.room ?? '';
      return true;
    }
    const authToken = await workerAuthToken(target);
    const opened = await WorkerConnection.open({
      wsUrl: target.wsUrl,
      authToken,
      agentName,
      identity: this.identity,
      attributes: { [AGENT_NAME_ATTRIBUTE]: agentName, [AGENT_STATE_ATTRIBUTE]: 'initializing' },
      ...(this.o.room ? { room: this.o.room } : {}),
      boundMs: this.o.timeoutMs,
      signal: this.signal,
      onRegistered: (workerId) => this.ev('mockagent.worker.registered', { workerId, agentName }),
      onDeclined: (room) => this.ev('mockagent.job.declined', { room }),
    }).catch((err: unknown) => {
      throw liveKitError(err, target, 'registering the mock agent worker');
    });
    this.worker = opened.worker;
    const job = await opened.job;
    if (!job) {
      this.ev('mockagent.timeout', { wait: 'job', boundMs: this.o.timeoutMs });
      return false;
    }
    registerSecret(job.token);
    this.job = job;
    this.roomName = job.room;
    this.ev('mockagent.job.assigned', { jobId: job.jobId, dispatchId: job.dispatchId, room: job.room });
    return true;
  }

  /** Joins as the agent (kind AGENT), its avatar worker (kind AGENT + lk.publish_on_behalf), or a hidden observer. */
  private async join(role: 'agent' | 'avatar' | 'observer'): Promise<Room> {
    const identity = role === 'avatar' ? this.avatarIdentity : this.identity;
    const attributes: Record<string, string> =
      role === 'avatar'
        ? { [PUBLISH_ON_BEHALF_ATTRIBUTE]: this.identity, 'lk.avatar_provider': 'lkdiag' }
        : role === 'agent'
          ? { [AGENT_STATE_ATTRIBUTE]: 'initializing' }
          : {};
    const token =
      role === 'agent' && this.job
        ? this.job.token
        : await agentToken(this.o.target, this.roomName, identity, role === 'observer' ? 'observer' : 'agent', attributes);
    const room = new this.rtc.Room();
    this.rooms.push(room);
    this.watch(room, role === 'avatar' ? 'avatar' : 'agent', identity);
    try {
      await room.connect(this.o.target.wsUrl, token, { autoSubscribe: role !== 'avatar', dynacast: false });
    } catch (err) {
      throw liveKitError(err, this.o.target, `joining ${this.roomName} as the mock ${role}`);
    }
    if (role === 'agent' && this.job) this.worker?.send(jobStatusMessage(this.job.jobId, JobStatus.JS_RUNNING));
    this.ev('mockagent.joined', {
      identity,
      room: this.roomName,
      role: role === 'avatar' ? 'avatar' : 'agent',
      kind: role === 'observer' ? 'standard' : 'agent',
    });
    if (role === 'agent') this.ev('mockagent.state', { identity, state: 'initializing' });
    for (const p of room.remoteParticipants.values()) for (const pub of p.trackPublications.values()) this.published(pub, p, role);
    return room;
  }

  private watch(room: Room, role: 'agent' | 'avatar', identity: string) {
    room.registerByteStreamHandler(PRECONNECT_TOPIC, (reader, from) => void this.onStream(reader, from.identity, role, identity));
    room.on('trackPublished', (pub, p) => this.published(pub, p, role));
    if (role === 'agent') room.on('trackSubscribed', (track, pub, p) => this.subscribed(track, pub, p));
  }

  private registered() {
    this.ev('mockagent.handler.registered', { identity: this.identity, topic: PRECONNECT_TOPIC });
  }

  private published(pub: RemoteTrackPublication, p: RemoteParticipant, role: 'agent' | 'avatar' | 'observer') {
    if (role === 'avatar' || p.kind === 4 || sourceName(pub.source) !== 'microphone' || !pub.sid) return;
    if (this.rec.events.some((e) => e.kind === 'mockagent.mic.published' && e.data.trackSid === pub.sid)) return;
    const features = pub.info?.audioFeatures ?? [];
    this.ev('mockagent.mic.published', {
      identity: p.identity,
      trackSid: pub.sid,
      source: sourceName(pub.source),
      features: featureNames(features),
      preconnectFlag: features.includes(TF_PRECONNECT_BUFFER),
    });
  }

  private async setState(state: string) {
    const room = this.agentRoom;
    if (!room?.localParticipant) return;
    await room.localParticipant.setAttributes({ [AGENT_STATE_ATTRIBUTE]: state }).catch(() => undefined);
    this.ev('mockagent.state', { identity: this.identity, state });
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.job) this.worker?.send(jobStatusMessage(this.job.jobId, JobStatus.JS_SUCCESS));
    this.worker?.close();
    for (const r of this.rooms)
      await within(
        r.disconnect().catch(() => undefined),
        3_000,
      );
  }

  // ---- the buffer ----
  private async onStream(reader: ByteStreamReader, from: string, role: 'agent' | 'avatar', receiver: string) {
    const info = reader.info;
    const t0 = now();
    const dropped = role === 'agent' && t0 < this.handlerAt ? (this.o.fault?.name === 'no-handler' ? 'no-handler' : 'handler-late') : undefined;
    this.ev('mockagent.stream.opened', {
      streamId: info.streamId,
      from,
      receiver,
      receiverRole: role,
      topic: info.topic,
      mimeType: info.mimeType,
      name: info.name,
      attributes: { ...(info.attributes ?? {}) },
      ...(dropped ? { dropped } : {}),
    });
    const { chunks, completed } = await readBounded(reader, STREAM_READ_BOUND_MS, this.signal);
    const bytes = concatBytes(chunks);
    this.ev('mockagent.stream.closed', { streamId: info.streamId, bytes: bytes.length, openMs: Math.round(now() - t0), completed });
    if (dropped || role !== 'agent') return;
    await this.check(info.streamId, bytes, info.mimeType, info.attributes ?? {});
  }

  private async check(streamId: string, bytes: Uint8Array, mime: string, attrs: Record<string, string>) {
    const format = sniffFormat(bytes);
    const mimeSays = agentReadsMimeAs(mime);
    const rate = Number(attrs['sampleRate']);
    const channels = Number(attrs['channels']);
    const usable = Number.isInteger(rate) && rate > 0 && Number.isInteger(channels) && channels > 0;
    if (format === 'raw' && usable) {
      const a = analysePcm(bytes, rate, channels);
      this.decoded = pcmMono(bytes, rate, channels);
      this.ev('mockagent.stream.checked', {
        streamId,
        format,
        mimeSays,
        durationMs: a.durationMs,
        speechMs: a.speechMs,
        peakDbfs: a.peakDbfs,
        decoded: true,
        ...(a.trailingBytes ? { note: `${a.trailingBytes} trailing bytes are not a whole sample frame` } : {}),
      });
      return;
    }
    if (format === 'webm' || format === 'ogg') {
      const decoded = await (format === 'ogg' ? decodeOggOpus(bytes) : decodeWebmOpus(bytes)).catch((err: unknown) =>
        err instanceof Error ? err.message : String(err),
      );
      if (typeof decoded !== 'string') {
        const a = analyseSamples(decoded.samples, decoded.sampleRate);
        this.decoded = { samples: decoded.samples, sampleRate: decoded.sampleRate };
        this.ev('mockagent.stream.checked', {
          streamId,
          format,
          mimeSays,
          durationMs: a.durationMs,
          speechMs: a.speechMs,
          peakDbfs: a.peakDbfs,
          decoded: true,
        });
        return;
      }
      this.ev('mockagent.stream.checked', { ...unmeasured(streamId, format, mimeSays), note: `${format}/Opus did not decode: ${decoded.slice(0, 160)}` });
      return;
    }
    const note =
      format === 'mp4'
        ? 'MP4 (a MediaRecorder fallback, AAC or Opus): not decoded'
        : !usable
          ? 'sampleRate/channels unusable: the bytes cannot be read'
          : 'a WAV file, not raw PCM';
    this.ev('mockagent.stream.checked', { ...unmeasured(streamId, format, mimeSays), note });
  }

  // ---- the live microphone and the seam ----
  private subscribed(track: RemoteTrack, pub: RemoteTrackPublication, p: RemoteParticipant) {
    if (p.kind === 4 || sourceName(pub.source) !== 'microphone' || !pub.sid) return;
    this.ev('mockagent.subscribed', { identity: p.identity, trackSid: pub.sid });
    const flagged = (pub.info?.audioFeatures ?? []).includes(TF_PRECONNECT_BUFFER);
    if (flagged) {
      const opened = this.rec.events.find(ofKind('mockagent.stream.opened', (e) => e.data.receiverRole === 'agent'));
      const complete = this.rec.events.some(ofKind('mockagent.stream.closed', (e) => e.data.streamId === opened?.data.streamId));
      this.ev('mockagent.wait.started', { trackSid: pub.sid, bufferComplete: complete, sinceHeaderMs: opened ? Math.round(now() - opened.t) : null });
    }
    void this.readLive(track);
  }

  private async readLive(track: RemoteTrack) {
    const stream = new this.rtc.AudioStream(track, { sampleRate: LIVE_RATE, numChannels: 1 });
    const reader = stream.getReader();
    const until = now() + LIVE_BOUND_MS + STREAM_READ_BOUND_MS;
    try {
      while (this.liveSamples < ((LIVE_MS + 2_000) * LIVE_RATE) / 1000 && now() < until && !this.signal.aborted) {
        const r = await within(reader.read(), 500);
        if (!r) continue;
        if (r.done) break;
        const frame: AudioFrame = r.value;
        this.live.push(frame.data.slice());
        this.liveSamples += frame.data.length;
        if (this.liveSamples >= (LIVE_MS * LIVE_RATE) / 1000) this.liveEnough();
      }
    } finally {
      reader.releaseLock();
      await stream.cancel().catch(() => undefined);
    }
  }

  private async seam() {
    const b = this.decoded;
    if (!b) return;
    const enough = () => this.liveSamples >= (LIVE_MS * LIVE_RATE) / 1000;
    // the live track's reader resolves liveReady; bounded, and an abort ends the wait too
    await within(this.liveReady, LIVE_BOUND_MS, this.signal);
    if (!enough()) {
      this.ev('mockagent.timeout', { wait: 'live-audio', boundMs: LIVE_BOUND_MS });
      return;
    }
    const live: Audio = { samples: concatSamples(this.live), sampleRate: LIVE_RATE };
    const ref = this.o.reference ? { samples: this.o.reference.samples, sampleRate: this.o.reference.sampleRate } : undefined;
    const s = measureSeam(b, live, { searchMs: LIVE_MS }, ref);
    if (s) this.ev('mockagent.seam', { offsetMs: s.offsetMs, correlation: s.correlation, tailMs: s.tailMs, liveSearchMs: s.searchMs });
  }

  // ---- the reply ----
  private async answer(room: Room) {
    const { reply } = this.o;
    const source = new this.rtc.AudioSource(reply.sampleRate, 1, 1_000);
    const track = this.rtc.LocalAudioTrack.createAudioTrack('agent-reply', source);
    const opts = new this.rtc.TrackPublishOptions({ source: this.rtc.TrackSource.SOURCE_MICROPHONE });
    await room.localParticipant?.publishTrack(track, opts);
    const audioMs = Math.round((reply.samples.length / reply.sampleRate) * 1000);
    await this.setState('speaking');
    this.ev('mockagent.reply', { phase: 'started', audioMs });
    const frame = reply.sampleRate / 100;
    for (let i = 0; i + frame <= reply.samples.length && !this.signal.aborted; i += frame) {
      await source.captureFrame(new this.rtc.AudioFrame(reply.samples.slice(i, i + frame), reply.sampleRate, 1, frame));
    }
    await within(source.waitForPlayout(), audioMs + 2_000, this.signal);
    this.ev('mockagent.reply', { phase: 'ended', audioMs });
    await this.setState('listening');
    await source.close().catch(() => undefined);
  }
}

/**
 * A join token for the mock agent: participant kind "agent" (livekit-server-sdk's AccessToken.kind,
 * which the server maps to ParticipantInfo.Kind AGENT), its attributes from the join on; or a hidden
 * observer (never-active: the agent is in the room but no client ever sees an agent).
 */
async function agentToken(
  target: LiveKitTarget,
  room: string,
  identity: string,
  as: 'agent' | 'observer',
  attributes: Record<string, string>,
): Promise<string> {
  if (target.token) return target.token;
  const { AccessToken } = await import('livekit-server-sdk');
  const at = new AccessToken(target.apiKey, target.apiSecret, { identity, name: identity, ttl: '1h', attributes });
  if (as === 'agent') at.kind = 'agent';
  at.addGrant({
    roomJoin: true,
    room,
    canPublish: as === 'agent',
    canSubscribe: true,
    canPublishData: true,
    ...(as === 'agent' ? { agent: true } : { hidden: true }),
  });
  const jwt = await at.toJwt();
  registerSecret(jwt);
  return jwt;
}

/** The worker endpoint's token: the `agent` grant only (livekit-agents worker.py:1096-1100). */
async function workerAuthToken(target: LiveKitTarget): Promise<string> {
  if (!target.apiKey || !target.apiSecret)
    throw usageError(
      '--agent-name needs LiveKit API credentials',
      'Set LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or --api-key/--api-secret): a worker registers with them.',
    );
  const { AccessToken } = await import('livekit-server-sdk');
  const at = new AccessToken(target.apiKey, target.apiSecret, { ttl: '1h' });
  at.addGrant({ agent: true });
  const jwt = await at.toJwt();
  registerSecret(jwt);
  return jwt;
}

/** Reads a byte stream to its end, or until the bound (then closes the reader). */
async function readBounded(reader: ByteStreamReader, boundMs: number, signal: AbortSignal): Promise<{ chunks: Uint8Array[]; completed: boolean }> {
  const chunks: Uint8Array[] = [];
  const it = reader[Symbol.asyncIterator]();
  const deadline = now() + boundMs;
  while (!signal.aborted) {
    const left = deadline - now();
    if (left <= 0) break;
    const r = await within(it.next(), left, signal);
    if (!r) break;
    if (r.done) return { chunks, completed: true };
    chunks.push(r.value);
  }
  await reader.close().catch(() => undefined);
  return { chunks, completed: false };
}

const unmeasured = (streamId: string, format: SniffedFormat, mimeSays: 'opus' | 'pcm') => ({
  streamId,
  format,
  mimeSays,
  durationMs: null,
  speechMs: null,
  peakDbfs: null,
  decoded: false,
});

/** Raw s16le interleaved PCM → its first channel. */
function pcmMono(bytes: Uint8Array, sampleRate: number, channels: number): Audio {
  const pcm = bytesToPcm16(bytes.subarray(0, bytes.length - (bytes.length % (2 * channels))));
  const samples = channels > 1 ? Int16Array.from({ length: pcm.length / channels }, (_, i) => pcm[i * channels]!) : pcm;
  return { samples, sampleRate };
}

function concatSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
