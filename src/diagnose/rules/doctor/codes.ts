import { DOCTOR_CATALOGUE, type CatalogueEntry } from '../../../doctor/catalogue.data.js';
import { AZURE_GA_SHAPE, atLeast, below, JS_PUBLISH_OPTIONS_IGNORED, MULTI_MESSAGE } from '../../../facts/versions.js';
import { defineCode, type Code } from '../kit.js';

/** How the judged version of a dependency was found. */
export type Exactness =
  | { kind: 'trap'; spec: string; latest: string }
  | { kind: 'exact'; version: string; via: 'lock' | 'server' | 'pinned' }
  | { kind: 'range'; spec: string; allows: string };

/** A note under a dependency finding. */
export type DepNote = { kind: 'clients'; names: string[] } | { kind: 'add-lock' };

export interface DepData {
  package: string;
  exactness: Exactness;
  /** file:line of the lock file or manifest. */
  where: string;
  affected: string;
  fixedIn: string | null;
  notes: DepNote[];
}

function exactnessText(x: Exactness): string {
  switch (x.kind) {
    case 'trap':
      return `declared as "${x.spec}" with no lock file: that resolves to the npm \`latest\` tag, ${x.latest}`;
    case 'exact':
      return `${x.version} (${x.via === 'lock' ? 'locked' : x.via === 'server' ? 'reported by the server' : 'pinned'})`;
    case 'range':
      return `not locked; the declared range "${x.spec}" allows ${x.allows}`;
  }
}

const noteText = (n: DepNote): string =>
  n.kind === 'clients'
    ? `A client in this project sends pre-connect audio (${n.names.join(', ')}).`
    : 'Add a lock file (or an exact pin) to know which version is installed.';

export const depDetail = (d: DepData): string =>
  [
    `${d.package} ${exactnessText(d.exactness)} — ${d.where}. Affected: ${d.affected === '*' ? 'all versions' : d.affected}${d.fixedIn ? `; fixed in ${d.fixedIn}` : ''}.`,
    ...d.notes.map(noteText),
  ].join('\n');

function depCode(e: CatalogueEntry): Code<DepData> {
  return defineCode<DepData>({
    code: e.code,
    severity: e.severity,
    title: e.title,
    cause: `${e.symptom} Affected: ${e.package} ${e.affected === '*' ? '(all versions)' : e.affected}${e.requires ? ` together with ${e.requires.package} ${e.requires.range}` : ''}.${e.escalateWithPreconnectClients ? ' An error when a client in the same project sends pre-connect audio, a warning otherwise.' : ''} Sources: ${e.references.map((r) => `${r.repo} ${r.ref}`).join(', ')}.`,
    evidence: `doctor.dependency: the resolved version of ${e.package} (lock file, exact pin, or the lowest version a declared range allows)${e.ecosystem === 'server' ? '; doctor.server: the version the server reports (only with --url)' : ''}.`,
    fix: e.fix,
    detail: depDetail,
  });
}

/** deps/<id>: one code per catalogue entry, generated from the catalogue data. */
export const DEPS: Readonly<Record<string, Code<DepData>>> = Object.fromEntries(DOCTOR_CATALOGUE.map((e) => [e.id, depCode(e)]));

/** `file:line: snippet` of a setup fact. */
interface At {
  at: string;
}

export interface ConnectBeforeStartData extends At {
  conditional: boolean;
  startLine: string;
  python: boolean;
}

/** setup/<id>: checks on the agent's own source, .env files and environment. */
export interface AzureGaShapeData extends At {
  /** The plugin version judged, and whether it is exact (a lock or a pin) or the lowest the range allows. */
  version: string;
  exact: boolean;
  dependencyAt: string;
}

/** A livekit-client call that silently disables the pre-connect buffer (rule doctor.client-traps). */
export interface JsPublishOptionsData extends At {
  version?: string;
  exact?: boolean;
  dependencyAt?: string;
}

