/** The body of `lkdiag smoke`, loaded only when the command runs. */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPcm16 } from '../audio/wav.js';
import { metaFor } from '../diagnose/catalogue.js';
import { within } from '../sources/clock.js';
import { diagnose } from '../diagnose/engine.js';
import { mergeRuns } from '../diagnose/merge.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import type { Finding } from '../diagnose/types.js';
import { preconnectVerdict } from '../diagnose/verdict.js';
import { EXIT, usageError, type ExitCode } from '../errors.js';
import { exitCodeFor, makeReport, type Report } from '../report/report.js';
import { validateRoomName, resolveLiveKit, type LiveKitTarget } from '../sources/livekit.js';
import { agentLogEvents, preconnectMatch } from '../sources/preconnect-session.js';
import { preconnectSteps } from '../sources/preconnect-steps.js';
import { loadSidecar, type Sidecar } from '../sources/sidecar.js';
import { parseLiveMode, type LiveMode } from '../sources/microphone.js';
import { runSyntheticUser } from '../sources/synthetic-user.js';
import type { Pcm16 } from '../audio/wav.js';
import { DEFAULT_AUDIO, DEFAULT_JOIN_DELAY_MS, DEFAULT_ROOM_PREFIX, loadConfigFile, resolveGates, type GateFlags } from '../smoke/config.js';
import { evaluateGates, ignored, runTimings, type GateConfig, type GateResult } from '../smoke/gates.js';
import { pool, smokeStats } from '../smoke/stats.js';
import { parseShard, shardRuns } from '../smoke/shard.js';
import type { SmokeProbe, SmokeRun } from '../smoke/types.js';
import { renderSmokeText } from '../report/smoke-text.js';
import { log, progress } from '../ui.js';
import { runCommand, type GlobalOptions, type RunContext } from './runner.js';
import { rtcLogsToStderr } from '../sources/rtc-log.js';

export interface SmokeOptions extends GateFlags {
  agentName?: string;
  audio?: string;
  roomPrefix?: string;
  joinDelay?: number;
  live?: string;
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  repeat: number;
  concurrency: number;
  /** "I/N" (validated in smoke()). */
  shard?: string;
  timeout: number;
  agentLog?: string;
  keepRoom?: boolean;
  probeOpenai?: boolean;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  junit?: string;
}

/** The default WAV ships with the package (package.json "files": fixtures/audio). */
function packagedAudio(): string {
  return fileURLToPath(new URL(`../../${DEFAULT_AUDIO}`, import.meta.url));
}

/** 3 (connect) and 4 (timeout) from findings win; then a run whose agent never joined (4); then any failed gate (1). */
export function smokeExitCode(
  runs: readonly SmokeRun[],
  probe: SmokeProbe | undefined,
  findings: readonly Finding[],
  cfg: GateConfig,
  interrupted: boolean,
): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const fromFindings = exitCodeFor(
    findings.filter((f) => !ignored(f.code, cfg.ignoreFindings)),
    metaFor,
  );
  if (fromFindings === EXIT.connect || fromFindings === EXIT.timeout) return fromFindings;
  if (runs.some((r) => r.gates.some((g) => g.name === 'agent-joined' && g.status === 'failed' && g.value === null))) return EXIT.timeout;
  const gates = [...runs.flatMap((r) => r.gates), ...(probe?.gates ?? [])];
  return gates.some((g) => g.status === 'failed') ? EXIT.finding : EXIT.ok;
}

async function runProbeFirst(req: RunContext, o: SmokeOptions, cfg: GateConfig): Promise<SmokeProbe> {
  const { Config, ENV, describeSource } = await import('../config.js');
  const config = new Config();
  const apiKey = config.get(ENV.openaiApiKey, o.openaiApiKey);
  const baseUrl = config.get(ENV.openaiBaseUrl, o.openaiBaseUrl, 'https://api.openai.com/v1')!;
  if (!apiKey)
    throw usageError(
      `--probe-openai needs ${ENV.openaiApiKey}`,
      `Set ${ENV.openaiApiKey} (environment, .env.local or .env) or pass --openai-api-key; or drop --probe-openai.`,
    );
  const { realtimeUrl } = await import('../protocol/realtime-url.js');
  realtimeUrl(baseUrl.value, 'gpt-realtime'); // an invalid URL is a usage error before anything connects
  log.info(`probe: ${describeSource(ENV.openaiApiKey, apiKey)}; ${describeSource(ENV.openaiBaseUrl, baseUrl)}`);
  const { probeOpenAI } = await import('./probe-openai.run.js');
  const r = await probeOpenAI({
    ...req,
    baseUrl: baseUrl.value,
    apiKey: apiKey.value,
    model: 'gpt-realtime',
    api: 'ga',
    voice: 'marin',
    turnDetection: 'server_vad',
    stepTimeoutMs: 15_000,
    repeat: 1,
    text: 'Say hello in one short sentence.',
  });
  const errors = r.findings.filter((f) => f.severity === 'error' && !ignored(f.code, cfg.ignoreFindings));
  const gate: GateResult =
    cfg.skip.includes('no-error-finding') || !cfg.noErrorFinding
      ? { name: 'no-error-finding', status: 'skipped', value: null, threshold: null, unit: 'findings', summary: 'skipped by configuration', findings: [] }
      : {
          name: 'no-error-finding',
          status: errors.length ? 'failed' : 'passed',
          value: errors.length,
          threshold: 0,
          unit: 'findings',
          summary: errors.length ? `${errors.length} error finding(s): ${errors.map((f) => f.code).join(', ')}` : 'the Realtime API answered',
          findings: errors.map((f) => ({ code: f.code, severity: f.severity, title: f.title, detail: f.detail })),
        };
  return { url: (r['target'] as { url: string }).url, ok: r.ok, gates: [gate], steps: r.steps ?? [], findings: r.findings };
}

