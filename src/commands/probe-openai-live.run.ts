/**
 * `lkdiag probe-openai --api live`: the GPT-Live protocol (`/v1/live/sessions`) probed on its own terms.
 * `--api` is where the flag belongs: it already chooses the wire protocol the probe speaks (GA or the
 * retired beta), and GPT-Live is reached with the same credentials, base URL, providers (openai, azure)
 * and --simulate as the Realtime probe — a separate command would duplicate all of them.
 */
import { synthSpeechLike } from '../audio/pcm.js';
import { loadPcm16 } from '../audio/wav.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { mergeRuns } from '../diagnose/merge.js';
import { LIVE_RULES } from '../diagnose/rules/live/index.js';
import type { Finding, TraceEvent } from '../diagnose/types.js';
import { usageError } from '../errors.js';
import type { EndpointInput } from '../protocol/providers.js';
import { type Report, type Step, makeReport } from '../report/report.js';
import { liveSteps, runLiveProbe } from '../sources/probe-live.js';
import { stepStats } from '../sources/probe-steps.js';
import { log, progress } from '../ui.js';
import { asUsageError } from './probe-openai.run.js';
import type { RunContext } from './runner.js';

export const LIVE_DEFAULT_MODEL = 'gpt-live-1';
export const LIVE_DEFAULT_VOICE = 'marin';

export interface LiveProbeRequest extends RunContext {
  simulate?: string[] | undefined;
  input: EndpointInput;
  model?: string | undefined;
  voice?: string | undefined;
  stepTimeoutMs: number;
  repeat: number;
  audioPath?: string | undefined;
}

/**
 * The sessions URL and auth headers as livekit-agents 1.8.9 builds them: `_live_sessions_url` (gpt_live.py:1254-1264:
 * ws(s) scheme, Azure's bare or `/openai` path becomes `/openai/v1`, then `/live/sessions`) and
 * `_create_ws_url_and_headers` (:580-592: Bearer for OpenAI and Entra, `api-key` for an Azure key).
 */
export function liveSessionsEndpoint(input: EndpointInput): { url: URL; headers: Record<string, string> } {
  if (input.provider === 'xai')
    throw usageError('--api live is OpenAI GPT-Live; xAI does not serve it', 'Use --provider openai or --provider azure with --api live.');
  const azure = input.provider === 'azure';
  const base = azure ? (input.baseUrl ?? input.azureEndpoint) : (input.baseUrl ?? 'https://api.openai.com/v1');
  let url: URL;
  try {
    url = new URL(base ?? '');
  } catch {
    throw usageError(
      `not a URL: '${base ?? ''}'`,
      azure
        ? 'Pass --azure-endpoint https://<resource>.openai.azure.com (or AZURE_OPENAI_ENDPOINT).'
        : 'Pass --base-url https://api.openai.com/v1 (or OPENAI_BASE_URL).',
    );
  }
  url.protocol = url.protocol === 'http:' ? 'ws:' : url.protocol === 'https:' ? 'wss:' : url.protocol;
  let path = url.pathname.replace(/\/+$/, '');
  if (azure && (path === '' || path === '/openai')) path = '/openai/v1';
  if (!path.endsWith('/live/sessions')) path = `${path}/live/sessions`;
  url.pathname = path;
  url.search = '';
  const headers: Record<string, string> = {};
  if (!azure) headers.Authorization = `Bearer ${input.apiKey ?? ''}`;
  else if (input.entraToken) headers.Authorization = `Bearer ${input.entraToken}`;
  else headers['api-key'] = input.apiKey ?? '';
  return { url, headers };
}

export async function probeLive(req: LiveProbeRequest): Promise<Report> {
  const audio = req.audioPath ? loadPcm16(req.audioPath, { sampleRate: 24000, channels: 1 }).pcm.samples : synthSpeechLike(1500, 24000, 5);
  let sim: { baseUrl: string; close(): Promise<void> } | undefined;
  if (req.simulate) {
    const { startSimulator, parseScenarios } = await import('../simulator/index.js');
    asUsageError(() => parseScenarios(req.simulate!));
    sim = await startSimulator({ scenarios: req.simulate });
    log.info(`simulator: ${sim.baseUrl}${req.simulate.length ? ` (scenarios: ${req.simulate.join(', ')})` : ''}`);
  }
  const input: EndpointInput = sim ? { ...req.input, baseUrl: sim.baseUrl, azureEndpoint: sim.baseUrl.replace(/\/v1$/, '') } : req.input;
  const { url, headers } = liveSessionsEndpoint(sim && input.provider === 'azure' ? { ...input, baseUrl: undefined } : input);
  const model = input.provider === 'azure' ? (input.azureDeployment ?? req.model ?? LIVE_DEFAULT_MODEL) : (req.model ?? LIVE_DEFAULT_MODEL);
  log.info(`GPT-Live (${input.provider}): ${url.toString()} (headers: ${Object.keys(headers).join(', ')}: ***)`);
  const ctx = { command: 'probe-openai', stepTimeoutMs: req.stepTimeoutMs };
  const runs: Array<{ events: TraceEvent[]; steps: Step[]; findings: Finding[] }> = [];
  let interrupted = false;
  const spinner = await progress('probing GPT-Live');
  try {
    for (let i = 0; i < req.repeat && !req.signal.aborted; i++) {
      spinner.update(`probing ${url.host}${req.repeat > 1 ? ` (run ${i + 1}/${req.repeat})` : ''}`);
      const run = await runLiveProbe({
        url,
        apiKey: input.apiKey ?? '',
        headers,
        model,
        voice: req.voice ?? LIVE_DEFAULT_VOICE,
        stepTimeoutMs: req.stepTimeoutMs,
        audio,
        signal: req.signal,
      });
      interrupted ||= run.interrupted;
      runs.push({ events: run.events, steps: liveSteps(run.events), findings: diagnose(run.events, LIVE_RULES, ctx) });
    }
  } finally {
    spinner.stop();
    await sim?.close();
  }
  const last = runs.at(-1);
  return makeReport('probe-openai', req.startedAt, mergeRuns(runs.map((r) => r.findings)), metaFor, {
    interrupted,
    target: { provider: input.provider, url: url.toString(), model, api: 'live', simulated: !!sim, scenarios: req.simulate ?? [], check: null },
    steps: last?.steps ?? [],
    ...(req.repeat > 1
      ? { stats: stepStats(runs.map((r) => r.steps)), runs: runs.map((r) => ({ steps: r.steps, findings: r.findings.map((f) => f.code) })) }
      : {}),
    events: last?.events ?? [],
  });
}
