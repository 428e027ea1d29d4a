import { MEDIA_RULES } from '../../src/diagnose/rules/media/index.js';
import { ev, line, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(MEDIA_RULES, id);

const healthy = [
  ev(0, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'python', version: '1.2.14' }),
  ev(500, 'log', 'log.job.received', { ...line('received job request', 'info'), jobId: 'AJ_1', room: 'room-1' }),
  ev(900, 'log', 'agent.state', { ...line('agent state changed', 'debug'), from: 'initializing', to: 'listening' }),
];
const valid = [{ name: 'an agent that joins and listens', events: healthy }];
const rtc = (msg: string) => `livekit::rtc_engine:628:livekit::rtc_engine - ${msg}`;

export const MEDIA_CASES: RuleCases[] = [
  {
    rule: rule('media.room-connection'),
    valid,
    codes: {
      'room/connect-failed': {
        invalid: [
          {
            name: 'wait_pc_connection timed out (052)',
            events: [
              ev(0, 'log', 'log.room.connect-failed', {
                ...line(
                  'livekit_ffi::server::room:200:livekit_ffi::server::room - error while connecting to a room: engine: connection error: wait_pc_connection timed out',
                  'error',
                ),
                reason: 'engine: connection error: wait_pc_connection timed out',
              }),
            ],
            findings: ['error:room/connect-failed'],
          },
        ],
      },
      'room/signal-reconnecting': {
        invalid: [
          {
            name: 'resuming after a session close (040)',
            events: [
              ev(0, 'log', 'log.room.resuming', { ...line(rtc('resuming connection... attempt: 0'), 'error'), attempt: 0 }),
              ev(10, 'log', 'log.room.resuming', {
                ...line(rtc('received session close: "server request to leave" StateMismatch Resume'), 'warning', 2),
                reason: '"server request to leave" StateMismatch',
              }),
            ],
            findings: ['warning:room/signal-reconnecting'],
          },
        ],
      },
      'room/duplicate-identity': {
        invalid: [
          {
            name: 'LeaveRequest reason DuplicateIdentity (013)',
            events: [
              ev(0, 'log', 'log.room.leave-request', {
                ...line('received leave request: LeaveRequest { can_reconnect: false, reason: DuplicateIdentity }', 'debug'),
                reason: 'DuplicateIdentity',
                canReconnect: false,
              }),
            ],
            findings: ['error:room/duplicate-identity'],
          },
        ],
        valid: [
          {
            name: 'a LeaveRequest for another reason',
            events: [
              ev(0, 'log', 'log.room.leave-request', {
                ...line('received leave request: LeaveRequest { can_reconnect: false, reason: RoomDeleted }', 'debug'),
                reason: 'RoomDeleted',
                canReconnect: false,
              }),
            ],
          },
        ],
      },
      'room/reconnect-failed': {
        invalid: [
          {
            name: 'resuming fails, then the reconnect (018)',
            events: [
              ev(0, 'log', 'log.room.resuming', { ...line(rtc('resuming connection... attempt: 0'), 'error'), attempt: 0 }),
              ev(300, 'log', 'log.room.reconnect-failed', line(rtc('failed to reconnect to the livekit room'), 'error', 3)),
            ],
            findings: ['warning:room/signal-reconnecting', 'error:room/reconnect-failed'],
          },
        ],
      },
    },
  },
  {
    rule: rule('media.tts'),
    valid,
    codes: {
      'tts/synthesis-failed': {
        invalid: [
          {
            name: 'agents-js Error in SynthesizeStream (047)',
            events: [ev(0, 'log', 'log.tts.failed', { ...line('Error in SynthesizeStream', 'error'), retrying: false })],
            findings: ['error:tts/synthesis-failed'],
          },
          {
            name: 'failed to synthesize speech, retrying (048): a warning, the retry may have worked',
            events: [
              ev(0, 'log', 'log.tts.failed', {
                ...line('failed to synthesize speech, retrying in 0.1s', 'warning'),
                retrying: true,
                tts: 'livekit.plugins.google.tts.TTS',
                attempt: 1,
                reason:
                  'livekit.agents._exceptions.APIStatusError: This voice currently only supports ALAW, LINEAR16, MULAW, MP3 and OGG_OPUS output. (status_code=400)',
              }),
            ],
            findings: ['warning:tts/synthesis-failed'],
          },
        ],
      },
    },
  },
  {
    rule: rule('media.providers'),
    valid,
    codes: {
      'stt/connection-closed': {
        invalid: [
          {
            name: 'OpenAI Realtime STT connection closed unexpectedly (006)',
            events: [
              ev(0, 'log', 'log.stt.connection-closed', {
                ...line('Error in _run', 'error'),
                exception:
                  'livekit.agents._exceptions.APIStatusError: OpenAI Realtime STT connection closed unexpectedly (status_code=-1, request_id=None, body=None)',
              }),
            ],
            findings: ['error:stt/connection-closed'],
          },
        ],
      },
      'gemini/closed-1007': {
        invalid: [
          {
            name: 'a voice on a text-only session (025)',
            events: [
              ev(0, 'log', 'log.gemini.closed', {
                ...line('Gemini Realtime API error: received 1007 (invalid frame payload data) Cannot extract voices from a non-audio request.', 'error'),
                code: 1007,
                reason: 'Cannot extract voices from a non-audio request.',
              }),
            ],
            findings: ['error:gemini/closed-1007'],
          },
        ],
      },
      'gemini/closed-1008': {
        invalid: [
          {
            name: 'model not found for API version v1beta (027)',
            events: [
              ev(0, 'log', 'log.gemini.closed', {
                ...line(
                  'websockets.exceptions.ConnectionClosedError: received 1008 (policy violation) models/gemini-live-2.5-flash-preview is not found for API version v1beta',
                  'error',
                ),
                code: 1008,
                reason: 'models/gemini-live-2.5-flash-preview is not found for API version v1beta',
              }),
            ],
            findings: ['error:gemini/closed-1008'],
          },
        ],
      },
      'gemini/closed-1011': {
        invalid: [
          {
            name: 'internal error (023)',
            events: [
              ev(0, 'log', 'log.gemini.closed', {
                ...line('error in receive task: received 1011 (internal error) Internal error occurred.', 'error'),
                code: 1011,
                reason: 'Internal error occurred.',
              }),
            ],
            findings: ['error:gemini/closed-1011'],
          },
        ],
      },
    },
  },
];
