/** The body of `lkdiag probe-openai`, loaded only when the command runs (keeps --help fast). */
import { loadPcm16 } from '../audio/wav.js';
import { synthSpeechLike } from '../audio/pcm.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { mergeRuns } from '../diagnose/merge.js';
import { OPENAI_RULES, applyCheck } from '../diagnose/rules/openai/index.js';
import type { Finding, TraceEvent } from '../diagnose/types.js';
import { DEFAULT_MODEL, isOpenAIHost, realtimeUrl } from '../protocol/realtime-url.js';
import { makeReport, type Report, type Step } from '../report/report.js';
import { now } from '../sources/clock.js';
import { runProbe, type ApiShape, type ProbeCheck, type TurnDetection } from '../sources/probe.js';
import { probeSteps, stepStats } from '../sources/probe-steps.js';
import { log, progress } from '../ui.js';
import { Config, ENV, describeSource } from '../config.js';
import { usageError } from '../errors.js';
import { runCommand, type GlobalOptions, type RunContext } from './runner.js';
import { collect } from './parse.js';

export interface ProbeRequest extends RunContext {
  simulate?: string[];
  baseUrl?: string;
  apiKey: string;
  model: string;
  api: ApiShape;
  voice: string;
  temperature?: number;
  turnDetection: TurnDetection;
  stepTimeoutMs: number;
  repeat: number;
  audioPath?: string;
  text: string;
  check?: ProbeCheck;
}

/** Asks the REST API whether the model is listed for this key (only against api.openai.com). */
async function checkModelListed(baseUrl: string, apiKey: string, model: string, timeoutMs: number): Promise<TraceEvent | undefined> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey, baseURL: baseUrl, timeout: timeoutMs, maxRetries: 0 });
  try {
    await client.models.retrieve(model);
    return { t: now(), source: 'probe', kind: 'probe.models.check', data: { model, status: 200, found: true } };
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404) return { t: now(), source: 'probe', kind: 'probe.models.check', data: { model, status, found: false } };
    return undefined; // auth and network failures are diagnosed by the WebSocket probe itself
  }
}

/** The simulator reports bad scenario names with a hint; make that a usage error (exit 2). */
export function asUsageError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as { message?: string; hint?: string };
    if (e.hint) throw usageError(e.message ?? String(err), e.hint);
    throw err;
  }
}

export async function probeOpenAI(req: ProbeRequest): Promise<Report> {
  const audio = req.audioPath ? loadPcm16(req.audioPath, { sampleRate: 24000, channels: 1 }) : undefined;
  if (audio)
    log.info(
      `audio: ${req.audioPath} (${audio.info.sampleRate} Hz, ${audio.info.channels} ch, ${audio.info.bitsPerSample}-bit ${audio.info.format}, ${(audio.info.durationMs / 1000).toFixed(2)} s) → 24 kHz mono PCM16`,
    );

  let sim: { baseUrl: string; urlFor(s: string[]): string; close(): Promise<void> } | undefined;
  if (req.simulate) {
    const { startSimulator, parseScenarios } = await import('../simulator/index.js');
    asUsageError(() => parseScenarios(req.simulate!)); // a bad scenario name is a usage error before anything starts
    const started = await startSimulator({ scenarios: req.simulate });
    sim = started;
    log.info(`simulator: ${started.baseUrl}${req.simulate.length ? ` (scenarios: ${req.simulate.join(', ')})` : ''}`);
  }
  const baseUrl = sim ? sim.baseUrl : (req.baseUrl ?? 'https://api.openai.com/v1');
  const url = realtimeUrl(baseUrl, req.model || DEFAULT_MODEL);
  const ctx = { command: 'probe-openai', stepTimeoutMs: req.stepTimeoutMs, ...(req.check ? { check: req.check } : {}) };

  const runs: Array<{ events: TraceEvent[]; steps: Step[]; findings: Finding[] }> = [];
  let interrupted = false;
  const spinner = await progress('probing the Realtime API');
  try {
    for (let i = 0; i < req.repeat && !req.signal.aborted; i++) {
      spinner.update(`probing ${url.host}${req.repeat > 1 ? ` (run ${i + 1}/${req.repeat})` : ''}`);
      const run = await runProbe({
        url,
        apiKey: req.apiKey,
        api: req.api,
        model: req.model,
        voice: req.voice,
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        turnDetection: req.turnDetection,
        stepTimeoutMs: req.stepTimeoutMs,
        text: req.text,
        ...(audio ? { audio: audio.pcm.samples } : {}),
        ...(req.check === 'barge-in' ? { bargeInAudio: audio?.pcm.samples ?? synthSpeechLike(1500, 24000, 7) } : {}),
        ...(req.check ? { check: req.check } : {}),
        signal: req.signal,
      });
      if (i === 0 && !sim && isOpenAIHost(baseUrl)) {
        const listed = await checkModelListed(baseUrl, req.apiKey, req.model, req.stepTimeoutMs);
        if (listed) run.events.push(listed);
      }
      interrupted ||= run.interrupted;
      const findings = applyCheck(diagnose(run.events, OPENAI_RULES, ctx), ctx, run.events);
      runs.push({ events: run.events, steps: probeSteps(run.events), findings });
    }
  } finally {
    spinner.stop();
    await sim?.close();
  }

  const last = runs.at(-1);
  return makeReport('probe-openai', req.startedAt, mergeRuns(runs.map((r) => r.findings)), metaFor, {
    interrupted,
    target: { url: url.toString(), model: req.model, api: req.api, simulated: !!sim, scenarios: req.simulate ?? [], check: req.check ?? null },
    steps: last?.steps ?? [],
    ...(req.repeat > 1
      ? { stats: stepStats(runs.map((r) => r.steps)), runs: runs.map((r) => ({ steps: r.steps, findings: r.findings.map((f) => f.code) })) }
      : {}),
    events: last?.events ?? [],
  });
}

