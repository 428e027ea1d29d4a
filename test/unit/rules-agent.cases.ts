import { AGENT_RULES } from '../../src/diagnose/rules/agent/index.js';
import { ev, line, oa, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(AGENT_RULES, id);
const create = (ms: number, id: string) => oa(ms, 'client', { type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
const created = (ms: number, rid: string, metadata: Record<string, string> | null) =>
  oa(ms, 'server', { type: 'response.created', response: { id: rid, status: 'in_progress', metadata } });
const timedOut = (ms: number) =>
  ev(ms, 'log', 'agent.generate-reply-failed', {
    ...line('failed to generate a reply: generate_reply timed out.', 'error'),
    inner: 'generate_reply timed out.',
    timeout: true,
  });
const speech = (ms: number) => oa(ms, 'server', { type: 'input_audio_buffer.speech_started', audio_start_ms: 100 });
const state = (ms: number, to: string, source: 'session' | 'room' = 'session') => ev(ms, source, 'agent.state', { to });
const cancelNotActive = (ms: number) =>
  oa(ms, 'server', {
    type: 'error',
    error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found' },
  });
const committed = (ms: number) => oa(ms, 'server', { type: 'input_audio_buffer.committed', item_id: 'item_1' });

/** A healthy turn: the user speaks, the server commits, the agent answers with audio. */
const healthy = [
  speech(0),
  committed(1_500),
  created(1_600, 'resp_1', null),
  oa(1_900, 'server', { type: 'response.output_audio.delta', response_id: 'resp_1', delta: '<4800 bytes>' }),
  state(2_000, 'speaking'),
  oa(4_000, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed', output: [] } }),
  ev(20_000, 'room', 'room.closed', {}),
];
const valid = [{ name: 'a healthy turn', events: healthy }];
/** agents-js's `starting worker` record with its version (log.framework). */
const nodeWorker = (version: string) => ev(-5_000, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'node', version });
/** generate_reply's response.create answered 11 s later (the simulator's delay-created=11000). */
const slowReply = [create(0, 'rc_s'), created(11_000, 'resp_s', { client_event_id: 'rc_s' }), ev(20_000, 'room', 'room.closed', {})];

export const AGENT_CASES: RuleCases[] = [
  {
    rule: rule('agent.generate-reply-timeout'),
    valid: [
      ...valid,
      {
        name: 'a generate_reply answered in time',
        events: [create(0, 'rc_a'), created(800, 'resp_a', { client_event_id: 'rc_a' }), ev(20_000, 'room', 'room.closed', {})],
      },
    ],
    codes: {
      'agent/generate-reply-timeout': {
        invalid: [
          {
            name: 'the agent logs the timeout 10 s after a rejected response.create',
            events: [
              created(0, 'r_vad', null),
              create(200, 'rc_1'),
              oa(220, 'server', {
                type: 'error',
                error: { code: 'conversation_already_has_active_response', message: 'Conversation already has an active response.', event_id: 'rc_1' },
              }),
              timedOut(10_200),
            ],
            findings: ['error:agent/generate-reply-timeout'],
          },
          {
            name: 'room only: thinking → listening 10 s later',
            events: [state(0, 'thinking', 'room'), state(10_050, 'listening', 'room')],
            findings: ['error:agent/generate-reply-timeout'],
          },
          {
            name: '@livekit/agents 1.9.0 (a 10 s timeout): response.created 11 s after the response.create',
            events: [nodeWorker('1.9.0'), ...slowReply],
            findings: ['error:agent/generate-reply-timeout'],
          },
          {
            name: '@livekit/agents 1.0.51 (no timeout before the plugin 1.4.11): the same 11 s is a slow reply, a warning',
            events: [nodeWorker('1.0.51'), ...slowReply],
            findings: ['warning:agent/generate-reply-timeout'],
          },
          {
            name: '@livekit/agents 1.4.7: a rejected response.create never answered waits on, a warning',
            events: [
              nodeWorker('1.4.7'),
              created(0, 'r_vad', null),
              create(200, 'rc_1'),
              oa(220, 'server', {
                type: 'error',
                error: { code: 'conversation_already_has_active_response', message: 'Conversation already has an active response.', event_id: 'rc_1' },
              }),
              ev(20_000, 'room', 'room.closed', {}),
            ],
            findings: ['warning:agent/generate-reply-timeout'],
          },
        ],
        valid: [
          {
            name: '@livekit/agents 1.4.7, room only: thinking → listening 10 s later is no timeout signature (none exists)',
            events: [nodeWorker('1.4.7'), state(0, 'thinking', 'room'), state(10_050, 'listening', 'room')],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.cancelled-by-user-speech'),
    valid,
    codes: {
      'agent/response-cancelled-by-user-speech': {
        valid: [
          {
            name: "livekit-agents 1.0–1.3's bare response.cancel on speech_started, no response active: rejected response_cancel_not_active",
            events: [
              oa(0, 'server', { type: 'session.created', session: {} }),
              speech(500),
              oa(502, 'client', { type: 'response.cancel' }),
              cancelNotActive(530),
              created(1_900, 'resp_1', null),
              oa(4_000, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed', output: [] } }),
            ],
          },
          {
            name: 'a cancel with no response active (the last one completed) nor in flight, and no answer logged',
            events: [
              created(0, 'resp_1', null),
              oa(300, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed', output: [] } }),
              speech(500),
              oa(502, 'client', { type: 'response.cancel' }),
            ],
          },
          {
            name: 'a cancel that came too late: the response it could target completed',
            events: [
              created(0, 'resp_1', null),
              speech(500),
              oa(502, 'client', { type: 'response.cancel' }),
              oa(510, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed', output: [] } }),
            ],
          },
        ],
        invalid: [
          {
            name: 'an excerpt with a cancel after speech and no response in it: unsettled, kept',
            events: [oa(0, 'server', { type: 'session.created', session: {} }), speech(500), oa(502, 'client', { type: 'response.cancel' })],
            findings: ['warning:agent/response-cancelled-by-user-speech'],
          },
          {
            name: 'response.cancel 120 ms after speech started, before any audio',
            events: [created(0, 'resp_1', null), speech(500), oa(620, 'client', { type: 'response.cancel' })],
            findings: ['warning:agent/response-cancelled-by-user-speech'],
          },
          {
            name: "the cancel is rejected, but the server's turn detection had cancelled the response on the same speech",
            events: [
              created(0, 'resp_1', null),
              speech(500),
              oa(502, 'client', { type: 'response.cancel' }),
              oa(510, 'server', {
                type: 'response.done',
                response: { id: 'resp_1', status: 'cancelled', status_details: { type: 'cancelled', reason: 'turn_detected' } },
              }),
              cancelNotActive(530),
            ],
            findings: ['warning:agent/response-cancelled-by-user-speech'],
          },
          {
            name: 'a bare cancel that cancelled the response in flight (its response.created not yet seen)',
            events: [
              oa(0, 'server', { type: 'session.created', session: {} }),
              speech(500),
              oa(502, 'client', { type: 'response.cancel' }),
              created(520, 'resp_1', null),
              oa(530, 'server', {
                type: 'response.done',
                response: { id: 'resp_1', status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } },
              }),
            ],
            findings: ['warning:agent/response-cancelled-by-user-speech'],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.reply-never-spoken'),
    valid,
    codes: {
      'agent/reply-never-spoken': {
        valid: [{ name: 'the session closed 5 ms after the commit (no basis)', events: [committed(0), ev(5, 'room', 'room.closed', {})] }],
        invalid: [
          {
            name: 'a committed turn, nothing for 15 s',
            events: [committed(0), ev(16_000, 'room', 'room.closed', {})],
            findings: ['error:agent/reply-never-spoken'],
          },
          {
            name: 'the trace ends 5 s after the turn',
            events: [committed(0), ev(5_000, 'room', 'room.participant.left', { identity: 'user' })],
            findings: ['warning:agent/reply-never-spoken'],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.false-interruption'),
    valid,
    codes: {
      'agent/false-interruption': {
        invalid: [
          {
            name: 'one false interruption, logged and sent as a session event',
            events: [
              ev(0, 'log', 'agent.false-interruption', { ...line('resumed false interrupted speech', 'info') }),
              ev(100, 'session', 'agent.false-interruption', { resumed: true }),
            ],
            findings: ['warning:agent/false-interruption'],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.fatal-error'),
    valid: [...valid, { name: 'a recoverable session error', events: [ev(0, 'session', 'agent.error', { message: 'stt timeout', recoverable: true })] }],
    codes: {
      'agent/fatal-error': {
        invalid: [
          {
            name: 'a non-recoverable session error',
            events: [ev(0, 'session', 'agent.error', { message: 'invalid_api_key', recoverable: false })],
            findings: ['error:agent/fatal-error'],
          },
          {
            name: "one fatal error in the log and in the session report (trace log report.json agent.log): one finding, the log's",
            events: [
              ev(0, 'report', 'agent.error', {
                message: 'realtime_model_error from livekit.plugins.openai.realtime.realtime_model.RealtimeModel',
                recoverable: false,
              }),
              ev(2, 'log', 'agent.fatal', { ...line('AgentSession is closing due to unrecoverable error', 'error'), error: 'insufficient_quota' }),
            ],
            findings: ['error:agent/fatal-error'],
          },
          {
            name: 'a session report alone: its unrecoverable error',
            events: [ev(0, 'report', 'agent.error', { message: 'realtime_model_error from RealtimeModel', recoverable: false })],
            findings: ['error:agent/fatal-error'],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.report-without-events'),
    valid: [
      ...valid,
      {
        name: 'a report with events',
        events: [ev(0, 'report', 'agent.session-report', { jobId: 'AJ_1', sdkVersion: '1.8.9', events: 31, messages: 4 })],
      },
      {
        name: 'an empty report merged with the agent log of the session',
        events: [
          ev(0, 'report', 'agent.session-report', { jobId: 'AJ_1', sdkVersion: '1.9.0', events: 0, messages: 4 }),
          ev(10, 'log', 'agent.state', { ...line('Agent state changed', 'debug'), from: 'initializing', to: 'listening' }),
        ],
      },
    ],
    codes: {
      'agent/report-without-events': {
        invalid: [
          {
            name: 'an @livekit/agents report written without recording: chat messages only',
            events: [
              ev(0, 'report', 'agent.session-report', { jobId: 'AJ_1', sdkVersion: '1.9.0', events: 0, messages: 2 }),
              ev(5, 'report', 'conversation.item', { role: 'user', text: 'hello' }),
            ],
            findings: ['warning:agent/report-without-events'],
          },
        ],
      },
    },
  },
  {
    rule: rule('agent.latency-summary'),
    valid,
    codes: {
      'agent/latency-summary': {
        invalid: [
          {
            name: 'a session item with metrics',
            events: [
              ev(0, 'session', 'conversation.item', {
                role: 'assistant',
                text: 'Hi!',
                interrupted: false,
                metrics: { e2eLatency: 0.8, llmNodeTtft: 0.3, endOfTurnDelay: 0.5 },
              }),
            ],
            findings: ['info:agent/latency-summary'],
          },
        ],
      },
    },
  },
];
