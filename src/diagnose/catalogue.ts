import type { FindingMeta } from './types.js';
import { AGENT } from './rules/agent/codes.js';
import { AZURE_REALTIME } from './rules/azure/codes.js';
import { AZURE_PREVIEW_SETUP } from './rules/doctor/azure-preview.js';
import { CLIENT } from './rules/client/codes.js';
import { AZURE_SETUP, DEPS, MODEL_SETUP, SETUP } from './rules/doctor/codes.js';
import { DRIVE } from './rules/drive/codes.js';
import { LIVE } from './rules/live/codes.js';
import { LIVEKIT } from './rules/livekit/codes.js';
import { AZURE, GEMINI, ROOM, STT, TTS } from './rules/media/codes.js';
import { OPENAI } from './rules/openai/codes.js';
import { PRECONNECT } from './rules/preconnect/codes.js';
import { JOB, PACKAGES, SERVER, WORKER } from './rules/worker/codes.js';

/**
 * Every finding code lkdiag can emit, grouped by area. docs/findings.md is generated from this
 * (scripts/gen-findings-doc.mjs) and a test fails when the two disagree.
 */
export const CATALOGUE: ReadonlyArray<{ area: string; title: string; codes: readonly FindingMeta[] }> = [
  { area: 'openai', title: 'OpenAI Realtime API', codes: Object.values(OPENAI) },
  { area: 'deps', title: 'Dependencies (lkdiag doctor)', codes: Object.values(DEPS) },
  {
    area: 'setup',
    title: 'Agent setup (lkdiag doctor)',
    codes: [...Object.values(SETUP), ...Object.values(AZURE_SETUP), ...Object.values(AZURE_PREVIEW_SETUP), ...Object.values(MODEL_SETUP)],
  },
  { area: 'agent', title: 'Agent turns and replies', codes: Object.values(AGENT) },
  { area: 'preconnect', title: 'Pre-connect audio buffer', codes: Object.values(PRECONNECT) },
  { area: 'livekit', title: 'LiveKit server and room', codes: Object.values(LIVEKIT) },
  { area: 'job', title: 'Job processes (agent log)', codes: Object.values(JOB) },
  { area: 'worker', title: 'Agent worker (agent log)', codes: Object.values(WORKER) },
  { area: 'room', title: "The agent's room connection (agent log)", codes: Object.values(ROOM) },
  { area: 'tts', title: 'Text-to-speech (agent log)', codes: Object.values(TTS) },
  { area: 'packages', title: 'Installed packages (agent log)', codes: Object.values(PACKAGES) },
  { area: 'stt', title: 'Speech-to-text (agent log)', codes: Object.values(STT) },
  { area: 'gemini', title: 'Gemini Live (agent log)', codes: Object.values(GEMINI) },
  { area: 'azure', title: 'Azure OpenAI (agent log, probe-openai --provider azure)', codes: [...Object.values(AZURE), ...Object.values(AZURE_REALTIME)] },
  { area: 'server', title: 'LiveKit server log', codes: Object.values(SERVER) },
  { area: 'live', title: 'OpenAI GPT-Live (/v1/live/sessions)', codes: Object.values(LIVE) },
  { area: 'client', title: "A client's pre-connect buffer (lkdiag mock-agent)", codes: Object.values(CLIENT) },
  { area: 'drive', title: 'The agent process (lkdiag drive)', codes: Object.values(DRIVE) },
];

const byCode = new Map<string, FindingMeta>(CATALOGUE.flatMap((a) => a.codes.map((m) => [m.code, m] as const)));

export function metaFor(code: string): FindingMeta | undefined {
  return byCode.get(code);
}

export function allCodes(): FindingMeta[] {
  return [...byCode.values()];
}