/** The flags of `lkdiag probe-openai` (probe-openai.ts), as commander parsed them. */
export interface ProbeFlags {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  api: ApiShape;
  voice: string;
  temperature?: number;
  turnDetection: TurnDetection;
  timeout: number;
  repeat: number;
  audio?: string;
  text: string;
  simulate?: string | true;
  check?: ProbeCheck;
}

/** `lkdiag probe-openai`: the flags checked and the credentials resolved, then the probe; returns the exit code. */
export function probeCommand(opts: ProbeFlags, globals: GlobalOptions): Promise<number> {
  return runCommand('probe-openai', globals, async (ctx) => {
    const config = new Config();
    const simulate = opts.simulate !== undefined;
    if (simulate && opts.baseUrl) {
      throw usageError('--simulate and --base-url cannot be combined', 'Use --simulate for the built-in simulator, or --base-url for a real endpoint.');
    }
    if (opts.check === 'barge-in' && opts.turnDetection === 'none') {
      throw usageError('--check barge-in needs server turn detection', 'Drop --turn-detection none (barge-in is detected by server VAD).');
    }
    const scenarios = typeof opts.simulate === 'string' ? collect(opts.simulate) : [];
    const baseUrl = simulate ? undefined : config.get(ENV.openaiBaseUrl, opts.baseUrl, 'https://api.openai.com/v1');
    const apiKey = simulate ? { value: 'sk-lkdiag-simulated', source: 'default' as const } : config.get(ENV.openaiApiKey, opts.apiKey);
    if (!apiKey) {
      throw usageError(
        `${ENV.openaiApiKey} is not set`,
        `Set ${ENV.openaiApiKey} (environment, .env.local or .env) or pass --api-key; or try --simulate for the built-in simulator.`,
      );
    }
    if (baseUrl) realtimeUrl(baseUrl.value, opts.model); // an invalid URL is a usage error before anything else
    if (!simulate) log.info(`using ${describeSource(ENV.openaiApiKey, apiKey)}; ${describeSource(ENV.openaiBaseUrl, baseUrl)}`);
    return probeOpenAI({
      ...ctx,
      simulate: simulate ? scenarios : undefined,
      baseUrl: baseUrl?.value,
      apiKey: apiKey.value,
      model: opts.model,
      api: opts.api,
      voice: opts.voice,
      temperature: opts.temperature,
      turnDetection: opts.turnDetection,
      stepTimeoutMs: opts.timeout * 1000,
      repeat: opts.repeat,
      audioPath: opts.audio,
      text: opts.text,
      check: opts.check,
    });
  });
}
