/**
 * livekit-agents 1.8.9's GPT-Live wordings (llm/_realtime/gpt_live.py, GPTLiveSession; the provider label is
 * "OpenAI Live API"), onto the live events and rules:
 *   `gpt-live returned an error` (error; the body in `lk.pii.error`: type, code, message, param) :1019-1031,
 *   `gpt-live session closed` (debug; extras reason, session_id) :985-992,
 *   `OpenAI Live API connection failed, retrying in {interval}s` (warning) :549-553,
 *   `OpenAI Live API connection failed after {n} attempts` (APIConnectionError) :541-545 and
 *   `gpt-live session failed` (error, the session ends) :556-560,
 *   `gpt-live backend response did not complete` (warning; type, delegation_id) :948-957.
 */
import { isPlainObject } from '../record.js';
import type { Rule } from '../table-kit.js';
import { num, pick, str } from '../table-kit.js';

export const LIVE_TABLE: Rule[] = [
  {
    kind: 'log.live.error',
    exact: ['gpt-live returned an error'],
    extras: (r) => {
      const e = pick(r.extras, 'lk.pii.error', 'error');
      const body = isPlainObject(e) ? e : {};
      return { code: str(body['code']), type: str(body['type']), errorMessage: str(body['message']), param: str(body['param']) };
    },
  },
  {
    kind: 'log.live.session-closed',
    exact: ['gpt-live session closed'],
    extras: (r) => ({ reason: str(r.extras['reason']), sessionId: str(r.extras['session_id']) }),
  },
  {
    kind: 'log.live.connection-failed',
    re: /^OpenAI Live API connection failed, retrying in ([\d.]+)s/,
    extras: (_r, m) => ({ final: false, retryInS: num(m?.[1]) }),
  },
  {
    kind: 'log.live.connection-failed',
    re: /(?:^|APIConnectionError: )OpenAI Live API connection failed after (\d+) attempts/,
    extras: (_r, m) => ({ final: true, attempts: num(m?.[1]) }),
  },
  { kind: 'log.live.connection-failed', exact: ['gpt-live session failed'], extras: () => ({ final: true }) },
  {
    kind: 'log.live.backend-incomplete',
    exact: ['gpt-live backend response did not complete'],
    extras: (r) => ({ type: str(r.extras['type']), delegationId: str(r.extras['delegation_id']) }),
  },
];
