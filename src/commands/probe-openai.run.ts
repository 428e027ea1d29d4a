/** The body of `lkdiag probe-openai`, loaded only when the command runs (keeps --help fast). */
import { loadPcm16 } from '../audio/wav.js';
import { synthSpeechLike } from '../audio/pcm.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { mergeRuns } from '../diagnose/merge.js';
import { OPENAI_RULES, applyCheck } from '../diagnose/rules/openai/index.js';
import type { Finding, TraceEvent } from '../diagnose/types.js';
import { type EndpointInput, resolveEndpoint, shownHeaders } from '../protocol/providers.js';
import { isOpenAIHost } from '../protocol/realtime-url.js';
import { makeReport, type Report, type Step } from '../report/report.js';
import { now } from '../sources/clock.js';
import { runProbe, type ApiShape, type ProbeCheck, type TurnDetection } from '../sources/probe.js';
import { probeSteps, stepStats } from '../sources/probe-steps.js';
import { log, progress } from '../ui.js';
import { usageError } from '../errors.js';
import { AZURE_PROBE_RULES } from '../diagnose/rules/azure/index.js';
import { type ProviderFlags, resolveTarget, simulatedInput } from './probe-openai.provider.js';
import { runCommand, type GlobalOptions, type RunContext } from './runner.js';
import { collect } from './parse.js';

export interface ProbeRequest extends RunContext {
  simulate?: string[];
  /** The provider's endpoint inputs; with simulate, the simulator's URL replaces the endpoint. */
  endpoint?: EndpointInput;
  /** openai.com only, when no endpoint is given (smoke): the base URL and key. */
  baseUrl?: string;
  apiKey?: string;
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

const PROBE_RULES = [...OPENAI_RULES, ...AZURE_PROBE_RULES];

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
  const input: EndpointInput = req.endpoint ?? {
    provider: 'openai',
    model: req.model,
    apiKey: req.apiKey ?? '',
    ...(req.baseUrl ? { baseUrl: req.baseUrl } : {}),
  };
  const endpoint = resolveEndpoint(sim ? simulatedInput(input, sim.baseUrl) : input);
  const { url } = endpoint;
  const baseUrl = endpoint.provider === 'openai' ? (sim ? sim.baseUrl : (input.baseUrl ?? 'https://api.openai.com/v1')) : '';
  log.info(
    `${endpoint.provider}: ${url.toString()} (headers: ${
      Object.entries(shownHeaders(endpoint.headers))
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || 'none'
    })`,
  );
  const ctx = { command: 'probe-openai', stepTimeoutMs: req.stepTimeoutMs, ...(req.check ? { check: req.check } : {}) };

  const runs: Array<{ events: TraceEvent[]; steps: Step[]; findings: Finding[] }> = [];
  let interrupted = false;
  const spinner = await progress('probing the Realtime API');
  try {
    for (let i = 0; i < req.repeat && !req.signal.aborted; i++) {
      spinner.update(`probing ${url.host}${req.repeat > 1 ? ` (run ${i + 1}/${req.repeat})` : ''}`);
      const run = await runProbe({
        url,
        apiKey: input.apiKey ?? '',
        headers: endpoint.headers,
        dialect: endpoint.dialect,
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
        const listed = await checkModelListed(baseUrl, input.apiKey ?? '', req.model, req.stepTimeoutMs);
        if (listed) run.events.push(listed);
      }
      interrupted ||= run.interrupted;
      const findings = applyCheck(diagnose(run.events, PROBE_RULES, ctx), ctx, run.events);
      runs.push({ events: run.events, steps: probeSteps(run.events), findings });
    }
  } finally {
    spinner.stop();
    await sim?.close();
  }

  const last = runs.at(-1);
  return makeReport('probe-openai', req.startedAt, mergeRuns(runs.map((r) => r.findings)), metaFor, {
    interrupted,
    target: {
      provider: endpoint.provider,
      url: url.toString(),
      model: req.model,
      api: req.api,
      simulated: !!sim,
      scenarios: req.simulate ?? [],
      check: req.check ?? null,
    },
    steps: last?.steps ?? [],
    ...(req.repeat > 1
      ? { stats: stepStats(runs.map((r) => r.steps)), runs: runs.map((r) => ({ steps: r.steps, findings: r.findings.map((f) => f.code) })) }
      : {}),
    events: last?.events ?? [],
  });
}

/** The flags of `lkdiag probe-openai` (probe-openai.ts), as commander parsed them. */
export interface ProbeFlags extends ProviderFlags {
  api: ApiShape | 'live';
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
    const simulate = opts.simulate !== undefined;
    if (opts.check === 'barge-in' && opts.turnDetection === 'none') {
      throw usageError('--check barge-in needs server turn detection', 'Drop --turn-detection none (barge-in is detected by server VAD).');
    }
    const scenarios = typeof opts.simulate === 'string' ? collect(opts.simulate) : [];
    const target = resolveTarget(opts, simulate);
    if (!simulate) resolveEndpoint(target.input); // a bad URL or a missing Azure input is a usage error before anything else
    if (target.notice) log.info(target.notice);
    if (opts.api === 'live') {
      const { probeLive } = await import('./probe-openai-live.run.js');
      const live = {
        input: target.input,
        model: opts.model,
        voice: opts.voice,
        stepTimeoutMs: opts.timeout * 1000,
        repeat: opts.repeat,
        audioPath: opts.audio,
      };
      return probeLive({ ...ctx, simulate: simulate ? scenarios : undefined, ...live });
    }
    return probeOpenAI({
      ...ctx,
      simulate: simulate ? scenarios : undefined,
      endpoint: target.input,
      model: target.input.model,
      api: opts.api,
      voice: target.voice,
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
