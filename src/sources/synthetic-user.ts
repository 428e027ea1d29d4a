import { randomBytes } from 'node:crypto';
import type { AudioSource, ByteStreamWriter, LocalTrackPublication, RemoteParticipant, Room } from '@livekit/rtc-node';
import type { DataOf, EventKind, EventSource, TraceEvent } from '../diagnose/types.js';
import type { Pcm16 } from '../audio/wav.js';
import {
  CLIENT_AGENT_TIMEOUT_MS,
  PARTICIPANT_STATE_ACTIVE,
  PUBLISH_ON_BEHALF_ATTRIBUTE,
  TF_PRECONNECT_BUFFER,
  pcmDurationMs,
  preconnectStreamOptions,
} from '../protocol/preconnect.js';
import { AgentAnswers } from './agent-answers.js';
import { now, sleep, within } from './clock.js';
import { Recorder, type TimeoutSpec } from './recorder.js';
import { frameBytes, liveModeName, Microphone, type LiveMode } from './microphone.js';
import { AGENT_NAME_ATTRIBUTE, teardownRoom, type SeenAgents } from './teardown.js';
import { jobStatus, liveKitError, mintToken, serverClients, type LiveKitTarget } from './livekit.js';
import { featureNames, observeRoom } from './room-observer.js';
import { RECONNECT_BOUND_MS } from './room-trace.js';
import type { BufferPayload } from './sdk-profiles.js';

export type DispatchMode = 'api' | 'token' | 'none';
export type SendMode = 'stream' | 'snapshot';
export type { LiveMode };

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
  /** Where one utterance of the WAV ends and the next begins (ms; from its sidecar's parts). */
  utteranceStartsMs?: readonly number[];
  /** When the user says the next utterance (default continuous: the WAV plays straight through). */
  live?: LiveMode;
  mode: SendMode;
  /** The user starts speaking this long before the client starts joining (a slow join). */
  joinDelayMs: number;
  agentTimeoutMs: number;
  /** Bound for each wait on the agent's answer. */
  timeoutMs: number;
  keepRoom: boolean;
  faults: Faults;
  /** What goes in the buffer instead of the raw PCM (send-preconnect --as: an SDK's container and writes). */
  payload?: BufferPayload;
  /** Which ACTIVE agent gets the buffer (default first-non-avatar; see AgentPick). */
  agentPick?: AgentPick;
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
  /** How far into the WAV the user had spoken when the buffer closed (ms): which words it can hold. */
  bufferedSpeechMs: number;
  interrupted: boolean;
  /** Why the connection to the server was lost mid-run (rtc-node DisconnectReason), if it was. */
  disconnected?: string;
}

/** A run's answered reply is followed this long, to catch late cancels and transcripts. */
const AFTER_ANSWER_GRACE_MS = 1_500;
/**
 * Between two utterances the user waits this long for the agent to start answering; then (like a person
 * who got no answer) goes on with the next one. An answer that has started is waited for to its end.
 */
export const NO_ANSWER_GO_ON_MS = 8_000;
/** Bound on the teardown when the server cannot be reached any more. */
const TEARDOWN_BOUND_MS = 30_000;
/** What says an agent joined or became ACTIVE (the room observer's events; it polls rtc-node's silent state). */
const isParticipantChange = (e: TraceEvent) => e.kind === 'room.participant.joined' || e.kind === 'room.participant.active';
const bufferClosed = (e: TraceEvent) => e.kind === 'client.preconnect.closed';
const agentSubscribed = (e: TraceEvent) => e.kind === 'client.agent.subscribed';
const audioEnded = (e: TraceEvent) => e.kind === 'client.speech.ended' && e.data['last'] === true;

type Rtc = typeof import('@livekit/rtc-node');

