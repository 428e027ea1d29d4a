/** Every rule's tester cases: their firing traces are the examples in docs/findings.md. */
import type { RuleCases } from '../helpers/rule-tester.js';
import { AGENT_CASES } from './rules-agent.cases.js';
import { AZURE_CASES } from './rules-azure.cases.js';
import { CLIENT_CASES } from './rules-client.cases.js';
import { DOCTOR_CASES } from './rules-doctor.cases.js';
import { DRIVE_CASES } from './rules-drive.cases.js';
import { GEMINI_CASES } from './rules-gemini.cases.js';
import { LIVE_CASES } from './rules-live.cases.js';
import { LIVEKIT_CASES } from './rules-livekit.cases.js';
import { LIVEKIT_SERVER_CASES } from './rules-livekit-server.cases.js';
import { MEDIA_CASES } from './rules-media.cases.js';
import { OPENAI_CASES } from './rules-openai.cases.js';
import { PRECONNECT_CASES } from './rules-preconnect.cases.js';
import { WORKER_CASES } from './rules-worker.cases.js';
import { WORKER_CONNECT_CASES } from './rules-worker-connect.cases.js';

export const ALL_CASES: readonly RuleCases[] = [
  ...OPENAI_CASES,
  ...DOCTOR_CASES,
  ...AGENT_CASES,
  ...PRECONNECT_CASES,
  ...LIVEKIT_CASES,
  ...LIVEKIT_SERVER_CASES,
  ...WORKER_CASES,
  ...WORKER_CONNECT_CASES,
  ...MEDIA_CASES,
  ...GEMINI_CASES,
  ...AZURE_CASES,
  ...LIVE_CASES,
  ...CLIENT_CASES,
  ...DRIVE_CASES,
];