export const SETUP = {
  connectBeforeStart: defineCode<ConnectBeforeStartData>({
    code: 'setup/connect-before-start',
    severity: 'warning',
    title: 'ctx.connect() is awaited before session.start()',
    cause:
      'AgentSession.start() starts RoomIO, which registers the pre-connect audio handler, and then connects the room itself. Awaiting ctx.connect() first connects the room before the handler exists: a buffer that arrives early is dropped ("ignoring byte stream … no callback attached") and the agent warns "pre-connect audio handler registered after room connection". An error when a client in this project sends pre-connect audio.',
    evidence: 'doctor.setup check=connect-before-start: file, line and the two calls, found by Python ast or the TypeScript parser.',
    fix: 'Call `await session.start(room=ctx.room, agent=...)` first and drop the earlier `await ctx.connect()` (start connects the room), or move ctx.connect() after it.',
    detail: (d) =>
      `${d.at}${d.conditional ? ' (inside a conditional branch: only when that branch runs)' : ''} — awaited before session.start() at line ${d.startLine}.${d.python ? '' : '\nagents-js has no pre-connect support, so the order costs nothing today; start the session first anyway.'}`,
  }),
  betaModel: defineCode<At & { model: string }>({
    code: 'setup/beta-model',
    severity: 'error',
    title: 'A gpt-4o-realtime-preview model is configured',
    cause: 'gpt-4o-realtime-preview* are beta-era models; the beta interface is retired and GA plugins expect a GA model such as gpt-realtime.',
    evidence: 'doctor.setup check=model with the model string, file and line.',
    fix: 'Use a GA Realtime model: model="gpt-realtime" (or gpt-realtime-mini).',
    detail: (d) => `${d.at} — model "${d.model}".`,
  }),
  betaShape: defineCode<At & { construct: string }>({
    code: 'setup/beta-shape',
    severity: 'error',
    title: 'The retired beta Realtime interface is selected explicitly',
    cause:
      'RealtimeModelBeta, or an Azure `api_version`/`apiVersion`, selects the beta session shape with the OpenAI-Beta header (legacy Azure). OpenAI answers beta_api_shape_disabled and closes 4000; Azure deprecated the legacy path.',
    evidence: 'doctor.setup check=beta-shape with the construct found, file and line.',
    fix: 'Use openai.realtime.RealtimeModel (GA) and, for Azure, the GA /openai/v1 endpoint without api_version.',
    detail: (d) => `${d.at} — ${d.construct}.`,
  }),
  temperatureOutOfRange: defineCode<At & { value: number; beta: boolean }>({
    code: 'setup/temperature-out-of-range',
    severity: 'error',
    title: 'temperature is outside [0.6, 1.2]',
    cause:
      'The beta interface rejects a temperature outside [0.6, 1.2] (decimal_below_min_value / decimal_above_max_value) and the session.update is ignored. On GA, temperature does not exist and LiveKit does not send it.',
    evidence: 'doctor.setup check=temperature with the value, file and line.',
    fix: 'Remove temperature (GA ignores it), or keep it within 0.6–1.2 on a beta endpoint.',
    detail: (d) =>
      `${d.at} — temperature ${d.value}${d.beta ? ': the beta interface rejects it and ignores the whole session.update.' : ': the GA API ignores it (LiveKit does not send it), and a beta endpoint would reject it.'}`,
  }),
  temperatureIgnored: defineCode<At & { value: number }>({
    code: 'setup/temperature-ignored',
    severity: 'info',
    title: 'temperature is set but the GA Realtime API ignores it',
    cause: 'GA sessions have no temperature; LiveKit\'s GA RealtimeModel accepts the argument but never sends it ("deprecated, unused in v1").',
    evidence: 'doctor.setup check=temperature with the value, file and line.',
    fix: 'Remove the temperature argument; steer the model with instructions instead.',
    detail: (d) => `${d.at} — temperature ${d.value} has no effect on GA models.`,
  }),
  createResponseWithoutInterrupt: defineCode<At & { interruptResponseSet: boolean }>({
    code: 'setup/create-response-without-interrupt',
    severity: 'warning',
    title: 'create_response=False without interrupt_response=False',
    cause:
      'With create_response off the client owns turn taking, but the server still cancels the active response whenever it hears speech (interrupt_response defaults to true): replies vanish with status cancelled / turn_detected and the agent "appears unresponsive" (livekit/agents#6635).',
    evidence: 'doctor.setup check=turn-detection with createResponse=false and interruptResponse not false.',
    fix: 'Pass interrupt_response=False (interruptResponse: false) together with create_response=False.',
    detail: (d) =>
      `${d.at} — create_response=False${d.interruptResponseSet ? ' with interrupt_response=True' : ', interrupt_response left at its default (true)'}.`,
  }),
  allowInterruptionsServerVad: defineCode<At & { modelAt: string }>({
    code: 'setup/allow-interruptions-server-vad',
    severity: 'error',
    title: 'allow_interruptions=False with server-side turn detection',
    cause:
      "The Realtime model's server turn detection (on by default) interrupts by itself; livekit-agents raises an error for allow_interruptions=False while server turn detection is on.",
    evidence: 'doctor.setup check=allow-interruptions and no turn_detection=None on the RealtimeModel.',
    fix: 'Set turn_detection=None on the RealtimeModel (and use a local VAD/turn detector), or keep interruptions allowed.',
    detail: (d) => `${d.at} — and the RealtimeModel at ${d.modelAt} keeps server turn detection (no turn_detection=None).`,
  }),
  debugNotInteger: defineCode<{ value: string; from: string; python: boolean }>({
    code: 'setup/lk-openai-debug-not-integer',
    severity: 'warning',
    title: 'LK_OPENAI_DEBUG is not an integer',
    cause:
      'The Python plugin reads LK_OPENAI_DEBUG with int() at import: a value such as "true" raises ValueError and the agent does not start (an error for Python projects). agents-js uses Number(): "true" silently disables the debug log.',
    evidence: 'doctor.env (from .env files or the environment) or doctor.setup check=env in code, with the value.',
    fix: 'Use LK_OPENAI_DEBUG=1 (or 0).',
    detail: (d) =>
      `LK_OPENAI_DEBUG="${d.value}" in ${d.from}.${d.python ? ' The Python plugin will raise ValueError at import.' : ' agents-js will treat it as 0 (no debug log).'}`,
  }),
  preconnectDisabled: defineCode<At & { clients: boolean }>({
    code: 'setup/preconnect-disabled',
    severity: 'warning',
    title: 'Pre-connect audio is disabled in the agent',
    cause:
      "pre_connect_audio=False registers no byte-stream handler: a buffer sent by a client is dropped and the user's first words are lost. A warning when a client in this project sends pre-connect audio; info otherwise.",
    evidence: 'doctor.setup check=preconnect-disabled (file, line), and the clients found (livekit-client with preConnectBuffer, Swift/Android SDKs).',
    fix: 'Remove pre_connect_audio=False (the default is on), or turn pre-connect off in the clients too.',
    detail: (d) =>
      `${d.at}${d.clients ? ' — while a client in this project sends pre-connect audio: its buffer is dropped.' : ' — no client in this project sends pre-connect audio, so nothing is lost here; check your other clients.'}`,
  }),
  regexFallback: defineCode<{ note: string }>({
    code: 'setup/regex-fallback',
    severity: 'info',
    title: 'Python setup checks used a regex scan (python3 not found)',
    cause:
      "The Python checks parse the source with Python's own ast module; without python3 on PATH lkdiag falls back to a line-based regex scan, which can miss calls split over lines or report commented-out code.",
    evidence: 'doctor.parser with parser=regex.',
    fix: 'Install python3 (any 3.8+) on PATH for exact results.',
    detail: (d) => d.note,
  }),
};

