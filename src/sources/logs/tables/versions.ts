/**
 * Wordings that only older livekit-agents versions print, for facts the core table reads in the newest
 * wording. Each row names the versions that print it, read from their site-packages
 * (fixtures/wordings/python-livekit-agents-<version>.json, scripts/lib/matrix-wordings.mjs), and is
 * proved per version by test/unit/wordings-per-version.test.ts. (The 1.0–1.1 text-only wordings are in
 * openai-text.ts.)
 */
import { type Rule, str } from '../table-kit.js';

export const VERSIONS_TABLE: Rule[] = [
  // livekit-plugins-openai 1.0.x (realtime_model.py, _handle_response_created): a response whose
  // generate_reply had already timed out; 1.2+ say "response of generate_reply received after it's timed out."
  { kind: 'log.openai.late-response', exact: ['response received after timeout'] },
  // livekit-agents 0.12.x (multimodal/multimodal_agent.py): the model answered in text in an audio
  // session, and the agent asks it again for audio (extras item_id, text, retries)
  {
    kind: 'log.openai.text-in-audio',
    exact: ['The OpenAI Realtime API returned a text response instead of audio. Attempting to recover to audio mode...'],
  },
  // livekit-plugins-openai 0.x (realtime_model.py, _handle_response_done): a response that ended failed
  // (extras code, error) or incomplete (extra reason); 1.x say "… response done but not complete with status: …"
  { kind: 'log.openai.response-not-complete', exact: ['response generation failed'], extras: () => ({ status: 'failed' }) },
  {
    kind: 'log.openai.response-not-complete',
    exact: ['response generation incomplete'],
    extras: (r) => ({ status: 'incomplete', reason: str(r.extras['reason']) }),
  },
];