/**
 * A synthetic user that behaves like LiveKit's client SDKs with the pre-connect buffer: it starts
 * "recording" at t=0 (the WAV plays into the buffer at real-time pace while it connects), publishes
 * its microphone with TF_PRECONNECT_BUFFER, waits for the first ACTIVE agent (not an avatar worker),
 * streams the buffer on lk.agent.pre-connect-audio-buffer to it and closes the stream when the agent
 * subscribes (JS) — or sends one snapshot (Android) — while the rest of the WAV continues live on the
 * track. Between utterances it waits as a real user would (`live`). Everything observed becomes a
 * trace event; deciding what it means is left to the rules.
 */
export async function runSyntheticUser(o: SyntheticUserOptions): Promise<SyntheticUserRun> {
  const u = new UserSession(o, await import('@livekit/rtc-node'));
  try {
    return await u.run();
  } finally {
    await u.close();
  }
}

class UserSession {
  /** Everything the run saw, in order; each event also goes to the agent's answers and the command. */
  private readonly rec: Recorder;
  readonly identity = `lkdiag-user-${randomBytes(3).toString('hex')}`;
  private readonly mic: Microphone;
  private readonly answers = new AgentAnswers();
  /** Aborted on Ctrl-C and when the connection is lost: every wait ends. */
  private readonly stop = new AbortController();
  private readonly room: Room;
  private clock: ReturnType<typeof setInterval> | undefined;
  private observer: ReturnType<typeof observeRoom> | undefined;
  private clients: Awaited<ReturnType<typeof serverClients>> | undefined;
  private source: AudioSource | undefined;
  private captureChain: Promise<void> = Promise.resolve();
  private writer: ByteStreamWriter | undefined;
  private writeChain: Promise<void> = Promise.resolve();
  private recorded: Uint8Array[] = [];
  private recordedBytes = 0;
  private bufferedBytes = 0;
  private bufferedSpeechMs = 0;
  private recording = true;
  private leaving = false;
  private createdRoom = false;
  private dispatchId: string | undefined;
  private pub: LocalTrackPublication | undefined;
  private agent: RemoteParticipant | undefined;
  private subscribed = false;
  private bufferClosedAt: number | undefined;
  private audioEndedAt: number | undefined;
  private pauses: Promise<void> = Promise.resolve();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnecting = false;
  private connectedAt: number | undefined;
  /** The server API answered this run's calls (see joinLost). */
  private serverReached = false;
  /** When run() began (epoch ms on this clock). */
  private startedAt = now();
  interrupted = false;
  disconnected: string | undefined;

  constructor(
    private readonly o: SyntheticUserOptions,
    private readonly rtc: Rtc,
  ) {
    const { sampleRate, channels, samples } = o.audio;
    const live = o.live ?? { kind: 'continuous' };
    const stops = live.kind === 'continuous' ? [] : (o.utteranceStartsMs ?? []).map((ms) => (ms / 1000) * sampleRate);
    this.mic = new Microphone(samples, sampleRate, channels, stops);
    this.rec = new Recorder({ source: 'client', onEvent: this.observe });
    this.room = new rtc.Room();
    const onAbort = () => {
      this.interrupted = true;
      this.stop.abort();
    };
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
    this.stop.signal.addEventListener('abort', () => o.signal.removeEventListener('abort', onAbort), { once: true });
  }

  get events(): TraceEvent[] {
    return this.rec.events;
  }

  /** Each event as it is recorded: the agent's answers follow it, the command gets it. */
  private observe = (e: TraceEvent) => {
    this.answers.observe(e);
    this.o.onEvent?.(e);
    // The agent left mid-run (crashed, killed, or ended the session): nothing more can be answered.
    if (e.kind === 'room.participant.left' && this.agent && e.data['identity'] === this.agent.identity && !this.leaving) this.stop.abort();
  };

  private ev<K extends EventKind>(kind: K, data: DataOf<K>, source: EventSource = 'client') {
    this.rec.record(kind, data, source);
  }

  private get live(): LiveMode {
    return this.o.live ?? { kind: 'continuous' };
  }

