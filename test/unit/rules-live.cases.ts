// GPT-Live (/v1/live/sessions) rules: traces as probe-openai --api live records them (sources probe/openai) and as
// livekit-agents 1.8.9's GPTLiveSession logs them (log.live.*; wordings from llm/_realtime/gpt_live.py).
import { LIVE_RULES } from '../../src/diagnose/rules/live/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { ev, line, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const PROBE = { command: 'probe-openai', stepTimeoutMs: 3000 };
const upgrade = (status = 101): TraceEvent[] => [
  ev(0, 'probe', 'probe.upgrade.request', { url: 'wss://api.openai.com/v1/live/sessions', api: 'live', headers: ['Authorization', 'User-Agent'] }),
  ev(120, 'probe', 'probe.upgrade.response', { status }),
];
const started: TraceEvent[] = [
  ...upgrade(),
  ev(121, 'probe', 'live.client', { type: 'session.start', eventId: 'session_start_1', voice: 'marin', delegation: 'responses' }),
  ev(300, 'openai', 'live.session.started', { sessionId: 'sess_1' }),
];
const turn: TraceEvent[] = [
  ev(2100, 'openai', 'live.transcript', { role: 'user', delta: 'Please check my order status.', startMs: 0, endMs: 1900 }),
  ev(2400, 'openai', 'live.output.audio', { bytes: 4800 }),
  ev(2401, 'openai', 'live.transcript', { role: 'assistant', delta: 'One', startMs: 2300, endMs: 2560 }),
];
const delegated: TraceEvent[] = [
  ev(2400, 'openai', 'live.delegation.created', { id: 'del_1', target: 'responses' }),
  ev(2450, 'openai', 'live.response.event', { delegationId: 'del_1', type: 'response.created' }),
  ev(2500, 'openai', 'live.response.event', {
    delegationId: 'del_1',
    type: 'response.output_item.done',
    callId: 'call_1',
    name: 'lkdiag_probe',
    status: 'completed',
  }),
];
const closed = (reason: 'close_requested' | 'expired' | 'content' | 'connection_lost' | 'remote_hangup', ms = 4000) =>
  ev(ms, 'openai', 'live.session.closed', { reason, seconds: 3.7 });
const healthy: TraceEvent[] = [
  ...started,
  ...turn,
  ...delegated,
  ev(2600, 'openai', 'live.response.event', { delegationId: 'del_1', type: 'response.completed' }),
  ev(2601, 'probe', 'live.client', { type: 'response.item.create', eventId: 'tool_output_2', callId: 'call_1' }),
  ev(2602, 'probe', 'live.client', { type: 'response.create', eventId: 'response_create_3', openCalls: [] }),
  ev(2610, 'openai', 'live.response.event', { delegationId: 'del_1', type: 'response.created' }),
  ev(3900, 'probe', 'live.client', { type: 'session.close', eventId: 'session_close_4' }),
  closed('close_requested'),
];
const liveErr = (ms: number, code: string, message: string, param: string | null = null, clientEventId: string | null = null) =>
  ev(ms, 'openai', 'live.error', { code, type: 'invalid_request_error', message, param, clientEventId });
const logErr = (code: string, param?: string) =>
  ev(50, 'log', 'log.live.error', { ...line('gpt-live returned an error', 'error', 7), code, type: 'invalid_request_error', ...(param ? { param } : {}) });

