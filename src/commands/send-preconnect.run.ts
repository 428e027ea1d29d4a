/** The body of `lkdiag send-preconnect`, loaded only when the command runs. */
import { resolve } from 'node:path';
import { loadPcm16 } from '../audio/wav.js';
import { metaFor } from '../diagnose/catalogue.js';
import { within } from '../sources/clock.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import { usageError } from '../errors.js';
import { makeReport, type Report } from '../report/report.js';
import { validateRoomName, resolveLiveKit } from '../sources/livekit.js';
import { preconnectSteps } from '../sources/preconnect-steps.js';
import { loadSidecar } from '../sources/sidecar.js';
import { agentLogEvents, preconnectMatch } from '../sources/preconnect-session.js';
import { parseLiveMode } from '../sources/microphone.js';
import { runSyntheticUser, type DispatchMode, type SendMode } from '../sources/synthetic-user.js';
import { renderPreconnectText } from '../report/preconnect-text.js';
import { log, progress } from '../ui.js';
import { runCommand, type GlobalOptions, type RunContext } from './runner.js';
import { preconnectVerdict } from '../diagnose/verdict.js';
import { rtcLogsToStderr } from '../sources/rtc-log.js';
import { payloadFor, sendAsPlan } from '../sources/preconnect-as.js';
import type { SdkName } from '../sources/sdk-profiles.js';

export interface SendPreconnectOptions {
  room: string;
  audio: string;
  agentName?: string;
  dispatch?: DispatchMode;
  mode: SendMode;
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  token?: string;
  joinDelay: number;
  agentTimeout: number;
  timeout: number;
  agentLog?: string;
  keepRoom?: boolean;
  omitTrackId?: boolean;
  sendBeforeActive?: boolean;
  preconnectFlag: boolean;
  holdOpen?: number;
  delaySend?: number;
  sampleRateLie?: boolean;
  stereo?: boolean;
  as?: SdkName;
  bufferFile?: string;
  mime?: string;
  live: string;
}

export async function sendPreconnect(req: RunContext & { opts: SendPreconnectOptions }): Promise<Report> {
  rtcLogsToStderr(); // rtc-node's own log lines on stderr, never in the report on stdout
  const o = req.opts;
  validateRoomName(o.room);
  const dispatch: DispatchMode = o.dispatch ?? (o.agentName ? 'api' : 'none');
  if (dispatch !== 'none' && !o.agentName)
    throw usageError(`--dispatch ${dispatch} needs --agent-name`, 'Name the agent to dispatch with --agent-name, or use --dispatch none.');
  const target = resolveLiveKit({ url: o.url, apiKey: o.apiKey, apiSecret: o.apiSecret, token: o.token });
  if (dispatch === 'api' && !target.apiKey)
    throw usageError('--dispatch api needs LiveKit API credentials', 'Set LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or use --dispatch token / none.');
  const info = loadPcm16(o.audio, { sampleRate: 24000 }).info; // validates the file before connecting
  const plan = sendAsPlan(o, o.audio);
  const channels = o.stereo ? 2 : 1;
  const { pcm } = loadPcm16(o.audio, { sampleRate: plan?.sampleRate ?? info.sampleRate, channels });
  const mode = plan?.profile.mode ?? o.mode;
  const payload = plan && payloadFor(plan, info.durationMs, (pcm.sampleRate * channels * 2) / 1000);
  const sidecar = loadSidecar(o.audio, info.durationMs);
  log.info(`using ${target.notice}`);
  if (!sidecar) log.warn(`no transcript next to ${o.audio} (.txt or .json): consumption can only be confirmed from the agent log or session events`);

  const spinner = await progress(`joining ${o.room}`);
  const { dispose } = await import('@livekit/rtc-node');
  let run: Awaited<ReturnType<typeof runSyntheticUser>>;
  try {
    run = await runSyntheticUser({
      target,
      room: o.room,
      ...(o.agentName ? { agentName: o.agentName } : {}),
      dispatch,
      audio: pcm,
      ...(sidecar ? { utteranceStartsMs: sidecar.parts.slice(1).map((p) => p.startMs) } : {}),
      live: parseLiveMode(o.live) ?? { kind: 'after-answer' },
      mode,
      joinDelayMs: o.joinDelay,
      agentTimeoutMs: o.agentTimeout * 1000,
      timeoutMs: o.timeout * 1000,
      keepRoom: !!o.keepRoom,
      faults: {
        ...(o.omitTrackId ? { omitTrackId: true } : {}),
        ...(o.sendBeforeActive ? { sendBeforeActive: true } : {}),
        ...(o.preconnectFlag === false ? { noPreconnectFlag: true } : {}),
        ...(o.holdOpen !== undefined ? { holdOpenMs: o.holdOpen } : {}),
        ...(o.delaySend !== undefined ? { delaySendMs: o.delaySend } : {}),
        ...(o.sampleRateLie ? { sampleRateLie: true } : {}),
        ...(o.stereo ? { stereo: true } : {}),
      },
      ...(payload ? { payload } : {}),
      ...(plan ? { agentPick: plan.profile.target } : {}),
      signal: req.signal,
      onEvent: (e) => spinner.update(`${o.room}: ${e.kind}`),
    });
  } finally {
    spinner.stop();
    await within(
      dispose().catch(() => undefined),
      3000,
    ); // rtc-node's FFI can hang on a dead server
  }

  const events = [...run.events];
  let logStats: unknown;
  if (o.agentLog) {
    const fromLog = await agentLogEvents(o.agentLog, run.events[0]?.t ?? req.startedAt);
    events.push(...fromLog.events);
    logStats = fromLog.stats;
  }
  const match = preconnectMatch(events, sidecar, run.bufferedSpeechMs);
  const expectedText = match.expectedText;
  const ctx = { command: 'send-preconnect', preconnect: match };
  const findings = diagnose(events, ALL_RULES, ctx);
  const verdict = preconnectVerdict(findings);
  return makeReport('send-preconnect', req.startedAt, findings, metaFor, {
    interrupted: run.interrupted,
    target: {
      room: o.room,
      agent: run.agentIdentity ?? o.agentName ?? null,
      audio: resolve(o.audio),
      identity: run.identity,
      trackSid: run.trackSid ?? null,
      mode,
      ...(plan ? { as: plan.profile.sdk, mimeType: plan.mimeType, bufferFile: plan.bufferFile ? resolve(plan.bufferFile) : null } : {}),
      dispatch,
      live: o.live,
    },
    verdict,
    expected: { text: expectedText ?? null, bufferedMs: run.bufferedMs, bufferedSpeechMs: run.bufferedSpeechMs, sidecar: sidecar?.file ?? null },
    steps: preconnectSteps(events),
    ...(logStats ? { agentLog: logStats } : {}),
    events: events.sort((a, b) => a.t - b.t),
  });
}

/** `lkdiag send-preconnect`: the run, printed with the pre-connect text renderer; returns the exit code. */
export function sendPreconnectCommand(opts: SendPreconnectOptions, globals: GlobalOptions): Promise<number> {
  return runCommand('send-preconnect', globals, (ctx) => sendPreconnect({ ...ctx, opts }), renderPreconnectText);
}
