/**
 * Fault scenarios: names, parameters, and the combined effect of a list of them.
 */
import { AZURE_SCENARIOS, type AzureScenarioName } from './azure.js';

/** Thrown on an unknown scenario name or a bad parameter. */
export class SimulatorUsageError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'SimulatorUsageError';
    this.hint = hint;
  }
}

export type FailCode = 'model_not_found' | 'insufficient_quota' | 'rate_limit_exceeded' | 'server_error';

export type Scenario =
  | { name: AzureScenarioName }
  | { name: 'upgrade-401' | 'upgrade-403' | 'upgrade-404' | 'upgrade-429' }
  | { name: 'invalid-api-key' }
  | { name: 'beta-disabled' }
  | { name: 'expire-after'; ms: number }
  | { name: 'expire-after-reply' }
  | { name: 'delay-created'; ms: number }
  | { name: 'reply-audio'; ms: number }
  | { name: 'drop-metadata' }
  | { name: 'fail-model-not-found' | 'fail-insufficient-quota' | 'fail-rate-limit' }
  | { name: 'incomplete' }
  | { name: 'text-only' }
  | { name: 'reject-session-update' }
  | { name: 'drop-mid-response' }
  | { name: 'preamble' }
  | {
      name:
        | 'live-close-expired'
        | 'live-close-content'
        | 'live-close-connection-lost'
        | 'live-forbidden-voice'
        | 'live-early-continuation'
        | 'live-deadlock'
        | 'live-upgrade-401';
    }
  | { name: 'live-expire-after'; ms: number };

/** GPT-Live (`/v1/live/sessions`) faults; the behaviour is in src/simulator/live/. */
export type LiveCloseReason = 'expired' | 'content' | 'connection_lost';
export interface LiveEffects {
  /** session.closed with this reason (then a normal close) right after the first spoken reply. */
  closeAfterReply: LiveCloseReason | null;
  /** session.closed{expired} this long after session.started. */
  expireAfterMs: number | null;
  /** Every voice is refused with `forbidden` (by default only the ones the service refuses). */
  forbiddenVoice: boolean;
  /** A delegated run is two backend responses, the second's call still open when the first completes. */
  earlyContinuation: boolean;
  /** As earlyContinuation, and a response.create sent while a call is open gets nothing, ever. */
  deadlock: boolean;
}