  private result(): SyntheticUserRun {
    const { sampleRate, channels } = this.o.audio;
    return {
      events: this.events,
      identity: this.identity,
      ...(this.pub?.sid ? { trackSid: this.pub.sid } : {}),
      ...(this.agent ? { agentIdentity: this.agent.identity } : {}),
      bufferedMs: this.agent ? Math.round(pcmDurationMs(this.bufferedBytes, sampleRate, channels)) : 0,
      bufferedSpeechMs: this.agent ? this.bufferedSpeechMs : 0,
      interrupted: this.interrupted,
      ...(this.disconnected ? { disconnected: this.disconnected } : {}),
    };
  }

  async run(): Promise<SyntheticUserRun> {
    const { sampleRate, channels, samples } = this.o.audio;
    const t0 = now();
    this.startedAt = t0;
    this.ev('client.recording.started', {
      sampleRate,
      channels,
      audioMs: Math.round((samples.length / channels / sampleRate) * 1000),
      live: liveModeName(this.live),
    });
    this.mic.start(t0);
    this.clock = setInterval(this.tick, 20);
    this.clients = this.o.target.apiKey ? await serverClients(this.o.target) : undefined;

    if (this.o.joinDelayMs > 0) await sleep(this.o.joinDelayMs, this.stop.signal);
    if (this.stop.signal.aborted) return this.result();
    await this.prepareRoom();
    try {
      await this.connectAndPublish();
      if (this.o.faults.sendBeforeActive) await this.sendBeforeActive();
      if (!(await this.waitForActiveAgent())) return this.result();
      if (!this.bufferClosedAt) await this.sendBuffer();
      await this.converse();
    } catch (err) {
      // A send that failed because the connection is gone (e.g. "unable to send packet" after the server
      // died, before rtc-node reports the disconnect) is that lost connection, not a crash.
      if (!this.lostOn(err)) throw err;
    }
    return this.result();
  }

  // ---- the microphone: due frames into the buffer (while recording) and onto the track ----
  private tick = () => {
    const { sampleRate, channels } = this.o.audio;
    for (const f of this.mic.due(now(), this.onMic)) {
      if (this.recording) {
        const bytes = frameBytes(f.samples);
        if (this.writer) this.writeToStream(bytes);
        else {
          this.recorded.push(bytes);
          this.recordedBytes += bytes.length;
        }
      }
      const s = this.source;
      if (s) {
        const frame = new this.rtc.AudioFrame(ownBuffer(f.samples), sampleRate, channels, this.mic.frameSamples);
        this.captureChain = this.captureChain.then(() => s.captureFrame(frame)).catch(() => undefined);
      }
    }
  };

  private onMic = (e: { kind: 'utterance-ended' | 'audio-ended'; clockMs: number; spokenMs: number }) => {
    this.ev('client.speech.ended', { offsetMs: e.clockMs, spokenMs: e.spokenMs, last: e.kind === 'audio-ended' });
    if (e.kind === 'audio-ended') {
      this.audioEndedAt = now();
    } else this.pauses = this.pauses.then(() => this.pauseThenGoOn());
  };

  /** Between two utterances: wait as the script says, then say the next one. */
  private async pauseThenGoOn(): Promise<void> {
    const since = now();
    const live = this.live;
    if (live.kind === 'after-answer') {
      // The agent cannot answer before it has the buffer: the wait for its answer starts from there.
      await this.waitFor(bufferClosed, this.o.agentTimeoutMs + CLIENT_AGENT_TIMEOUT_MS);
      const from = Math.max(since, this.bufferClosedAt ?? since);
      let answer = await this.answers.waitForAnswer(since, Math.max(0, from + NO_ANSWER_GO_ON_MS - now()), this.stop.signal);
      if (!answer && this.answers.speakingAfter(since)) answer = await this.answers.waitForAnswer(since, this.o.timeoutMs, this.stop.signal);
      if (!answer && !this.stop.signal.aborted) {
        this.ev('client.speech.resumed', { after: 'no-answer', waitedMs: Math.round(now() - since), offsetMs: this.mic.clockMs });
        this.mic.resume();
        return;
      }
    } else if (live.kind === 'pause') {
      await this.waitFor(bufferClosed, this.o.timeoutMs);
      const from = Math.max(since, this.bufferClosedAt ?? since);
      await sleep(Math.max(0, from + live.ms - now()), this.stop.signal);
    }
    if (this.stop.signal.aborted) return;
    this.ev('client.speech.resumed', { after: liveModeName(live), waitedMs: Math.round(now() - since), offsetMs: this.mic.clockMs });
    this.mic.resume();
  }

