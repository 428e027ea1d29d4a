/**
 * Plays a drive script into the broker: the session's start (the agent connected, its session
 * listening), then each step with a bound. Every wait ends early when the agent goes away or the run is
 * interrupted; a wait that passes its bound records drive.wait.timeout and the script goes on.
 */
import type { TraceEvent } from '../events/index.js';
import type { ConsoleBroker } from '../sources/console-broker.js';
import { now, sleep } from '../sources/clock.js';
import type { Recorder } from '../sources/recorder.js';
import { noiseSamples, type Step } from './script.js';

/** After the last reply, how long lkdiag keeps listening for late events (the assistant's chat item). */
export const SETTLE_MS = 600;
/** Quiet this long (no agent audio, the agent listening) is `wait: silence`. */
export const QUIET_MS = 400;

export interface PlayContext {
  broker: ConsoleBroker;
  rec: Recorder;
  signal: AbortSignal;
}

const gone = (e: TraceEvent) => e.kind === 'drive.agent.disconnected' || e.kind === 'drive.agent.exited';

/** Waits for the agent to connect and its session to listen. Returns what went wrong, if anything. */
export async function awaitSession(
  ctx: PlayContext,
  o: { connectMs: number; sessionMs: number; spawned: boolean },
): Promise<'ok' | 'not-connected' | 'gone' | 'no-session' | 'interrupted'> {
  const { rec, signal } = ctx;
  const connected = await rec.waitFor((e) => e.kind === 'drive.agent.connected', o.connectMs, {
    until: (e) => e.kind === 'drive.agent.exited',
    signal,
    timeout: { kind: 'drive.agent.not-connected', data: { boundMs: o.connectMs, spawned: o.spawned }, source: 'console' },
  });
  if (signal.aborted) return 'interrupted';
  if (!connected) return rec.find((e) => e.kind === 'drive.agent.exited') ? 'gone' : 'not-connected';
  const listening = await rec.waitFor((e) => e.kind === 'agent.state' && e.source === 'console' && e.data.to === 'listening', o.sessionMs, {
    until: gone,
    signal,
    timeout: { kind: 'drive.wait.timeout', data: { step: -1, what: 'session', boundMs: o.sessionMs }, source: 'console' },
  });
  if (signal.aborted) return 'interrupted';
  if (!listening) return rec.find(gone) ? 'gone' : 'no-session';
  return 'ok';
}

interface PlayState {
  turn: number;
  /** The end of the last utterance (wire time). */
  lastSpeechEnd: number;
  hungUp: boolean;
}

async function speak(ctx: PlayContext, st: PlayState, file: string, samples: Int16Array, bargeIn: boolean): Promise<void> {
  const turn = st.turn++;
  const durationMs = Math.round(samples.length / 48);
  const { end } = await ctx.broker.input.say(samples, (t) =>
    ctx.rec.emit({ t, source: 'console', kind: 'drive.user.speech-started', data: { turn, file, durationMs, bargeIn } }),
  );
  ctx.rec.emit({ t: end, source: 'console', kind: 'drive.user.speech-ended', data: { turn, bargeIn } });
  st.lastSpeechEnd = end;
}

/** The first agent audio after the last utterance (or undefined, with a drive.wait.timeout). */
async function agentAudio(ctx: PlayContext, st: PlayState, step: number, boundMs: number, what: 'reply' | 'agent-audio') {
  return ctx.rec.waitFor((e) => e.kind === 'drive.agent.audio-started' && e.t >= st.lastSpeechEnd, boundMs, {
    until: gone,
    signal: ctx.signal,
    timeout: { kind: 'drive.wait.timeout', data: { step, what, boundMs }, source: 'console' },
  });
}

async function waitReply(ctx: PlayContext, st: PlayState, step: number, boundMs: number): Promise<void> {
  const audio = await agentAudio(ctx, st, step, boundMs, 'reply');
  if (audio?.kind !== 'drive.agent.audio-started') return;
  const seg = audio.data.segment;
  await ctx.rec.waitFor((e) => (e.kind === 'drive.playout.finished' || e.kind === 'drive.playout.cleared') && e.data.segment === seg, boundMs, {
    until: gone,
    signal: ctx.signal,
    timeout: { kind: 'drive.wait.timeout', data: { step, what: 'reply', boundMs }, source: 'console' },
  });
}

function agentBusy(ctx: PlayContext): boolean {
  if (!ctx.broker.playout.idle) return true;
  const states = ctx.rec.events.filter((e) => e.kind === 'agent.state' && e.source === 'console');
  const last = states.at(-1);
  return last?.kind === 'agent.state' && (last.data.to === 'speaking' || last.data.to === 'thinking');
}

async function waitSilence(ctx: PlayContext, step: number, boundMs: number): Promise<void> {
  const until = Date.now() + boundMs;
  while (!ctx.signal.aborted && ctx.broker.connected) {
    const left = until - Date.now();
    if (left <= 0) {
      ctx.rec.record('drive.wait.timeout', { step, what: 'silence', boundMs }, 'console');
      return;
    }
    // quiet for QUIET_MS with nothing new from the agent's audio or state
    const change = await ctx.rec.waitFor(
      (e) => e.source === 'console' && (e.kind === 'agent.state' || e.kind.startsWith('drive.playout.') || e.kind === 'drive.agent.audio-started'),
      Math.min(left, QUIET_MS),
      { futureOnly: true, until: gone, signal: ctx.signal },
    );
    if (!change && !agentBusy(ctx)) return;
  }
}

async function runStep(ctx: PlayContext, st: PlayState, s: Step, i: number): Promise<void> {
  switch (s.kind) {
    case 'say':
      return speak(ctx, st, s.file, s.samples, false);
    case 'wait':
      return s.for === 'reply' ? waitReply(ctx, st, i, s.timeoutMs) : waitSilence(ctx, i, s.timeoutMs);
    case 'pause':
      return sleep(s.ms, ctx.signal);
    case 'noise':
      await ctx.broker.input.say(noiseSamples(s.ms, s.level, i + 1));
      return;
    case 'barge_in': {
      const audio = await agentAudio(ctx, st, i, 20_000, 'agent-audio');
      if (!audio) return;
      await sleep(Math.max(0, audio.t + s.afterMs - now()), ctx.signal);
      return speak(ctx, st, s.file, s.samples, true);
    }
    case 'hangup':
      st.hungUp = true;
      return;
  }
}

/** Plays the steps `repeat` times (a hangup ends only the last pass); stops when the agent goes away. */
export async function playScript(ctx: PlayContext, steps: readonly Step[], repeat: number): Promise<void> {
  const st: PlayState = { turn: 0, lastSpeechEnd: 0, hungUp: false };
  for (let pass = 0; pass < repeat; pass++) {
    for (const [i, s] of steps.entries()) {
      if (ctx.signal.aborted || !ctx.broker.connected || ctx.rec.find(gone)) return;
      if (s.kind === 'hangup' && pass < repeat - 1) continue;
      await runStep(ctx, st, s, i);
      if (st.hungUp) break;
    }
  }
  await sleep(SETTLE_MS, ctx.signal);
}
