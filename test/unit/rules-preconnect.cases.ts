import { PRECONNECT_RULES } from '../../src/diagnose/rules/preconnect/index.js';
import { ev, line, oa, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(PRECONNECT_RULES, id);
const connected = ev(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: 'lkdiag-user' });
const published = (flag = true) =>
  ev(400, 'client', 'client.track.published', { trackSid: 'TR_mic', features: flag ? ['TF_PRECONNECT_BUFFER'] : [], preconnectFlag: flag, requested: flag });
const active = ev(1_500, 'client', 'client.agent.active', { identity: 'agent-AJ_1' });
const opened = (trackId: string | null = 'TR_mic', destination = 'agent-AJ_1') =>
  ev(1_510, 'client', 'client.preconnect.opened', {
    streamId: 's1',
    trackId,
    sampleRate: '24000',
    channels: '1',
    destination,
    mimeType: 'application/octet-stream',
    pendingMs: 0,
  });
const closed = (at = 1_900, reason = 'subscribed') => ev(at, 'client', 'client.preconnect.closed', { bytes: 72_000, audioMs: 1_500, speechMs: 1_200, reason });
const received = (at = 2_000) => ev(at, 'log', 'log.preconnect.received', { ...line('pre-connect audio received'), duration: 1.5, trackId: 'TR_mic' });
const pushed = (at = 2_010) => ev(at, 'log', 'log.preconnect.pushed', { ...line('pre-connect audio buffer pushed'), duration: 1.5, trackId: 'TR_mic' });
const logLine = (
  at: number,
  kind: 'log.preconnect.timeout' | 'log.preconnect.registered-late' | 'log.preconnect.no-track-id' | 'log.preconnect.not-completed',
  message: string,
) => ev(at, 'log', kind, { ...line(message, 'warning') });

const consumedRun = [connected, published(), active, opened(), closed(), received(), pushed()];
const noPreconnect = [{ name: 'no pre-connect anywhere', events: [oa(0, 'server', { type: 'session.created', session: {} })] }];

const roomMic = (at: number, features: string[]) =>
  ev(at, 'room', 'room.track.published', { identity: 'web-user', trackSid: 'TR_web', source: 'microphone', features });
const roomAgent = (at: number, attributes: Record<string, string> = {}, identity = 'agent-AJ_1') =>
  ev(at, 'room', 'room.participant.joined', { identity, kind: 'agent', attributes });
const roomActive = (at: number) => ev(at, 'room', 'room.participant.active', { identity: 'agent-AJ_1', kind: 'agent' });