  private writeToStream(bytes: Uint8Array) {
    const w = this.writer!;
    this.bufferedBytes += bytes.length;
    this.bufferedSpeechMs = this.mic.spokenMs;
    for (const c of this.o.payload ? this.o.payload.push(bytes) : [bytes]) this.writeChain = this.writeChain.then(() => w.write(c)).catch(() => undefined);
  }

  /** The recording stopped: the payload's last write (the recorder's final blob, Android's one write). */
  private endPayload() {
    const w = this.writer;
    for (const c of (w && this.o.payload?.end()) || []) this.writeChain = this.writeChain.then(() => w!.write(c)).catch(() => undefined);
  }

  private flushRecorded() {
    for (const chunk of this.recorded.splice(0)) this.writeToStream(chunk);
    this.recordedBytes = 0;
    this.bufferedSpeechMs = this.mic.spokenMs;
  }

  private pendingMs(): number {
    const { sampleRate, channels } = this.o.audio;
    return Math.round(pcmDurationMs(this.recordedBytes, sampleRate, channels));
  }

  // ---- room and dispatch ----
  private async prepareRoom(): Promise<void> {
    const { o, clients } = this;
    if (clients && o.dispatch !== 'token') {
      const existing = await clients.rooms.listRooms([o.room]).catch((err: unknown) => {
        throw liveKitError(err, o.target, 'listing rooms');
      });
      if (existing.length === 0) {
        await clients.rooms.createRoom({ name: o.room, emptyTimeout: 60, departureTimeout: 5 });
        this.createdRoom = true;
        this.ev('server.room.created', { room: o.room }, 'server');
      }
    } else if (o.dispatch === 'token') {
      this.createdRoom = true; // the join creates it, which is what applies the token's dispatch
    }
    if (o.dispatch === 'api' && o.agentName && clients) {
      const d = await clients.dispatch.createDispatch(o.room, o.agentName);
      this.dispatchId = d.id;
      this.ev('server.dispatch.created', { id: d.id, agentName: o.agentName }, 'server');
    }
    // The server API answered this run (listRooms at least): a join failing on the transport now is a fault.
    if (clients && o.dispatch !== 'token') this.serverReached = true;
  }

  // ---- connect and publish the microphone ----
  private async connectAndPublish(): Promise<void> {
    const { o, room } = this;
    const token = await mintToken(o.target, {
      identity: this.identity,
      room: o.room,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      ...(o.dispatch === 'token' && o.agentName ? { dispatchAgent: o.agentName } : {}),
    });
    try {
      await room.connect(o.target.wsUrl, token, { autoSubscribe: true, dynacast: false });
    } catch (err) {
      if (this.joinLost(err)) throw err;
      throw liveKitError(err, o.target, 'connecting to the room');
    }
    const connectedAt = now();
    this.connectedAt = connectedAt;
    room.on('disconnected', (reason) => this.lost(reason, connectedAt));
    // rtc-node keeps reconnecting for ~20 s after the server is gone; like trace room, the run gives up sooner.
    room.on('reconnecting', () => {
      this.ev('client.reconnecting', { afterMs: Math.round(now() - connectedAt) });
      this.reconnecting = true;
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => this.lost('RECONNECTING', connectedAt), RECONNECT_BOUND_MS);
    });
    room.on('reconnected', () => {
      this.reconnecting = false;
      clearTimeout(this.reconnectTimer);
      this.ev('client.reconnected', { afterMs: Math.round(now() - connectedAt) });
    });
    this.ev('client.connected', { url: o.target.wsUrl, room: o.room, identity: this.identity });
    this.observer = observeRoom(room, this.rec.emit, { selfIdentity: this.identity, agentAudio: true });