export const SCENARIOS: ReadonlyArray<{ name: string; param?: string; description: string }> = [
  { name: 'upgrade-401', description: 'Refuse the WebSocket upgrade with HTTP 401 and an OpenAI-style invalid_api_key body.' },
  { name: 'upgrade-403', description: 'Refuse the upgrade with HTTP 403 (key without Realtime access, gateway policy).' },
  { name: 'upgrade-404', description: 'Refuse the upgrade with HTTP 404 "Invalid URL" (wrong path, Azure deployment, proxy).' },
  { name: 'upgrade-429', description: 'Refuse the upgrade with HTTP 429 rate_limit_exceeded and a retry-after header.' },
  {
    name: 'invalid-api-key',
    description:
      'Accept the upgrade (101), send error invalid_api_key with the key masked to its last 4 characters, then close 3000 invalid_request_error.invalid_api_key.',
  },
  {
    name: 'beta-disabled',
    description:
      'If the request carries an OpenAI-Beta header: error beta_api_shape_disabled, then close 4000 invalid_request_error.beta_api_shape_disabled (what api.openai.com does since the beta retirement).',
  },
  { name: 'expire-after', param: 'MS', description: 'Close 1001 "Your session hit the maximum duration of 60 minutes." MS ms after the socket opens.' },
  {
    name: 'expire-after-reply',
    description:
      'Close 1001 (the 60-minute message) right after the first completed audio response.done of the connection: the session limit landing while the client is still playing the reply. A LiveKit agent reconnects and replays the conversation as text items.',
  },
  {
    name: 'delay-created',
    param: 'MS',
    description:
      'Hold response.created (and the rest of the response) for MS ms; the response counts as active from response.create on. MS past the agent\'s generate_reply bound trips LiveKit\'s "generate_reply timed out.": 10 s in livekit-agents ≥ 1.5 and @livekit/agents-plugin-openai ≥ 1.4.11, 5 s in livekit-agents 1.0–1.4; agents-js plugins before 1.4.11 have no bound and wait.',
  },
  { name: 'reply-audio', param: 'MS', description: 'Every audio reply lasts MS ms (default 1.5–2.5 s, by the length of its text).' },
  { name: 'drop-metadata', description: 'response.created / response.done carry metadata null, as a proxy that strips it would.' },
  { name: 'fail-model-not-found', description: 'response.created, then response.done failed with error code model_not_found.' },
  { name: 'fail-insufficient-quota', description: 'response.created, then response.done failed with error code insufficient_quota.' },
  { name: 'fail-rate-limit', description: 'response.created, then response.done failed with error code rate_limit_exceeded.' },
  { name: 'incomplete', description: 'After about half of the audio, response.done status incomplete, reason max_output_tokens.' },
  { name: 'text-only', description: 'The model answers with text parts (response.output_text.*) even in audio modality.' },
  { name: 'reject-session-update', description: 'Every session.update is rejected with an unknown_parameter error (and changes nothing).' },
  {
    name: 'drop-mid-response',
    description:
      "Drop the TCP connection (no close frame) right after the first response.output_audio.delta of the connection's first response: the network or a proxy dying while the model speaks. A LiveKit agent logs the connection error, reconnects, and the reply in progress is lost.",
  },
  {
    name: 'preamble',
    description:
      'Every audio response carries two message items, as gpt-realtime-2 does: a short preamble ("One moment, let me check that.") at output_index 0, then the answer at output_index 1. livekit-agents < 1.5.12 played only the first ("expected to receive only one message generation from the realtime API").',
  },
  {
    name: 'live-close-expired',
    description: 'GPT-Live: session.closed reason expired right after the first spoken reply (livekit-agents 1.8.9 reconnects and reseeds the history).',
  },
  {
    name: 'live-close-content',
    description: 'GPT-Live: session.closed reason content (the service ended the session over content) right after the first spoken reply.',
  },
  { name: 'live-close-connection-lost', description: 'GPT-Live: session.closed reason connection_lost right after the first spoken reply.' },
  {
    name: 'live-expire-after',
    param: 'MS',
    description: "GPT-Live: session.closed reason expired MS ms after session.started (the service's limit is 2 hours).",
  },
  {
    name: 'live-forbidden-voice',
    description: 'GPT-Live: session.start is answered with error code forbidden for any voice (by default only fable, nova and onyx are).',
  },
  {
    name: 'live-early-continuation',
    description:
      'GPT-Live: a delegated run is two backend responses; the second call is open when the first response completes, so a response.create sent then is refused with function_call_outputs_required (livekit/agents #7266, agents-js #2495).',
  },
  {
    name: 'live-deadlock',
    description: 'GPT-Live: as live-early-continuation, but the early response.create gets nothing, and the backend never answers the session again.',
  },
  { name: 'live-upgrade-401', description: 'GPT-Live: refuse the /live/sessions upgrade with HTTP 401 invalid_api_key (as upgrade-401).' },
  ...AZURE_SCENARIOS, // upgrade answers in azure.ts (server.ts asks it), azure-server-error via failCode
];

const PARAM_NAMES = new Set(SCENARIOS.filter((s) => s.param).map((s) => s.name));
const ALL_NAMES = new Set(SCENARIOS.map((s) => s.name));

function usageHint(): string {
  return `Valid scenarios: ${SCENARIOS.map((s) => (s.param ? `${s.name}=${s.param}` : s.name)).join(', ')}.`;
}

/** Parses scenario names (`name` or `name=N`). Throws {@link SimulatorUsageError}. */
export function parseScenarios(names: string[]): Scenario[] {
  const out: Scenario[] = [];
  for (const raw of names) {
    const spec = raw.trim();
    if (!spec) continue;
    const eq = spec.indexOf('=');
    const name = eq >= 0 ? spec.slice(0, eq) : spec;
    const param = eq >= 0 ? spec.slice(eq + 1) : undefined;
    if (!ALL_NAMES.has(name)) {
      throw new SimulatorUsageError(`Unknown simulator scenario '${name}'.`, usageHint());
    }
    if (PARAM_NAMES.has(name)) {
      if (param === undefined || !/^\d+$/.test(param)) {
        throw new SimulatorUsageError(`Scenario '${name}' needs a duration in milliseconds, e.g. '${name}=12000' (got '${spec}').`, usageHint());
      }
      out.push({ name: name as 'expire-after' | 'delay-created' | 'reply-audio' | 'live-expire-after', ms: Number(param) });
      continue;
    }
    if (param !== undefined) {
      throw new SimulatorUsageError(`Scenario '${name}' takes no parameter (got '${spec}').`, usageHint());
    }
    out.push({ name } as Scenario);
  }
  return out;
}