export const PRECONNECT_CASES: RuleCases[] = [
  {
    rule: rule('preconnect.outcome'),
    valid: noPreconnect,
    codes: {
      'preconnect/consumed': { invalid: [{ name: 'received and pushed', events: consumedRun, findings: ['info:preconnect/consumed'] }] },
      'preconnect/not-consumed': {
        invalid: [
          {
            name: 'sent, and a DEBUG agent log never shows it arriving',
            events: [connected, published(), active, opened(), closed(), ev(2_500, 'log', 'log.job.received', { ...line('received job request') })],
            findings: ['error:preconnect/not-consumed'],
          },
          { name: 'sent, nothing known', events: [connected, published(), active, opened(), closed()], findings: ['warning:preconnect/not-consumed'] },
        ],
      },
    },
  },
  {
    rule: rule('preconnect.agent-presence'),
    valid: [{ name: 'the agent became ACTIVE', events: consumedRun }],
    codes: {
      'preconnect/agent-not-active': {
        invalid: [
          {
            name: 'joined, never ACTIVE before the client timeout',
            events: [
              connected,
              ev(1_000, 'client', 'client.agent.joined', { identity: 'agent-AJ_1' }),
              ev(10_000, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 10_000 }),
            ],
            findings: ['error:preconnect/agent-not-active'],
          },
        ],
      },
      'preconnect/no-agent-dispatched': {
        invalid: [
          {
            name: 'no agent joined: the dispatch has no job',
            events: [
              connected,
              ev(10_300, 'server', 'server.dispatch.state', { id: 'AD_2', agentName: 'nobody', jobs: [] }),
              ev(10_400, 'client', 'client.timeout', { wait: 'agent-active', boundMs: 10_000 }),
            ],
            findings: ['error:preconnect/no-agent-dispatched'],
          },
        ],
      },
    },
  },
  {
    rule: rule('preconnect.client'),
    valid: [...noPreconnect, { name: 'received and pushed', events: consumedRun }],
    codes: {
      'preconnect/flag-missing': {
        invalid: [
          {
            name: 'published without the flag, buffer sent',
            events: [connected, published(false), active, opened(), closed(), received()],
            findings: ['error:preconnect/flag-missing'],
          },
        ],
      },
      'preconnect/missing-track-id': {
        invalid: [
          {
            name: 'sent without a trackId; the agent says so',
            events: [
              connected,
              published(),
              active,
              opened(null),
              closed(),
              logLine(2_000, 'log.preconnect.no-track-id', 'pre-connect audio received but no trackId'),
            ],
            findings: ['error:preconnect/missing-track-id'],
          },
        ],
      },
      'preconnect/not-completed-in-time': {
        invalid: [
          {
            name: 'the stream stays open 4 s',
            events: [connected, published(), active, opened(), closed(5_600, 'agent-subscribed')],
            findings: ['error:preconnect/not-completed-in-time'],
          },
        ],
      },
    },
  },
  {
    rule: rule('preconnect.agent'),
    valid: [...noPreconnect, { name: 'received and pushed', events: consumedRun }],
    codes: {
      'preconnect/handler-registered-late': {
        invalid: [
          {
            name: 'handler registered after connecting; the buffer dropped',
            events: [
              logLine(
                0,
                'log.preconnect.registered-late',
                'pre-connect audio handler registered after room connection, start RoomIO before ctx.connect() to capture all audio',
              ),
              ev(10, 'log', 'log.preconnect.ignored', {
                ...line("ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached"),
                framework: 'python',
              }),
            ],
            findings: ['error:preconnect/handler-registered-late'],
          },
        ],
      },
      'preconnect/no-handler': {
        invalid: [
          {
            name: 'the byte stream had no handler',
            events: [
              ev(10, 'log', 'log.preconnect.ignored', {
                ...line("ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached"),
                framework: 'python',
              }),
            ],
            findings: ['error:preconnect/no-handler'],
          },
        ],
      },
      'preconnect/agent-unsupported': {
        invalid: [
          {
            name: 'an agents-js agent dropped the stream',
            events: [
              connected,
              published(),
              active,
              opened(),
              ev(1_600, 'log', 'log.preconnect.ignored', {
                ...line('ignoring incoming byte stream due to no handler for topic lk.agent.pre-connect-audio-buffer'),
                framework: 'node',
              }),
            ],
            findings: ['error:preconnect/agent-unsupported'],
          },
        ],
      },
      'preconnect/buffer-too-old': {
        invalid: [
          {
            name: 'a snapshot buffer, too old when read',
            events: [
              connected,
              published(),
              active,
              opened(),
              closed(1_520, 'snapshot'),
              ev(4_000, 'log', 'log.preconnect.too-old', { ...line('pre-connect audio buffer is too old', 'warning'), deltaTime: 2.4 }),
            ],
            findings: ['error:preconnect/buffer-too-old'],
          },
        ],
      },
      'preconnect/timeout-waiting': {
        invalid: [
          {
            name: 'the agent log alone: it waited 3 s for no buffer',
            events: [logLine(0, 'log.preconnect.timeout', 'timeout waiting for pre-connect audio buffer')],
            findings: ['error:preconnect/timeout-waiting'],
          },
        ],
      },
    },
  },
  {
    rule: rule('preconnect.interrupted'),
    valid: [
      {
        name: 'received and pushed, the reply completed',
        events: [
          ...consumedRun,
          oa(2_400, 'server', { type: 'response.created', response: { id: 'resp_1' } }),
          oa(4_000, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed' } }),
        ],
      },
      {
        name: "livekit-agents 1.0–1.3: the bare response.cancel on the buffer's speech_started is rejected (no response active), the reply then completes",
        events: [
          ...consumedRun,
          oa(2_015, 'server', { type: 'input_audio_buffer.speech_started', audio_start_ms: 0 }),
          oa(2_017, 'client', { type: 'response.cancel' }),
          oa(2_045, 'server', {
            type: 'error',
            error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found' },
          }),
          oa(2_400, 'server', { type: 'response.created', response: { id: 'resp_1' } }),
          oa(4_000, 'server', { type: 'response.done', response: { id: 'resp_1', status: 'completed' } }),
        ],
      },
    ],
    codes: {
      'preconnect/interrupted-by-live-audio': {
        invalid: [
          {
            name: 'the bare cancel on speech_started cancels the reply to the buffer in flight (client_cancelled)',
            events: [
              ...consumedRun,
              oa(2_015, 'server', { type: 'input_audio_buffer.speech_started', audio_start_ms: 0 }),
              oa(2_017, 'client', { type: 'response.cancel' }),
              oa(2_030, 'server', { type: 'response.created', response: { id: 'resp_1' } }),
              oa(2_035, 'server', {
                type: 'response.done',
                response: { id: 'resp_1', status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' } },
              }),
            ],
            findings: ['error:preconnect/interrupted-by-live-audio'],
          },
          {
            name: 'the reply to the buffer is cancelled when live speech starts',
            events: [
              ...consumedRun,
              oa(2_400, 'server', { type: 'response.created', response: { id: 'resp_1' } }),
              ev(3_100, 'log', 'user.state', { ...line('User state changed from: listening to speaking', 'info'), from: 'listening', to: 'speaking' }),
              oa(3_100, 'client', { type: 'response.cancel' }),
            ],
            findings: ['error:preconnect/interrupted-by-live-audio'],
          },
        ],
      },
    },
  },
  {
    rule: rule('preconnect.lost-first-words'),
    valid: [
      { name: 'the buffer was pushed', events: consumedRun },
      {
        name: 'the microphone came after the agent was ACTIVE',
        events: [
          connected,
          active,
          ev(1_700, 'client', 'client.track.published', { trackSid: 'TR_mic', features: [], preconnectFlag: false, requested: false }),
        ],
      },
      { name: 'a flagless microphone 0.3 s before ACTIVE (join jitter)', events: [roomMic(1_200, []), roomAgent(1_300), roomActive(1_500)] },
      {
        name: 'a buffer sent to the listening agent and not used (preconnect/not-consumed explains it)',
        events: [connected, published(), active, opened(), closed()],
      },
      { name: 'no agent ever ACTIVE', events: [roomMic(200, [])] },
      {
        name: 'a buffer the agent discarded for its own reason (preconnect/missing-track-id names it)',
        events: [
          roomMic(200, ['TF_PRECONNECT_BUFFER']),
          roomAgent(3_000),
          roomActive(3_100),
          logLine(3_300, 'log.preconnect.no-track-id', 'pre-connect audio received but no trackId'),
        ],
      },
    ],
    codes: {
      'preconnect/lost-first-words': {
        invalid: [
          {
            name: 'trace room: JS setMicrophoneEnabled(true, undefined, {preConnectBuffer: true}) — a flagless mic at +0.2 s, the agent ACTIVE at +3.1 s',
            events: [roomMic(200, []), roomAgent(3_000), roomActive(3_100)],
            findings: ['error:preconnect/lost-first-words'],
          },
          {
            name: 'trace room: a flagged mic, no agent log — unconfirmed',
            events: [roomMic(200, ['TF_PRECONNECT_BUFFER']), roomAgent(3_000), roomActive(3_100)],
            findings: ['warning:preconnect/lost-first-words'],
          },
          {
            name: 'trace room + agent log: a flagged mic and the agent timed out waiting',
            events: [
              roomMic(200, ['TF_PRECONNECT_BUFFER']),
              roomAgent(3_000),
              roomActive(3_100),
              logLine(6_400, 'log.preconnect.timeout', 'timeout waiting for pre-connect audio buffer'),
            ],
            findings: ['error:preconnect/lost-first-words'],
          },
          {
            name: 'the synthetic user: flag, ACTIVE, no stream opened',
            events: [connected, published(), active],
            findings: ['error:preconnect/lost-first-words'],
          },
          {
            name: 'the buffer went to an avatar worker',
            events: [
              roomAgent(900, { 'lk.publish_on_behalf': 'agent-AJ_1' }, 'avatar-1'),
              connected,
              published(),
              ev(1_000, 'room', 'room.participant.active', { identity: 'avatar-1', kind: 'agent' }),
              active,
              opened('TR_mic', 'avatar-1'),
              closed(),
            ],
            findings: ['error:preconnect/lost-first-words'],
          },
        ],
      },
    },
  },
];