export const LIVE_CASES: RuleCases[] = [
  {
    rule: ruleById(LIVE_RULES, 'live.connection'),
    valid: [
      { name: 'a live probe that connects', events: healthy, ctx: PROBE },
      {
        name: 'a Realtime (not live) probe refused: not this rule’s',
        events: [
          ev(0, 'probe', 'probe.upgrade.request', { url: 'wss://x/v1/realtime', api: 'ga', headers: [] }),
          ev(9, 'probe', 'probe.upgrade.response', { status: 401 }),
        ],
        ctx: PROBE,
      },
    ],
    codes: {
      'live/connect-failed': {
        invalid: [
          { name: 'the upgrade refused with HTTP 401', events: upgrade(401), ctx: PROBE, findings: ['error:live/connect-failed'] },
          {
            name: 'the plugin gave up (agent log)',
            events: [
              ev(0, 'log', 'log.live.connection-failed', { ...line('OpenAI Live API connection failed after 3 attempts', 'error'), final: true, attempts: 3 }),
            ],
            findings: ['error:live/connect-failed'],
          },
        ],
      },
      'live/connect-retrying': {
        invalid: [
          {
            name: 'two retries in the agent log, then nothing',
            events: [0, 2000].map((ms) =>
              ev(ms, 'log', 'log.live.connection-failed', {
                ...line('OpenAI Live API connection failed, retrying in 2.0s', 'warning'),
                final: false,
                retryInS: 2,
              }),
            ),
            findings: ['warning:live/connect-retrying'],
          },
        ],
      },
    },
  },
  {
    rule: ruleById(LIVE_RULES, 'live.closed'),
    valid: [{ name: 'closed on request', events: healthy, ctx: PROBE }],
    codes: {
      'live/session-expired': {
        invalid: [
          {
            name: 'session.closed{expired} on the wire',
            events: [...started, ...turn, closed('expired', 2900)],
            ctx: PROBE,
            findings: ['warning:live/session-expired'],
          },
          {
            name: '"gpt-live session closed" reason expired (debug log)',
            events: [ev(0, 'log', 'log.live.session-closed', { ...line('gpt-live session closed', 'debug'), reason: 'expired', sessionId: 'sess_1' })],
            findings: ['warning:live/session-expired'],
          },
        ],
      },
      'live/closed-content': {
        invalid: [
          { name: 'session.closed{content}', events: [...started, ...turn, closed('content', 2900)], ctx: PROBE, findings: ['error:live/closed-content'] },
        ],
      },
      'live/connection-lost': {
        invalid: [
          {
            name: 'session.closed{connection_lost}',
            events: [...started, ...turn, closed('connection_lost', 2900)],
            ctx: PROBE,
            findings: ['error:live/connection-lost'],
          },
        ],
      },
      'live/remote-hangup': {
        invalid: [
          { name: 'session.closed{remote_hangup}', events: [...started, closed('remote_hangup', 900)], ctx: PROBE, findings: ['warning:live/remote-hangup'] },
        ],
      },
    },
  },
  {
    rule: ruleById(LIVE_RULES, 'live.timeouts'),
    valid: [{ name: 'every step answered', events: healthy, ctx: PROBE }],
    codes: {
      'live/no-session-started': {
        invalid: [
          {
            name: 'session.start unanswered for 3 s',
            events: [
              ...upgrade(),
              ev(121, 'probe', 'live.client', { type: 'session.start' }),
              ev(3121, 'probe', 'probe.timeout', { step: 'session.started', boundMs: 3000 }),
            ],
            ctx: PROBE,
            findings: ['error:live/no-session-started'],
          },
        ],
      },
      'live/no-reply': {
        invalid: [
          {
            name: 'no transcript of the user’s audio',
            events: [...started, ev(3400, 'probe', 'probe.timeout', { step: 'input-transcript', boundMs: 3000 })],
            ctx: PROBE,
            findings: ['error:live/no-reply'],
          },
        ],
      },
    },
  },
  {
    rule: ruleById(LIVE_RULES, 'live.errors'),
    valid: [
      { name: 'no error', events: healthy, ctx: PROBE },
      {
        name: 'a refused continuation is the continuation rule’s',
        events: [...started, liveErr(2700, 'function_call_outputs_required', 'missing output for call_2')],
        ctx: PROBE,
      },
    ],
    codes: {
      'live/forbidden-voice': {
        invalid: [
          {
            name: 'session.start with voice nova → forbidden',
            events: [
              ...upgrade(),
              ev(121, 'probe', 'live.client', { type: 'session.start', voice: 'nova', delegation: 'responses' }),
              liveErr(150, 'forbidden', "The voice 'nova' is not available for this session.", 'session.audio.output.voice', 'session_start_1'),
            ],
            ctx: PROBE,
            findings: ['error:live/forbidden-voice'],
          },
          { name: 'the plugin’s log of it', events: [logErr('forbidden', 'session.audio.output.voice')], findings: ['error:live/forbidden-voice'] },
        ],
      },
      'live/fatal-error': {
        invalid: [{ name: 'insufficient_quota from the log', events: [logErr('insufficient_quota')], findings: ['error:live/fatal-error'] }],
      },
      'live/error': {
        invalid: [
          {
            name: 'a recoverable error',
            events: [...started, liveErr(500, 'invalid_value', "Invalid value: 'session.bogus'.", 'type')],
            ctx: PROBE,
            findings: ['warning:live/error'],
          },
        ],
      },
    },
  },
  {
    rule: ruleById(LIVE_RULES, 'live.continuation'),
    valid: [{ name: 'the continuation answered', events: healthy, ctx: PROBE }],
    codes: {
      'live/continuation-refused': {
        invalid: [
          {
            name: 'response.create with call_2 open → function_call_outputs_required',
            events: [
              ...started,
              ...delegated,
              ev(2602, 'probe', 'live.client', { type: 'response.create', eventId: 'response_create_3', openCalls: ['call_2'] }),
              liveErr(
                2610,
                'function_call_outputs_required',
                'Function call outputs are required before response.create: missing output for call_2.',
                null,
                'response_create_3',
              ),
            ],
            ctx: PROBE,
            findings: ['error:live/continuation-refused'],
          },
        ],
      },
      'live/continuation-deadlock': {
        invalid: [
          {
            name: 'response.create with call_2 open, then nothing until the bound',
            events: [
              ...started,
              ...delegated,
              ev(2602, 'probe', 'live.client', { type: 'response.create', eventId: 'response_create_3', openCalls: ['call_2'] }),
              ev(5602, 'probe', 'probe.timeout', { step: 'continuation', boundMs: 3000 }),
            ],
            ctx: PROBE,
            findings: ['error:live/continuation-deadlock'],
          },
        ],
      },
    },
  },
];