    const { sampleRate, channels } = o.audio;
    const source = new this.rtc.AudioSource(sampleRate, channels, 200);
    const track = this.rtc.LocalAudioTrack.createAudioTrack('microphone', source);
    const wantFlag = !o.faults.noPreconnectFlag;
    const pub = await room
      .localParticipant!.publishTrack(track, new this.rtc.TrackPublishOptions({ source: this.rtc.TrackSource.SOURCE_MICROPHONE, preconnectBuffer: wantFlag }))
      .catch((err: unknown) => {
        // The connection lost under the publication is that lost connection (a finding); anything else is an error.
        throw this.lostOn(err) ? err : liveKitError(err, o.target, 'publishing the microphone');
      });
    this.pub = pub;
    this.source = source;
    const features = pub.info?.audioFeatures ?? [];
    this.ev('client.track.published', {
      trackSid: pub.sid,
      features: featureNames(features),
      preconnectFlag: features.includes(TF_PRECONNECT_BUFFER),
      requested: wantFlag,
    });
    room.on('localTrackSubscribed', (t) => {
      if (t.sid !== this.pub?.sid || this.subscribed) return;
      this.subscribed = true;
      this.ev('client.agent.subscribed', { identity: this.agent?.identity ?? '(agent)', trackSid: t.sid });
    });
  }

  /** The room disconnected while the run was still going: a lost connection, a finding for the rules. */
  private lost(reason: number | 'RECONNECTING' | 'SEND_FAILED' | 'JOIN_FAILED', connectedAt: number, message?: string) {
    clearTimeout(this.reconnectTimer);
    if (this.leaving || this.disconnected) return;
    const name = typeof reason === 'string' ? reason : (this.rtc.DisconnectReason[reason] ?? String(reason));
    this.disconnected = name;
    this.ev('client.disconnected', { reason: name, afterMs: Math.round(now() - connectedAt), ...(message ? { message: message.slice(0, 200) } : {}) });
    this.stop.abort();
  }

  /**
   * A join that failed on the transport after the server API had answered this run (room, dispatch):
   * the server went away in between (or a proxy passes HTTP but not WebSocket upgrades). That is a
   * fault of the run (a finding, with the report), not "cannot reach the server" (nothing reached).
   */
  private joinLost(err: unknown): boolean {
    if (!this.serverReached) return false;
    const message = err instanceof Error ? err.message : String(err);
    if (!/connection refused|connection reset|transport connection error|engine is closed|timed out|ECONNREFUSED|ECONNRESET|signal failure/i.test(message))
      return false;
    this.lost('JOIN_FAILED', this.startedAt, message);
    return true;
  }

  /** Whether `err`, thrown by a room operation, means the connection is lost (recorded as such). */
  private lostOn(err: unknown): boolean {
    if (this.disconnected) return true;
    const message = err instanceof Error ? err.message : String(err);
    const trouble =
      this.reconnecting || !this.room.isConnected || /unable to send packet|engine is closed|not connected|connection (closed|lost)/i.test(message);
    if (!trouble || this.connectedAt === undefined) return false;
    this.lost(this.reconnecting ? 'RECONNECTING' : 'SEND_FAILED', this.connectedAt, message);
    return true;
  }

  /**
   * Fault: send before any agent is active — the header goes out before an agent can receive it
   * (the Swift < 2.16 / React Native race). With no agent known yet it is broadcast to the room.
   */
  private async sendBeforeActive(): Promise<void> {
    const { sampleRate, channels } = this.o.audio;
    this.ev('client.fault', { name: 'send-before-active' });
    this.tick();
    const base = preconnectStreamOptions({ trackSid: this.pub!.sid!, sampleRate, channels, agentIdentity: '' });
    const opts = this.o.payload ? { ...base, name: this.o.payload.name, mimeType: this.o.payload.mimeType } : base;
    const early = await this.room.localParticipant!.streamBytes({ ...opts, destinationIdentities: [] });
    this.writer = early;
    this.ev('client.preconnect.opened', {
      streamId: early.info.streamId,
      trackId: opts.attributes['trackId'] ?? null,
      sampleRate: opts.attributes['sampleRate'],
      channels: opts.attributes['channels'],
      destination: null,
      mimeType: opts.mimeType,
      pendingMs: this.pendingMs(),
    });
    this.flushRecorded();
    this.tick();
    this.recording = false;
    this.endPayload();
    await this.writeChain;
    await early.close();
    this.closed('snapshot');
  }

  private closed(reason: string) {
    const { sampleRate, channels } = this.o.audio;
    this.bufferClosedAt = now();
    this.ev('client.preconnect.closed', {
      bytes: this.bufferedBytes,
      audioMs: Math.round(pcmDurationMs(this.bufferedBytes, sampleRate, channels)),
      speechMs: this.bufferedSpeechMs,
      reason,
    });
  }

  // ---- wait for the first ACTIVE agent (not an avatar worker) ----
  /**
   * Like the client SDKs, which look for an ACTIVE agent on participant updates: the room is looked at
   * again each time a participant joins or becomes ACTIVE, until the bound (client.timeout agent-active).
   */
  private async waitForActiveAgent(): Promise<boolean> {
    const ready = await waitForActiveAgent(this.rec, () => this.room.remoteParticipants.values(), this.o.agentTimeoutMs, this.stop.signal, this.o.agentPick);
    if (ready) {
      this.agent = ready;
      return true;
    }
    await this.dispatchStateAfterNoAgent();
    return false;
  }

  /** No agent came: what the server says about the dispatch's jobs. */
  private async dispatchStateAfterNoAgent(): Promise<void> {
    if (!this.clients || !this.o.agentName || this.disconnected) return;
    const list = await this.clients.dispatch.listDispatch(this.o.room).catch(() => []);
    for (const d of list) {
      const jobs = (d.state?.jobs ?? []).map((j) => ({
        ...(j.state?.status !== undefined ? { status: jobStatus(j.state.status) } : {}),
        ...(j.state?.error !== undefined ? { error: j.state.error } : {}),
        ...(j.state?.participantIdentity !== undefined ? { participantIdentity: j.state.participantIdentity } : {}),
      }));
      this.ev('server.dispatch.state', { id: d.id, agentName: d.agentName, jobs }, 'server');
    }
  }

  // ---- send the buffer ----
  private async sendBuffer(): Promise<void> {
    const { o } = this;
    const agent = this.agent!;
    const { sampleRate, channels } = o.audio;
    if (o.faults.delaySendMs) {
      this.ev('client.fault', { name: 'delay-send', value: o.faults.delaySendMs });
      await sleep(o.faults.delaySendMs, this.stop.signal);
    }
    this.tick();
    const claimed = o.faults.sampleRateLie ? (sampleRate === 16000 ? 24000 : 16000) : undefined;
    if (claimed) this.ev('client.fault', { name: 'sample-rate-lie', value: claimed });
    if (o.faults.omitTrackId) this.ev('client.fault', { name: 'omit-track-id' });
    if (o.faults.stereo) this.ev('client.fault', { name: 'stereo' });
    const base = preconnectStreamOptions({
      trackSid: this.pub!.sid!,
      sampleRate,
      channels,
      agentIdentity: agent.identity,
      ...(o.faults.omitTrackId ? { omitTrackId: true } : {}),
      ...(claimed ? { claimedSampleRate: claimed } : {}),
    });
    const opts = o.payload ? { ...base, name: o.payload.name, mimeType: o.payload.mimeType } : base;
    const w = await this.room.localParticipant!.streamBytes(opts);
    this.writer = w;
    this.ev('client.preconnect.opened', {
      streamId: w.info.streamId,
      trackId: opts.attributes['trackId'] ?? null,
      sampleRate: opts.attributes['sampleRate'],
      channels: opts.attributes['channels'],
      destination: agent.identity,
      mimeType: opts.mimeType,
      pendingMs: this.pendingMs(),
    });
    this.flushRecorded();
    let reason: string;
    if (o.mode === 'snapshot') {
      this.recording = false;
      reason = 'snapshot';
    } else {
      // Like the JS SDK: keep recording into the stream until the agent subscribes (bounded by 10 s).
      if (!this.subscribed) await this.waitFor(agentSubscribed, CLIENT_AGENT_TIMEOUT_MS);
      reason = this.subscribed ? 'subscribed' : this.interrupted ? 'interrupted' : this.disconnected ? 'disconnected' : 'timeout';
      if (o.faults.holdOpenMs) {
        this.ev('client.fault', { name: 'hold-open', value: o.faults.holdOpenMs });
        await sleep(o.faults.holdOpenMs, this.stop.signal);
        reason = 'hold';
      }
      this.tick();
      this.recording = false;
    }
    this.endPayload();
    await this.until(this.writeChain, 5_000);
    await this.until(
      w.close().catch(() => undefined),
      5_000,
    );
    this.closed(reason);
    this.ev('client.live.started', { offsetMs: this.mic.clockMs });
  }

  /** Waits for `p`, at most `boundMs`, and not past Ctrl-C or a lost connection. */
  private until<T>(p: Promise<T>, boundMs: number): Promise<T | undefined> {
    return within(p, boundMs, this.stop.signal);
  }

  /** Waits for an event (one already recorded counts), at most `boundMs`, and not past Ctrl-C or a lost connection. */
  private waitFor(match: (e: TraceEvent) => boolean, boundMs: number): Promise<TraceEvent | undefined> {
    return this.rec.waitFor(match, boundMs, { signal: this.stop.signal });
  }

  // ---- the conversation after the buffer: until the agent has answered the last utterance ----
  private async converse(): Promise<void> {
    const bound = this.o.timeoutMs;
    if (this.live.kind === 'continuous') {
      // The first answer after the buffer ends the run (the rest of the WAV may still be playing).
      const sent = this.events.find((e) => e.kind === 'client.preconnect.opened')?.t ?? now();
      await this.answerHeard(sent, now() + bound);
      return;
    }
    // Every utterance said (each pause waits for its answer), then the answer to the last one.
    await this.waitFor(audioEnded, 10 * 60_000);
    await this.pauses;
    if (this.stop.signal.aborted) return;
    await this.answerHeard(this.audioEndedAt ?? now(), now() + bound);
  }

  /** Waits for an audible answer that began after `after`, then a little longer; a timeout event if none. */
  private async answerHeard(after: number, deadline: number): Promise<void> {
    while (!this.stop.signal.aborted && now() < deadline) {
      const answer = await this.answers.waitForAnswer(after, deadline - now(), this.stop.signal);
      if (!answer) break;
      if (this.answers.heardAudio) {
        await sleep(AFTER_ANSWER_GRACE_MS, this.stop.signal); // catch late cancels and transcripts
        return;
      }
      after = answer.end; // an answer nobody heard: wait for the next
    }
    if (!this.stop.signal.aborted) this.ev('client.timeout', { wait: 'agent-answer', boundMs: this.o.timeoutMs });
  }

  // ---- teardown: always, whatever happened ----
  async close(): Promise<void> {
    this.leaving = true;
    clearTimeout(this.reconnectTimer);
    if (this.clock) clearInterval(this.clock);
    this.stop.abort();
    this.observer?.stop();
    await within(this.captureChain, 500);
    // The user stays in the room while it is torn down: leaving first would let the room close on its
    // departure timeout (5 s) before a late agent joins, and that join would re-create it with the
    // server's defaults (empty timeout 300 s).
    if (this.createdRoom && !this.o.keepRoom && this.clients) {
      const teardown = teardownRoom(this.clients, {
        room: this.o.room,
        ...(this.dispatchId ? { dispatchId: this.dispatchId } : {}),
        agentName: this.o.agentName ?? '',
        seen: seenAgents(this.events),
        // A lost server has no jobs to wait for.
        agentMissing: !this.disconnected && !this.events.some((e) => e.kind === 'client.agent.joined'),
        ...dispatchedAt(this.events, this.o.dispatch),
        onWaiting: (identities, boundMs) => this.ev('client.cleanup.waiting-for-agent', { identities, boundMs }),
        onDeleted: (room) => this.ev('server.room.deleted', { room }, 'server'),
      });
      await within(teardown, TEARDOWN_BOUND_MS);
    }
    await within(
      this.room.disconnect().catch(() => undefined),
      3000,
    );
  }
}