/** The combined effect of a list of scenarios (later ones win on conflicts). */
export interface ScenarioEffects {
  upgradeStatus: 401 | 403 | 404 | 429 | null;
  invalidApiKey: boolean;
  betaDisabled: boolean;
  expireAfterMs: number | null;
  expireAfterReply: boolean;
  delayCreatedMs: number;
  replyAudioMs: number | null;
  dropMetadata: boolean;
  failCode: FailCode | null;
  incomplete: boolean;
  textOnly: boolean;
  rejectSessionUpdate: boolean;
  dropMidResponse: boolean;
  preamble: boolean;
  live: LiveEffects;
}

export function scenarioEffects(list: Scenario[]): ScenarioEffects {
  const fx: ScenarioEffects = {
    upgradeStatus: null,
    invalidApiKey: false,
    betaDisabled: false,
    expireAfterMs: null,
    expireAfterReply: false,
    delayCreatedMs: 0,
    replyAudioMs: null,
    dropMetadata: false,
    failCode: null,
    incomplete: false,
    textOnly: false,
    rejectSessionUpdate: false,
    dropMidResponse: false,
    preamble: false,
    live: { closeAfterReply: null, expireAfterMs: null, forbiddenVoice: false, earlyContinuation: false, deadlock: false },
  };
  for (const s of list) {
    switch (s.name) {
      case 'upgrade-401':
        fx.upgradeStatus = 401;
        break;
      case 'upgrade-403':
        fx.upgradeStatus = 403;
        break;
      case 'upgrade-404':
        fx.upgradeStatus = 404;
        break;
      case 'upgrade-429':
        fx.upgradeStatus = 429;
        break;
      case 'invalid-api-key':
        fx.invalidApiKey = true;
        break;
      case 'beta-disabled':
        fx.betaDisabled = true;
        break;
      case 'expire-after':
        fx.expireAfterMs = s.ms;
        break;
      case 'expire-after-reply':
        fx.expireAfterReply = true;
        break;
      case 'delay-created':
        fx.delayCreatedMs = s.ms;
        break;
      case 'reply-audio':
        fx.replyAudioMs = s.ms;
        break;
      case 'drop-metadata':
        fx.dropMetadata = true;
        break;
      case 'fail-model-not-found':
        fx.failCode = 'model_not_found';
        break;
      case 'fail-insufficient-quota':
        fx.failCode = 'insufficient_quota';
        break;
      case 'fail-rate-limit':
        fx.failCode = 'rate_limit_exceeded';
        break;
      case 'azure-server-error':
        fx.failCode = 'server_error';
        break;
      case 'incomplete':
        fx.incomplete = true;
        break;
      case 'text-only':
        fx.textOnly = true;
        break;
      case 'reject-session-update':
        fx.rejectSessionUpdate = true;
        break;
      case 'drop-mid-response':
        fx.dropMidResponse = true;
        break;
      case 'preamble':
        fx.preamble = true;
        break;
      case 'live-close-expired':
        fx.live.closeAfterReply = 'expired';
        break;
      case 'live-close-content':
        fx.live.closeAfterReply = 'content';
        break;
      case 'live-close-connection-lost':
        fx.live.closeAfterReply = 'connection_lost';
        break;
      case 'live-expire-after':
        fx.live.expireAfterMs = s.ms;
        break;
      case 'live-forbidden-voice':
        fx.live.forbiddenVoice = true;
        break;
      case 'live-early-continuation':
        fx.live.earlyContinuation = true;
        break;
      case 'live-deadlock':
        fx.live.earlyContinuation = true;
        fx.live.deadlock = true;
        break;
      case 'live-upgrade-401':
        fx.upgradeStatus = 401;
        break;
    }
  }
  return fx;
}

/** Canonical string form of a scenario, e.g. `delay-created=12000`. */
export function scenarioToString(s: Scenario): string {
  return 'ms' in s ? `${s.name}=${s.ms}` : s.name;
}

/**
 * Scenario names from a URL: the path prefix `/scenario/<a>[+<b>…]/` and the query
 * parameter `lkdiag_scenario=a+b` (also `,`-separated). Returns the path without the prefix.
 */
export function scenariosFromUrl(url: URL): { names: string[]; path: string } {
  const names: string[] = [];
  let path = url.pathname;
  const m = /^(.*?)\/scenario\/([^/]*)(\/.*)?$/.exec(path);
  if (m) {
    names.push(...splitNames(decodeURIComponent(m[2]!)));
    path = `${m[1]}${m[3] ?? ''}` || '/';
  }
  for (const q of url.searchParams.getAll('lkdiag_scenario')) names.push(...splitNames(q));
  return { names, path };
}

function splitNames(s: string): string[] {
  return s.split(/[+ ,]/).filter((x) => x.length > 0);
}
