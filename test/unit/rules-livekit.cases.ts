import { LIVEKIT_RULES } from '../../src/diagnose/rules/livekit/index.js';
import { ev, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(LIVEKIT_RULES, id);
const AGENT = 'agent-AJ_1';
const joined = [
  ev(0, 'room', 'room.participant.joined', { identity: AGENT, kind: 'agent' }),
  ev(100, 'room', 'room.participant.joined', { identity: 'user-1', kind: 'standard' }),
  ev(1_400, 'room', 'agent.state', { identity: AGENT, to: 'speaking' }),
];
const connected = ev(0, 'client', 'client.connected', { url: 'ws://127.0.0.1:7880', room: 'r1', identity: 'lkdiag-user' });
const valid = [
  {
    name: 'a session that ends normally',
    events: [...joined, ev(9_000, 'room', 'room.participant.left', { identity: 'user-1', reason: 'CLIENT_INITIATED' }), ev(9_500, 'room', 'room.closed', {})],
  },
];

export const LIVEKIT_CASES: RuleCases[] = [
  {
    rule: rule('livekit.connection'),
    valid: [
      ...valid,
      {
        name: 'the synthetic user leaves on its own',
        events: [connected, ev(5_000, 'client', 'client.disconnected', { reason: 'CLIENT_INITIATED', afterMs: 5_000 })],
      },
    ],
    codes: {
      'livekit/server-connection-lost': {
        invalid: [
          {
            name: 'the server dies under the synthetic user',
            events: [
              connected,
              ev(3_000, 'client', 'client.reconnecting', { afterMs: 3_000 }),
              ev(8_000, 'client', 'client.disconnected', { reason: 'SIGNAL_CLOSE', afterMs: 8_000 }),
            ],
            findings: ['error:livekit/server-connection-lost'],
          },
        ],
      },
      'livekit/room-closed-mid-run': {
        invalid: [
          {
            name: 'the room is deleted under the run',
            events: [connected, ev(5_000, 'client', 'client.disconnected', { reason: 'ROOM_DELETED', afterMs: 5_000 })],
            findings: ['error:livekit/room-closed-mid-run'],
          },
        ],
      },
    },
  },
  {
    rule: rule('livekit.agent-left'),
    valid,
    codes: {
      'livekit/agent-left': {
        valid: [
          {
            name: 'the agent leaves with the room',
            events: [...joined, ev(9_000, 'room', 'room.participant.left', { identity: AGENT, reason: 'SIGNAL_CLOSE' }), ev(9_500, 'room', 'room.closed', {})],
          },
        ],
        invalid: [
          {
            name: 'the agent process dies mid-reply',
            events: [...joined, ev(4_000, 'room', 'room.participant.left', { identity: AGENT, reason: 'SIGNAL_CLOSE' })],
            findings: ['error:livekit/agent-left'],
          },
        ],
      },
    },
  },
];
