import { OPENAI_RULES } from '../../src/diagnose/rules/openai/index.js';
import { ev, line, oa, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(OPENAI_RULES, id);

const create = (ms: number, id: string) => oa(ms, 'client', { type: 'response.create', event_id: id, response: { metadata: { client_event_id: id } } });
const created = (ms: number, rid: string, metadata: Record<string, string> | null) =>
  oa(ms, 'server', { type: 'response.created', response: { id: rid, status: 'in_progress', metadata } });
const audio = (ms: number, rid: string) => oa(ms, 'server', { type: 'response.output_audio.delta', response_id: rid, delta: '<4800 bytes>' });
const done = (ms: number, rid: string, status: string, status_details: unknown = null) =>
  oa(ms, 'server', { type: 'response.done', response: { id: rid, status, status_details, output: [] } });
const apiError = (ms: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  oa(ms, 'server', { type: 'error', error: { type: 'invalid_request_error', code, message, ...extra } });
const failed = (code: string) => [
  create(0, 'rc1'),
  created(300, 'r1', { client_event_id: 'rc1' }),
  done(900, 'r1', 'failed', { type: 'failed', error: { type: 'invalid_request_error', code, message: code } }),
];

const healthy = [
  oa(0, 'server', { type: 'session.created', session: { output_modalities: ['audio'] } }),
  oa(5, 'client', { type: 'session.update', event_id: 'su1', session: { type: 'realtime' } }),
  create(30, 'rc1'),
  created(300, 'r1', { client_event_id: 'rc1' }),
  audio(500, 'r1'),
  done(900, 'r1', 'completed'),
];
const valid = [{ name: 'a healthy exchange', events: healthy }];
const FATAL_QUOTA = 'AgentSession is closing due to unrecoverable error: OpenAI Realtime API response failed with error type: insufficient_quota';

export const OPENAI_CASES: RuleCases[] = [
  {
    rule: rule('openai.connection'),
    valid: [
      ...valid,
      {
        name: 'a 101 upgrade and a client close',
        events: [ev(0, 'probe', 'probe.upgrade.response', { status: 101 }), ev(900, 'probe', 'probe.close', { code: 1000, reason: '', by: 'client' })],
      },
    ],
    codes: {
      'openai/connect-failed': {
        invalid: [
          {
            name: 'DNS fails',
            events: [ev(0, 'probe', 'probe.connect.error', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.openai.test' })],
            findings: ['error:openai/connect-failed'],
          },
        ],
      },
      'openai/upgrade-rejected': {
        invalid: [
          {
            name: 'HTTP 403 on the upgrade',
            events: [ev(0, 'probe', 'probe.upgrade.response', { status: 403, statusMessage: 'Forbidden', body: 'no access' })],
            findings: ['error:openai/upgrade-rejected'],
          },
        ],
      },
      'openai/invalid-api-key': {
        invalid: [
          {
            name: 'HTTP 401 on the upgrade',
            events: [ev(0, 'probe', 'probe.upgrade.response', { status: 401, body: 'Incorrect API key' })],
            findings: ['error:openai/invalid-api-key'],
          },
        ],
      },
      'openai/rate-limited': {
        invalid: [
          {
            name: 'HTTP 429 on the upgrade',
            events: [ev(0, 'probe', 'probe.upgrade.response', { status: 429, statusMessage: 'Too Many Requests' })],
            findings: ['error:openai/rate-limited', 'error:openai/upgrade-rejected'],
          },
        ],
      },
      'openai/session-expired': {
        invalid: [
          {
            name: 'the server closes 1001',
            events: [ev(0, 'probe', 'probe.close', { code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.', by: 'server' })],
            findings: ['error:openai/session-expired'],
          },
        ],
      },
      'openai/connection-closed': {
        valid: [
          {
            name: '0.x close right after session_expired (the expiry explains it)',
            events: [
              apiError(0, 'session_expired', 'Your session hit the maximum duration of 15 minutes.'),
              ev(20, 'log', 'log.openai.connection-error', line('Error in _recv_task\nException: OpenAI S2S connection closed unexpectedly', 'error')),
            ],
          },
          {
            name: '1.x close with no reconnect in the excerpt (the fatal-error finding tells it)',
            events: [ev(0, 'log', 'log.openai.connection-error', line('OpenAI Realtime API connection closed unexpectedly', 'error'))],
          },
          {
            name: 'livekit-agents 1.0.23: the close logged after the job\'s "process exiting" (the shutdown closed it)',
            events: [
              oa(0, 'server', { type: 'session.created', session: {} }),
              ev(30_000, 'log', 'log.job.process', { ...line('process exiting', 'info'), step: 'exiting', pid: 1 }),
              ev(30_005, 'log', 'log.openai.connection-error', line('Error in _recv_task\nException: OpenAI S2S connection closed unexpectedly', 'error')),
            ],
          },
          {
            name: 'INFO: a connect that failed and is retried (no close)',
            events: [
              ev(0, 'log', 'log.openai.connection-error', line('OpenAI Realtime API connection failed, retrying in 0.1s\nAPIStatusError: 401', 'warning')),
            ],
          },
          {
            name: 'a close an error event explains',
            events: [
              apiError(0, 'invalid_api_key', 'Incorrect API key'),
              ev(10, 'probe', 'probe.close', { code: 3000, reason: 'invalid_api_key', by: 'server' }),
            ],
          },
        ],
        invalid: [
          {
            name: 'the server closes 1011',
            events: [ev(0, 'probe', 'probe.close', { code: 1011, reason: 'internal error', by: 'server' })],
            findings: ['error:openai/connection-closed'],
          },
          {
            name: 'the agent logs a closed connection and reconnects',
            events: [
              oa(0, 'server', { type: 'session.created', session: {} }),
              ev(5_000, 'log', 'log.openai.connection-error', line('OpenAI Realtime API connection closed unexpectedly', 'warning')),
              oa(5_400, 'server', { type: 'session.created', session: {} }),
            ],
            findings: ['warning:openai/connection-closed'],
          },
          {
            name: '0.x: the receive task raised "OpenAI S2S connection closed unexpectedly", no new session',
            events: [
              oa(0, 'server', { type: 'session.created', session: {} }),
              ev(
                5_000,
                'log',
                'log.openai.connection-error',
                line('Error in _recv_task\nTraceback (most recent call last):\nException: OpenAI S2S connection closed unexpectedly', 'error'),
              ),
            ],
            findings: ['warning:openai/connection-closed'],
          },
          {
            name: 'INFO (livekit-agents 1.5+, session expired): "Error in _recv_task … connection closed unexpectedly", then "connection failed, retrying"',
            events: [
              ev(
                10_000,
                'log',
                'log.openai.connection-error',
                line('Error in _recv_task\nAPIConnectionError: OpenAI Realtime API connection closed unexpectedly', 'error'),
              ),
              ev(10_012, 'log', 'log.openai.connection-error', line('OpenAI Realtime API connection failed, retrying in 0.1s', 'warning')),
            ],
            findings: ['warning:openai/connection-closed'],
          },
        ],
      },
      'openai/step-timeout': {
        invalid: [
          {
            name: 'no session.created within the bound',
            events: [ev(0, 'probe', 'probe.timeout', { step: 'session.created', boundMs: 10_000 })],
            findings: ['error:openai/step-timeout'],
          },
        ],
      },
      'openai/model-not-found': {
        invalid: [
          {
            name: 'the REST model list lacks the model',
            events: [ev(0, 'probe', 'probe.models.check', { model: 'gpt-realtime', status: 200, found: false })],
            findings: ['error:openai/model-not-found'],
          },
        ],
      },
    },
  },
  {
    rule: rule('openai.errors'),
    valid: [
      ...valid,
      {
        name: 'a fatal record with no API error code in it',
        events: [ev(0, 'log', 'agent.fatal', { ...line('AgentSession is closing due to unrecoverable error: boom [tts]', 'error'), error: 'boom [tts]' })],
      },
      {
        name: 'a failed response.done and the fatal record: response-outcome names the quota, this rule nothing',
        events: [...failed('insufficient_quota'), ev(950, 'log', 'agent.fatal', { ...line(FATAL_QUOTA, 'error') })],
      },
    ],
    codes: {
      'openai/invalid-api-key': {
        invalid: [
          {
            name: 'error invalid_api_key',
            events: [apiError(0, 'invalid_api_key', 'Incorrect API key provided.')],
            findings: ['error:openai/invalid-api-key'],
          },
        ],
      },
      'openai/beta-shape-disabled': {
        invalid: [
          {
            name: 'error beta_api_shape_disabled',
            events: [apiError(0, 'beta_api_shape_disabled', 'The beta Realtime API shape is disabled.')],
            findings: ['error:openai/beta-shape-disabled'],
          },
        ],
      },
      'openai/invalid-model': {
        invalid: [
          {
            name: 'error invalid_model',
            events: [apiError(0, 'invalid_model', 'Model "gpt-4o" is not a realtime model.')],
            findings: ['error:openai/invalid-model'],
          },
        ],
      },
      'openai/model-not-found': {
        invalid: [
          {
            name: 'error model_not_found',
            events: [apiError(0, 'model_not_found', 'The model gpt-realtime does not exist or you do not have access to it.')],
            findings: ['error:openai/model-not-found'],
          },
          {
            name: '0.x: error access_not_enabled (no Realtime access for the organization)',
            events: [apiError(0, 'access_not_enabled', 'Your organization does not have access to the Realtime API.')],
            findings: ['error:openai/model-not-found'],
          },
        ],
      },
      'openai/quota-exceeded': {
        invalid: [
          {
            name: 'error insufficient_quota',
            events: [apiError(0, 'insufficient_quota', 'You exceeded your current quota.')],
            findings: ['error:openai/quota-exceeded'],
          },
          {
            name: 'INFO log: only the fatal record names insufficient_quota (livekit-agents 1.6.10 / 1.8.9, agents-js 1.9.0)',
            events: [ev(0, 'log', 'agent.fatal', { ...line(FATAL_QUOTA, 'error'), error: FATAL_QUOTA.split(': ').slice(1).join(': ') })],
            findings: ['error:openai/quota-exceeded'],
          },
          {
            name: 'the error event and the fatal record: one finding',
            events: [
              apiError(0, 'insufficient_quota', 'You exceeded your current quota.'),
              ev(50, 'log', 'agent.fatal', { ...line(FATAL_QUOTA, 'error'), error: FATAL_QUOTA.split(': ').slice(1).join(': ') }),
            ],
            findings: ['error:openai/quota-exceeded'],
          },
        ],
      },
      'openai/rate-limited': {
        invalid: [
          { name: 'error rate_limit_exceeded', events: [apiError(0, 'rate_limit_exceeded', 'Rate limit reached.')], findings: ['error:openai/rate-limited'] },
        ],
      },
      'openai/session-expired': {
        invalid: [
          {
            name: 'error session_expired',
            events: [apiError(0, 'session_expired', 'Your session hit the maximum duration.')],
            findings: ['error:openai/session-expired'],
          },
        ],
      },
      'openai/active-response-conflict': {
        invalid: [
          {
            name: 'a second response.create while one is active',
            events: [
              oa(0, 'server', { type: 'response.created', response: { id: 'r_vad', metadata: null } }),
              create(40, 'rc_gen'),
              apiError(60, 'conversation_already_has_active_response', 'Conversation already has an active response in progress: r_vad.', {
                event_id: 'rc_gen',
              }),
            ],
            findings: ['error:openai/active-response-conflict'],
          },
        ],
      },
      'openai/truncate-rejected': {
        invalid: [
          {
            name: 'a truncate at audio_end_ms=0',
            events: [
              oa(0, 'client', { type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 0 }),
              apiError(30, 'unsupported_content_type', 'Only model output audio messages can be truncated'),
            ],
            findings: ['error:openai/truncate-rejected'],
          },
          {
            name: 'a truncate with audio_end_ms null (agents-js DataStream avatars before 1.4.7), rejected invalid_type',
            events: [
              oa(0, 'client', { type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: null }),
              apiError(30, 'invalid_type', "Invalid type for 'audio_end_ms': expected an integer, but got null instead.", { param: 'audio_end_ms' }),
            ],
            findings: ['error:openai/truncate-rejected'],
          },
          {
            name: 'invalid_type on audio_end_ms with no truncate in the trace (an INFO log)',
            events: [apiError(30, 'invalid_type', "Invalid type for 'audio_end_ms': expected an integer, but got null instead.", { param: 'audio_end_ms' })],
            findings: ['error:openai/truncate-rejected'],
          },
        ],
        valid: [
          {
            name: 'a truncate at a played position, answered conversation.item.truncated',
            events: [
              oa(0, 'client', { type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 1200 }),
              oa(30, 'server', { type: 'conversation.item.truncated', item_id: 'item_1', content_index: 0, audio_end_ms: 1200 }),
            ],
          },
          {
            name: 'invalid_type on another param is not a truncate',
            events: [apiError(30, 'invalid_type', "Invalid type for 'response': expected an object.", { param: 'response' })],
          },
        ],
      },
      'openai/temperature-out-of-range': {
        valid: [
          {
            name: 'a GA session.update with a temperature',
            events: [oa(0, 'client', { type: 'session.update', session: { type: 'realtime', temperature: 0.3 } })],
          },
        ],
        invalid: [
          {
            name: 'a beta session.update with temperature 0.3',
            events: [oa(0, 'client', { type: 'session.update', session: { temperature: 0.3 } })],
            findings: ['error:openai/temperature-out-of-range'],
          },
        ],
      },
      'openai/session-update-rejected': {
        invalid: [
          {
            name: 'session.update with an unknown parameter',
            events: [
              oa(0, 'client', { type: 'session.update', event_id: 'su1', session: { type: 'realtime', voice: 'alloy' } }),
              apiError(20, 'unknown_parameter', "Unknown parameter: 'session.voice'.", { event_id: 'su1', param: 'session.voice' }),
            ],
            findings: ['error:openai/session-update-rejected'],
          },
          {
            name: 'an INFO-level log: no session.update, the error names a session field',
            events: [
              apiError(0, 'unknown_parameter', "Unknown parameter: 'session.tools[2].meta'.", {
                event_id: 'tools_update_ddd408f9eb85',
                param: 'session.tools[2].meta',
              }),
            ],
            findings: ['error:openai/session-update-rejected'],
          },
        ],
        valid: [
          {
            name: 'an unknown parameter of a response.create (not a session field)',
            events: [apiError(0, 'unknown_parameter', "Unknown parameter: 'response.foo'.", { param: 'response.foo' })],
          },
        ],
      },
      'openai/chat-item-rejected': {
        invalid: [
          {
            name: "an item id the API's pattern refuses, INFO-level log (livekit/agents#1717)",
            events: [
              apiError(0, 'invalid_value', "Invalid 'item.id': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", {
                event_id: 'chat_ctx_create_2d3051e3fd6b',
                param: 'item.id',
              }),
            ],
            findings: ['error:openai/chat-item-rejected'],
          },
          {
            name: 'the conversation.item.create it answers is in the debug log',
            events: [
              oa(0, 'client', { type: 'conversation.item.create', event_id: 'ci1', item: { id: 'item 1', type: 'message', role: 'user', content: [] } }),
              apiError(20, 'invalid_value', "Invalid 'item.id': string does not match pattern.", { event_id: 'ci1', param: 'item.id' }),
            ],
            findings: ['error:openai/chat-item-rejected'],
          },
        ],
        valid: [
          {
            name: 'an error answering a response.create (not an item)',
            events: [
              oa(0, 'client', { type: 'response.create', event_id: 'rc1' }),
              apiError(20, 'invalid_value', "Invalid value: 'x'.", { event_id: 'rc1', param: 'response.modalities' }),
            ],
          },
        ],
      },
    },
  },
  {
    rule: rule('openai.response-timing'),
    valid,
    codes: {
      'openai/generate-reply-timeout-risk': {
        valid: [{ name: 'response.created after 4 s', events: [create(0, 'rc1'), created(4_000, 'r1', { client_event_id: 'rc1' })] }],
        invalid: [
          {
            name: 'response.created after 11.2 s',
            events: [create(0, 'rc1'), created(11_200, 'r1', { client_event_id: 'rc1' })],
            findings: ['error:openai/generate-reply-timeout-risk'],
          },
          {
            name: 'response.created after 6 s',
            events: [create(0, 'rc1'), created(6_000, 'r1', { client_event_id: 'rc1' })],
            findings: ['warning:openai/generate-reply-timeout-risk'],
          },
          {
            name: '@livekit/agents 1.0.51 (no generateReply timeout before the plugin 1.4.11): 11.2 s is a slow reply, a warning',
            events: [
              ev(-5_000, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'node', version: '1.0.51' }),
              create(0, 'rc1'),
              created(11_200, 'r1', { client_event_id: 'rc1' }),
            ],
            findings: ['warning:openai/generate-reply-timeout-risk'],
          },
        ],
      },
      'openai/metadata-not-echoed': {
        invalid: [
          {
            name: 'response.created without the metadata',
            events: [create(0, 'rc1'), created(300, 'r1', null)],
            findings: ['error:openai/metadata-not-echoed'],
          },
        ],
      },
    },
  },
  {
    rule: rule('openai.response-outcome'),
    valid,
    codes: {
      'openai/response-cancelled': {
        invalid: [
          {
            name: 'server VAD cancels the response (turn_detected)',
            events: [
              created(0, 'r1', null),
              oa(400, 'server', { type: 'input_audio_buffer.speech_started', audio_start_ms: 900 }),
              done(450, 'r1', 'cancelled', { type: 'cancelled', reason: 'turn_detected' }),
            ],
            findings: ['warning:openai/response-cancelled'],
          },
        ],
      },
      'openai/response-incomplete': {
        invalid: [
          {
            name: 'max_output_tokens reached',
            events: [created(0, 'r1', null), done(900, 'r1', 'incomplete', { type: 'incomplete', reason: 'max_output_tokens' })],
            findings: ['warning:openai/response-incomplete'],
          },
        ],
      },
      'openai/response-failed': { invalid: [{ name: 'server_error', events: failed('server_error'), findings: ['error:openai/response-failed'] }] },
      'openai/no-audio-output': {
        valid: [
          {
            name: 'a text-only session',
            events: [
              oa(0, 'server', { type: 'session.updated', session: { output_modalities: ['text'] } }),
              created(10, 'r1', null),
              done(900, 'r1', 'completed'),
            ],
          },
        ],
        invalid: [
          { name: 'completed with no audio delta', events: [created(0, 'r1', null), done(900, 'r1', 'completed')], findings: ['error:openai/no-audio-output'] },
        ],
      },
      'openai/invalid-api-key': {
        invalid: [{ name: 'failed with invalid_api_key', events: failed('invalid_api_key'), findings: ['error:openai/invalid-api-key'] }],
      },
      'openai/beta-shape-disabled': {
        invalid: [{ name: 'failed with beta_api_shape_disabled', events: failed('beta_api_shape_disabled'), findings: ['error:openai/beta-shape-disabled'] }],
      },
      'openai/invalid-model': { invalid: [{ name: 'failed with missing_model', events: failed('missing_model'), findings: ['error:openai/invalid-model'] }] },
      'openai/model-not-found': {
        invalid: [{ name: 'failed with model_not_found', events: failed('model_not_found'), findings: ['error:openai/model-not-found'] }],
      },
      'openai/quota-exceeded': {
        invalid: [{ name: 'failed with insufficient_quota', events: failed('insufficient_quota'), findings: ['error:openai/quota-exceeded'] }],
      },
      'openai/rate-limited': {
        invalid: [{ name: 'failed with rate_limit_exceeded', events: failed('rate_limit_exceeded'), findings: ['error:openai/rate-limited'] }],
      },
      'openai/session-expired': {
        invalid: [{ name: 'failed with session_expired', events: failed('session_expired'), findings: ['error:openai/session-expired'] }],
      },
      'openai/active-response-conflict': {
        invalid: [
          {
            name: 'failed with conversation_already_has_active_response',
            events: failed('conversation_already_has_active_response'),
            findings: ['error:openai/active-response-conflict'],
          },
        ],
      },
      'openai/truncate-rejected': {
        invalid: [{ name: 'failed with unsupported_content_type', events: failed('unsupported_content_type'), findings: ['error:openai/truncate-rejected'] }],
      },
    },
  },
  {
    rule: rule('openai.text-only'),
    valid: [{ name: 'no text-only answer', events: [ev(0, 'log', 'agent.state', { ...line('agent state changed'), from: 'listening', to: 'speaking' })] }],
    codes: {
      'openai/text-only-response': {
        invalid: [
          {
            name: '1.2+: "Text response received from OpenAI Realtime API in audio modality."',
            events: [
              ev(0, 'log', 'log.openai.text-in-audio', {
                ...line('Text response received from OpenAI Realtime API in audio modality.', 'error'),
                logger: 'livekit.plugins.openai',
              }),
            ],
            findings: ['warning:openai/text-only-response'],
          },
          {
            name: '1.0.x: a text-only answer the plugin recovered from',
            events: [
              ev(0, 'log', 'log.openai.text-in-audio', {
                ...line('received text-only response from realtime API', 'warning'),
                logger: 'livekit.plugins.openai',
              }),
              ev(10, 'log', 'log.openai.text-only-recovery', {
                ...line('trying to recover from text-only response', 'warning'),
                outcome: 'trying',
                retries: 1,
              }),
              ev(900, 'log', 'log.openai.text-only-recovery', { ...line('recovered from text-only response', 'info'), outcome: 'recovered', retries: 1 }),
            ],
            findings: ['warning:openai/text-only-response'],
          },
        ],
      },
      'openai/text-only-recovery-failed': {
        invalid: [
          {
            name: '1.0.x: "failed to recover from text-only response" after 5 retries',
            events: [
              ev(0, 'log', 'log.openai.text-in-audio', {
                ...line('received text-only response from realtime API', 'warning'),
                logger: 'livekit.plugins.openai',
              }),
              ev(10, 'log', 'log.openai.text-only-recovery', {
                ...line('trying to recover from text-only response', 'warning'),
                outcome: 'trying',
                retries: 1,
              }),
              ev(5000, 'log', 'log.openai.text-only-recovery', {
                ...line('failed to recover from text-only response', 'error'),
                outcome: 'failed',
                retries: 5,
              }),
            ],
            findings: ['error:openai/text-only-recovery-failed'],
          },
          {
            name: '1.0.x: recovery cancelled, generate_reply had timed out',
            events: [ev(0, 'log', 'log.openai.text-only-recovery', { ...line('generate_reply timed out, cancel recovery', 'error'), outcome: 'cancelled' })],
            findings: ['error:openai/text-only-recovery-failed'],
          },
        ],
      },
    },
  },
  {
    rule: rule('openai.only-first-message'),
    valid: [
      {
        name: 'a text-only warning is not a dropped message',
        events: [ev(0, 'log', 'log.openai.text-in-audio', { ...line('Text response received from OpenAI Realtime API in audio modality.', 'warning') })],
      },
    ],
    codes: {
      'openai/only-first-message-played': {
        invalid: [
          {
            name: 'livekit-agents < 1.5.12: a gpt-realtime-2 preamble played, the answer dropped',
            events: [
              ev(0, 'log', 'agent.state', { ...line('agent state changed'), from: 'thinking', to: 'speaking' }),
              ev(900, 'log', 'log.openai.extra-message-dropped', {
                ...line('expected to receive only one message generation from the realtime API', 'warning'),
                logger: 'livekit.agents',
              }),
            ],
            findings: ['error:openai/only-first-message-played'],
          },
        ],
      },
    },
  },
  {
    rule: rule('openai.fatal-error-loop'),
    valid: [
      ...valid,
      {
        name: 'livekit-agents >= 1.6.6: the same fatal error, then the unrecoverable-error record (it gave up)',
        events: [
          apiError(0, 'invalid_api_key', 'Incorrect API key provided'),
          apiError(200, 'invalid_api_key', 'Incorrect API key provided'),
          apiError(400, 'invalid_api_key', 'Incorrect API key provided'),
          ev(450, 'log', 'agent.fatal', { ...line('AgentSession is closing due to unrecoverable error', 'error'), error: 'invalid_api_key' }),
        ],
      },
      {
        name: 'two errors are a retry, not a loop',
        events: [apiError(0, 'insufficient_quota', 'You exceeded your current quota'), apiError(300, 'insufficient_quota', 'You exceeded your current quota')],
      },
      {
        name: 'a DEBUG log: one error logged twice (the event, then the record) is one',
        events: [
          oa(0, 'server', { type: 'error', event_id: 'event_1', error: { code: 'invalid_api_key', message: 'Incorrect API key provided' } }),
          apiError(3, 'invalid_api_key', 'Incorrect API key provided'),
          oa(200, 'server', { type: 'error', event_id: 'event_2', error: { code: 'invalid_api_key', message: 'Incorrect API key provided' } }),
          apiError(203, 'invalid_api_key', 'Incorrect API key provided'),
        ],
      },
      {
        name: 'a retryable error repeated (rate limit) is not this',
        events: [0, 100, 200, 300].map((ms) => apiError(ms, 'rate_limit_exceeded', 'Rate limit reached')),
      },
    ],
    codes: {
      'openai/fatal-error-loop': {
        invalid: [
          {
            name: 'livekit-agents < 1.6.6: invalid_api_key, "connection failed, retrying", again and again',
            events: [0, 120, 240].flatMap((ms) => [
              apiError(ms, 'invalid_api_key', 'Incorrect API key provided'),
              ev(ms + 10, 'log', 'log.openai.connection-error', { ...line('OpenAI Realtime API connection failed, retrying in 0.1s', 'warning') }),
            ]),
            findings: ['error:openai/fatal-error-loop'],
          },
          {
            name: 'agents-js < 1.6.0 at INFO: only the errors, 20 ms apart',
            events: [0, 20, 40, 60, 80].map((ms) => apiError(ms, 'insufficient_quota', 'You exceeded your current quota')),
            findings: ['error:openai/fatal-error-loop'],
          },
        ],
      },
    },
  },
];
