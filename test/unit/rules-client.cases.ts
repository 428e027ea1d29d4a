import { CLIENT_RULES } from '../../src/diagnose/rules/client/index.js';
import type { DataOf } from '../../src/events/index.js';
import { ev, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(CLIENT_RULES, id);
const AGENT = 'lkdiag-agent-1';
const joined = ev(0, 'room', 'mockagent.joined', { identity: AGENT, room: 'r1', role: 'agent', kind: 'agent' });
const listening = ev(50, 'room', 'mockagent.state', { identity: AGENT, state: 'listening' });
const mic = (flag = true) =>
  ev(400, 'room', 'mockagent.mic.published', {
    identity: 'user-1',
    trackSid: 'TR_mic',
    source: 'microphone',
    features: flag ? ['TF_PRECONNECT_BUFFER'] : [],
    preconnectFlag: flag,
  });
const opened = (o: Partial<DataOf<'mockagent.stream.opened'>> = {}, attrs: Record<string, string> = {}) =>
  ev(500, 'room', 'mockagent.stream.opened', {
    streamId: 's1',
    from: 'user-1',
    receiver: AGENT,
    receiverRole: 'agent',
    topic: 'lk.agent.pre-connect-audio-buffer',
    mimeType: 'application/octet-stream',
    name: 'preconnect-buffer',
    attributes: { trackId: 'TR_mic', sampleRate: '24000', channels: '1', ...attrs },
    ...o,
  });
const waitStarted = (complete = false, since = 100) =>
  ev(600, 'room', 'mockagent.wait.started', { trackSid: 'TR_mic', bufferComplete: complete, sinceHeaderMs: since });
const closed = (openMs = 300, completed = true) => ev(500 + openMs, 'room', 'mockagent.stream.closed', { streamId: 's1', bytes: 72_000, openMs, completed });
const checked = (o: Partial<DataOf<'mockagent.stream.checked'>> = {}) =>
  ev(810, 'room', 'mockagent.stream.checked', {
    streamId: 's1',
    format: 'raw',
    mimeSays: 'pcm',
    durationMs: 1500,
    speechMs: 1100,
    peakDbfs: -14,
    decoded: true,
    ...o,
  });
const seam = (offsetMs: number) => ev(4000, 'room', 'mockagent.seam', { offsetMs, correlation: 0.8, tailMs: 300, liveSearchMs: 3000 });

const healthy = [joined, listening, mic(), opened(), waitStarted(), closed(), checked(), seam(-120)];
const valid = [{ name: 'a healthy buffer', events: healthy }];

export const CLIENT_CASES: RuleCases[] = [
  {
    rule: rule('client.presence'),
    valid: [...valid, { name: 'no mock agent at all', events: [ev(0, 'client', 'client.agent.active', { identity: 'a' })] }],
    codes: {
      'client/no-job': {
        invalid: [
          {
            name: 'registered, nothing dispatched',
            events: [
              ev(0, 'room', 'mockagent.worker.registered', { workerId: 'AW_1', agentName: 'my-agent' }),
              ev(30_000, 'room', 'mockagent.timeout', { wait: 'job', boundMs: 30_000 }),
            ],
            findings: ['error:client/no-job'],
          },
        ],
      },
      'client/no-client': {
        invalid: [
          {
            name: 'nobody published a microphone',
            events: [joined, listening, ev(30_050, 'room', 'mockagent.timeout', { wait: 'client-mic', boundMs: 30_000 })],
            findings: ['error:client/no-client'],
          },
        ],
      },
      'client/no-stream': {
        invalid: [{ name: 'a flagless microphone and no stream', events: [joined, listening, mic(false)], findings: ['error:client/no-stream'] }],
      },
      'client/flag-without-stream': {
        invalid: [
          { name: 'flagged, no stream', events: [joined, listening, mic(), waitStarted(false, 0)], findings: ['error:client/flag-without-stream'] },
          {
            name: 'flagged, no stream, the agent was never ACTIVE (injected)',
            events: [ev(0, 'room', 'mockagent.fault', { name: 'never-active' }), joined, mic()],
            findings: ['warning:client/flag-without-stream'],
          },
        ],
      },
      'client/stream-without-flag': {
        invalid: [
          {
            name: 'a buffer for a flagless microphone',
            events: [joined, listening, mic(false), opened(), closed(), checked()],
            findings: ['error:client/stream-without-flag'],
          },
        ],
      },
      'client/wrong-destination': {
        invalid: [
          {
            name: 'the buffer went to the avatar worker',
            events: [joined, listening, mic(), opened({ receiver: `${AGENT}-avatar`, receiverRole: 'avatar' }), closed()],
            findings: ['error:client/wrong-destination'],
          },
        ],
      },
      'client/dropped-by-agent': {
        invalid: [
          {
            name: '--fault no-handler',
            events: [ev(0, 'room', 'mockagent.fault', { name: 'no-handler' }), joined, listening, mic(), opened({ dropped: 'no-handler' }), closed()],
            findings: ['warning:client/dropped-by-agent'],
          },
        ],
      },
    },
  },
  {
    rule: rule('client.stream'),
    valid,
    codes: {
      'client/missing-track-id': {
        invalid: [
          {
            name: 'empty trackId (the Swift < 2.16 race)',
            events: [joined, mic(), opened({}, { trackId: '' }), closed(), checked()],
            findings: ['error:client/missing-track-id'],
          },
        ],
      },
      'client/track-id-mismatch': {
        invalid: [
          {
            name: 'a local track id',
            events: [joined, mic(), opened({}, { trackId: 'mic-local-1' }), closed(), checked()],
            findings: ['error:client/track-id-mismatch'],
          },
        ],
      },
      'client/bad-attributes': {
        invalid: [
          { name: 'stereo', events: [joined, mic(), opened({}, { channels: '2' }), closed(), checked()], findings: ['error:client/bad-attributes'] },
          {
            name: 'a non-integer rate',
            events: [joined, mic(), opened({}, { sampleRate: '48k' }), closed(), checked()],
            findings: ['error:client/bad-attributes'],
          },
        ],
      },
      'client/mime-mismatch': {
        invalid: [
          {
            name: "Safari's mp4 sent as PCM",
            events: [
              joined,
              mic(),
              opened({ mimeType: 'video/mp4' }),
              closed(),
              checked({ format: 'mp4', decoded: false, durationMs: null, speechMs: null, peakDbfs: null }),
            ],
            findings: ['error:client/mime-mismatch'],
          },
          {
            name: 'raw PCM labelled Opus',
            events: [joined, mic(), opened({ mimeType: 'audio/webm;codecs=opus' }), closed(), checked({ mimeSays: 'opus' })],
            findings: ['error:client/mime-mismatch'],
          },
        ],
        valid: [
          {
            name: 'WebM/Opus labelled so',
            events: [joined, mic(), opened({ mimeType: 'audio/webm;codecs=opus' }), closed(), checked({ format: 'webm', mimeSays: 'opus' })],
          },
        ],
      },
      'client/silent-buffer': {
        invalid: [
          {
            name: 'digital silence',
            events: [joined, mic(), opened(), closed(), checked({ speechMs: 0, peakDbfs: -100 })],
            findings: ['warning:client/silent-buffer'],
          },
        ],
      },
    },
  },
  {
    rule: rule('client.timing'),
    valid: [...valid, { name: 'an overlap is no gap', events: [...healthy.slice(0, -1), seam(-600)] }],
    codes: {
      'client/not-completed-in-time': {
        invalid: [
          { name: 'open 4.2 s', events: [joined, mic(), opened(), closed(4_200)], findings: ['error:client/not-completed-in-time'] },
          { name: 'never completed', events: [joined, mic(), opened(), closed(12_000, false)], findings: ['error:client/not-completed-in-time'] },
        ],
      },
      'client/stale-buffer': {
        invalid: [
          {
            name: 'a snapshot 1.6 s before the subscription',
            events: [joined, mic(), opened(), closed(), waitStarted(true, 1_600)],
            findings: ['error:client/stale-buffer'],
          },
        ],
        valid: [{ name: 'complete but 0.8 s old', events: [joined, mic(), opened(), closed(), waitStarted(true, 800)] }],
      },
      'client/seam-gap': {
        invalid: [{ name: '120 ms lost', events: [...healthy.slice(0, -1), seam(120)], findings: ['warning:client/seam-gap'] }],
        valid: [{ name: 'a 90 ms gap is within the bound', events: [...healthy.slice(0, -1), seam(90)] }],
      },
    },
  },
  {
    rule: rule('client.outcome'),
    valid: [
      { name: 'flagless', events: [joined, listening, mic(false), opened(), closed(), checked()] },
      { name: 'mp4 as PCM', events: [joined, mic(), opened({ mimeType: 'video/mp4' }), closed(), checked({ format: 'mp4', decoded: false })] },
      { name: 'to the avatar', events: [joined, mic(), opened({ receiverRole: 'avatar' }), closed(), checked()] },
      { name: 'too late', events: [joined, mic(), opened(), closed(3_500), checked()] },
    ],
    codes: { 'client/buffer-ok': { invalid: [{ name: 'a healthy buffer', events: healthy, findings: ['info:client/buffer-ok'] }] } },
  },
];