export interface PreambleDroppedData {
  at: string;
  model: string;
  pkg: string;
  version: string;
  exact: boolean;
  dependencyAt: string;
}

/**
 * Setup checks that depend on the model the project configures, or on a client SDK call shape — each owned by
 * a rule of its own (doctor.realtime-2, doctor.client-traps), not by doctor.setup.
 */
export const MODEL_SETUP = {
  jsPreconnectPublishOptions: defineCode<JsPublishOptionsData>({
    code: 'setup/js-preconnect-publish-options',
    severity: 'warning',
    title: 'setMicrophoneEnabled(…, …, { preConnectBuffer: true }) sends no pre-connect buffer on this livekit-client',
    cause: `livekit-client ${atLeast(JS_PUBLISH_OPTIONS_IGNORED.from)} starts the pre-connect recorder — and so sets TF_PRECONNECT_BUFFER — from the Room's publishDefaults merged with the capture options (the 2nd argument), not from the publish options (the 3rd), which ${JS_PUBLISH_OPTIONS_IGNORED.from} stopped reading (744d0d5e, #1598; still so in ${JS_PUBLISH_OPTIONS_IGNORED.checkedUpTo}). The call LiveKit's docs show publishes a flagless microphone and sends nothing: the words said while the agent joins are lost (preconnect/lost-first-words), silently.`,
    evidence: 'doctor.setup check=preconnect-publish-options (the call, file and line) and livekit-client resolved or allowed at or above the version.',
    fix: 'Enable it on the Room: new Room({ publishDefaults: { preConnectBuffer: true } }), then setMicrophoneEnabled(true). (Measured with livekit-client 2.23.0 in chromium against livekit-agents 1.8.9: the flag and a WebM/Opus buffer the agent used.)',
    detail: (d) =>
      `${d.at} passes { preConnectBuffer: true } as the publish options, on livekit-client ${d.version ? (d.exact ? d.version : `allowed at ${d.version}`) : '(version not found: unconfirmed)'}${d.dependencyAt ? ` (${d.dependencyAt})` : ''}: the recorder never starts, the microphone carries no TF_PRECONNECT_BUFFER, no buffer is sent.`,
  }),
  preambleDropped: defineCode<PreambleDroppedData>({
    code: 'setup/realtime-2-preamble-dropped',
    severity: 'warning',
    title: 'A Realtime-2 model on an agent version that plays only the first message of a reply',
    cause: `gpt-realtime-2 models may answer with a short preamble and then the answer, as two message items of one response; livekit-agents ${below(MULTI_MESSAGE.pyFixed)} and @livekit/agents ${below(MULTI_MESSAGE.jsFixed)} play the first and drop the rest ("expected to receive only one message generation from the realtime API", livekit/agents#5684): users hear "One moment…" and nothing after it. Whether a given reply has a preamble is up to the model.`,
    evidence:
      'doctor.setup check=realtime-2-model (the model string, file and line) and the resolved or lowest allowed livekit-agents / @livekit/agents version.',
    fix: `Upgrade livekit-agents to ${atLeast(MULTI_MESSAGE.pyFixed)} (Python) or @livekit/agents to ${atLeast(MULTI_MESSAGE.jsFixed)} (Node); or use gpt-realtime / gpt-realtime-mini, which answer in one message.`,
    detail: (d) =>
      `${d.at} configures ${d.model}, on ${d.pkg} ${d.exact ? d.version : `allowed at ${d.version}`} (${d.dependencyAt}): replies with a preamble lose their answer.`,
  }),
};