interface Session {
  target: LiveKitTarget;
  agentName: string;
  pcm: Pcm16;
  sidecar: Sidecar | undefined;
  prefix: string;
  joinDelayMs: number;
  live: LiveMode;
  cfg: GateConfig;
}

async function runOne(req: RunContext, o: SmokeOptions, s: Session, index: number, onEvent: (room: string, kind: string) => void): Promise<SmokeRun> {
  const room = validateRoomName(`${s.prefix}${randomBytes(4).toString('hex')}`);
  const run = await runSyntheticUser({
    target: s.target,
    room,
    agentName: s.agentName,
    dispatch: 'api',
    audio: s.pcm,
    ...(s.sidecar ? { utteranceStartsMs: s.sidecar.parts.slice(1).map((p) => p.startMs) } : {}),
    live: s.live,
    mode: 'stream',
    joinDelayMs: s.joinDelayMs,
    // A little past the gate, so a late join is measured rather than only missed.
    agentTimeoutMs: s.cfg.agentJoinedWithinS * 1000 + 2000,
    timeoutMs: o.timeout * 1000,
    keepRoom: !!o.keepRoom,
    faults: {},
    signal: req.signal,
    onEvent: (e) => onEvent(room, e.kind),
  });
  const events = [...run.events];
  if (o.agentLog) events.push(...(await agentLogEvents(o.agentLog, run.events[0]?.t ?? req.startedAt)).events);
  events.sort((a, b) => a.t - b.t);
  const findings = diagnose(events, ALL_RULES, { command: 'smoke', preconnect: preconnectMatch(events, s.sidecar, run.bufferedSpeechMs) });
  const { consumed } = preconnectVerdict(findings);
  const gates = evaluateGates(events, findings, consumed, s.cfg, run.bufferedMs);
  return {
    index,
    room,
    ok: !gates.some((g) => g.status === 'failed'),
    interrupted: run.interrupted,
    agent: run.agentIdentity ?? null,
    consumed,
    timings: runTimings(events, run.bufferedMs),
    gates,
    steps: preconnectSteps(events),
    findings,
  };
}