/** What waitForActiveAgent reads of a remote participant. */
export interface AgentCandidate {
  identity: string;
  kind: number;
  attributes: Record<string, string>;
  info: { state?: number | undefined };
}

/**
 * The first ACTIVE agent (not an avatar worker), like the client SDKs, which look for one on participant
 * updates: the room is looked at again each time a participant joins or becomes ACTIVE (the room
 * observer's events), until `boundMs` — then client.timeout {wait: 'agent-active', boundMs, agentJoined}.
 * Records client.agent.joined for the first agent seen, client.agent.active for the one returned.
 */
/** first-non-avatar: Swift (and lkdiag's default); first-active: Android (avatars not skipped); last-active: livekit-client. */
export type AgentPick = 'first-non-avatar' | 'first-active' | 'last-active';

export async function waitForActiveAgent<P extends AgentCandidate>(
  rec: Recorder,
  participants: () => Iterable<P>,
  boundMs: number,
  signal: AbortSignal,
  pick: AgentPick = 'first-non-avatar',
): Promise<P | undefined> {
  const deadline = now() + boundMs;
  let announced = false;
  const timeout: TimeoutSpec<'client.timeout'> = { kind: 'client.timeout', data: () => ({ wait: 'agent-active', boundMs, agentJoined: announced }) };
  while (!signal.aborted) {
    const candidates = [...participants()].filter((p) => p.kind === 4 && (pick !== 'first-non-avatar' || !(PUBLISH_ON_BEHALF_ATTRIBUTE in p.attributes)));
    const first = candidates[0];
    if (first && !announced) {
      announced = true;
      rec.record('client.agent.joined', { identity: first.identity }, 'client');
    }
    const active = candidates.filter((p) => p.info.state === PARTICIPANT_STATE_ACTIVE);
    const ready = pick === 'last-active' ? lastActive(active, rec.events) : active[0];
    if (ready) {
      rec.record('client.agent.active', { identity: ready.identity }, 'client');
      return ready;
    }
    if (!(await rec.waitFor(isParticipantChange, deadline - now(), { futureOnly: true, signal, timeout }))) break;
  }
  return undefined;
}