/** Setup checks of Azure OpenAI projects (rule doctor.azure-realtime; listed with the setup codes in the catalogue). */
export const AZURE_SETUP = {
  azureGaShape: defineCode<AzureGaShapeData>({
    code: 'setup/azure-realtime-ga-shape',
    severity: 'warning',
    title: 'RealtimeModel.with_azure speaks the GA session shape in this plugin version',
    cause: `livekit-plugins-openai ${AZURE_GA_SHAPE.pyFrom}–1.2.11 made with_azure() return the GA RealtimeModel for every api_version but "2024-10-01-preview"; Azure's Realtime endpoint did not take the GA shape then, so the session is rejected (${AZURE_GA_SHAPE.issue}). ${AZURE_GA_SHAPE.pyFixed} returns RealtimeModelBeta again. Whether a given Azure deployment takes the GA shape today is not something the project shows.`,
    evidence: 'a with_azure(...) call in the agent code and livekit-plugins-openai (or livekit-agents) resolved or allowed in that range.',
    fix: `Upgrade livekit-agents and livekit-plugins-openai to ${atLeast(AZURE_GA_SHAPE.pyFixed)} (Azure's GA /openai/v1 endpoint is supported from 1.5.1), or pin api_version="2024-10-01-preview" on the old plugin.`,
    detail: (d) =>
      `${d.at} builds the model with with_azure on livekit-plugins-openai ${d.exact ? d.version : `allowed at ${d.version}`} (${d.dependencyAt}): that version sends the GA shape to Azure.`,
  }),
};