export async function smoke(req: RunContext & { opts: SmokeOptions }): Promise<Report> {
  rtcLogsToStderr(); // rtc-node's own log lines on stderr, never in the report on stdout
  const o = req.opts;
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const indices = shardRuns(o.repeat, shard);
  const file = loadConfigFile();
  if (file) log.info(`config: ${file.file}`);
  const fc = file?.smoke ?? {};
  const agentName = o.agentName ?? fc.agentName;
  if (!agentName)
    throw usageError(
      'smoke needs --agent-name',
      'Name the agent to dispatch (the agent_name its worker registers), or set smoke.agentName in lkdiag.config.json.',
    );
  const cfg = resolveGates(o, fc);
  const prefix = o.roomPrefix ?? fc.roomPrefix ?? DEFAULT_ROOM_PREFIX;
  validateRoomName(`${prefix}00000000`);
  const audio = o.audio ?? fc.audio ?? packagedAudio();
  const joinDelayMs = o.joinDelay ?? fc.joinDelayMs ?? DEFAULT_JOIN_DELAY_MS;
  const live = parseLiveMode(o.live ?? fc.live ?? 'after-answer') ?? { kind: 'after-answer' };
  const target = resolveLiveKit({ url: o.url, apiKey: o.apiKey, apiSecret: o.apiSecret });
  const info = loadPcm16(audio, { sampleRate: 24000 }).info; // validates the file before connecting
  const { pcm } = loadPcm16(audio, { sampleRate: info.sampleRate, channels: 1 });
  const sidecar = loadSidecar(audio, info.durationMs);
  log.info(`using ${target.notice}`);
  if (!sidecar && cfg.bufferConsumed && !cfg.skip.includes('buffer-consumed') && !o.agentLog) {
    log.warn(`no transcript next to ${audio} (.txt or .json) and no --agent-log: the buffer-consumed gate can only say "unconfirmed"`);
  }

  const probe = o.probeOpenai ? await runProbeFirst(req, o, cfg) : undefined;

  if (shard) log.info(`shard ${shard.index}/${shard.total}: ${indices.length ? `run(s) ${indices.join(', ')}` : 'no run'} of ${o.repeat}`);
  const spinner = await progress(`smoke: ${indices.length} run(s), ${o.concurrency} at a time`);
  const { dispose } = await import('@livekit/rtc-node');
  const session: Session = { target, agentName, pcm, sidecar, prefix, joinDelayMs, live, cfg };
  let results: Awaited<ReturnType<typeof pool<SmokeRun>>>;
  try {
    results = await pool(
      indices.length,
      o.concurrency,
      (k) => runOne(req, o, session, indices[k]!, (room, kind) => spinner.update(`${room}: ${kind}`)),
      () => req.signal.aborted,
    );
  } finally {
    spinner.stop();
    await within(
      dispose().catch(() => undefined),
      3000,
    ); // rtc-node's FFI can hang on a dead server
  }
  const failure = results.find((r) => !r.ok);
  // A run that could not connect (exit 3) or hit a usage error ends the command with that error;
  // the other runs have finished and deleted their rooms by now.
  if (failure && !failure.ok) throw failure.error;
  const runs = results.flatMap((r) => (r.ok ? [r.value] : []));
  const interrupted = req.signal.aborted || runs.some((r) => r.interrupted);
  const findings = [...(probe?.findings ?? []), ...mergeRuns(runs.map((r) => r.findings))];
  const exitCode = smokeExitCode(runs, probe, findings, cfg, interrupted);
  const stats = smokeStats(runs);
  const base = makeReport('smoke', req.startedAt, findings, metaFor, {
    interrupted,
    target: {
      url: target.wsUrl,
      agent: agentName,
      audio: resolve(audio),
      roomPrefix: prefix,
      joinDelayMs,
      repeat: o.repeat,
      concurrency: o.concurrency,
      ...(shard ? { shard } : {}),
    },
    config: { file: file?.file ?? null, gates: cfg },
    ...(probe ? { probe } : {}),
    runs,
    stats: stats.stats,
    flake: stats.flake,
    gateFailures: stats.gateFailures,
  });
  const report: Report = { ...base, ok: exitCode === EXIT.ok, exitCode };
  await writeOutputs(report, o, req.globals);
  return report;
}

/**
 * --junit FILE and, on GitHub Actions, the step summary. A JUnit file that cannot be written is a
 * usage error (exit 2); given the command's globals, the report is printed on stdout first (as the
 * runner would print it), so the runs are never lost to a bad path.
 */
export async function writeOutputs(report: Report, o: SmokeOptions, printFirst?: GlobalOptions): Promise<void> {
  let junitError: Error | undefined;
  if (o.junit) {
    const { renderJunit } = await import('../report/junit.js');
    try {
      mkdirSync(dirname(resolve(o.junit)), { recursive: true });
      writeFileSync(o.junit, renderJunit(report));
      log.info(`junit: ${o.junit}`);
    } catch (err) {
      junitError = usageError(`cannot write ${o.junit}: ${(err as Error).message}`, 'Choose a writable path for --junit (the report is on stdout above).');
    }
  }
  const summary = process.env['GITHUB_STEP_SUMMARY'];
  if (summary) {
    const { renderMarkdown } = await import('../report/markdown.js');
    try {
      appendFileSync(summary, renderMarkdown(report));
    } catch (err) {
      log.warn(`could not append to GITHUB_STEP_SUMMARY (${(err as Error).message})`);
    }
  }
  if (junitError) {
    if (printFirst) {
      const text = printFirst.json ? (await import('../report/json.js')).renderJson(report) : (await import('../report/smoke-text.js')).renderSmokeText(report);
      process.stdout.write(text);
    }
    throw junitError;
  }
}

/** `lkdiag smoke`: the runs, printed with the smoke text renderer; returns the exit code. */
export function smokeCommand(opts: SmokeOptions, globals: GlobalOptions): Promise<number> {
  return runCommand('smoke', globals, (ctx) => smoke({ ...ctx, opts }), renderSmokeText);
}