/**
 * livekit-client's target: the agent that became ACTIVE last (setActiveAgent overwrites it on every
 * ParticipantActive, LocalParticipant.ts 1976-1997 in 2.21.0); one already ACTIVE when we looked counts as earliest.
 */
function lastActive<P extends AgentCandidate>(active: P[], events: readonly TraceEvent[]): P | undefined {
  const at = (p: P) => events.findLast((e) => e.kind === 'room.participant.active' && e.data['identity'] === p.identity)?.t ?? Number.NEGATIVE_INFINITY;
  return active.reduce<P | undefined>((best, p) => (best === undefined || at(p) > at(best) ? p : best), undefined);
}

/** The agents this run saw join (by identity, and by the agent name the server gave them). */
function seenAgents(events: readonly TraceEvent[]): SeenAgents {
  const seen: SeenAgents = { identities: new Set(), names: new Set() };
  for (const e of events) {
    if (e.kind === 'client.agent.joined') seen.identities.add(String(e.data['identity']));
    if (e.kind === 'room.participant.joined' && e.data['kind'] === 'agent') {
      seen.identities.add(String(e.data['identity']));
      seen.names.add(e.data.attributes?.[AGENT_NAME_ATTRIBUTE] ?? '');
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
 * rtc-node 1.1's AudioFrame hands the FFI `new Uint8Array(data.buffer)`: the whole ArrayBuffer from byte 0,
 * whatever the view's offset. A frame that is a view into the WAV must be copied into its own buffer
 * (960 bytes per 20 ms frame); the shared silence frame and the padded frames already own theirs.
 */
function ownBuffer(samples: Int16Array): Int16Array {
  return samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
}
