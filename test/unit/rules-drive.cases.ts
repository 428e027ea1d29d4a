import { DRIVE_RULES } from '../../src/diagnose/rules/drive/index.js';
import { ev, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(DRIVE_RULES, id);
const spawned = ev(0, 'console', 'drive.agent.spawned', { command: 'python -m livekit.agents console agent.py --connect-addr 127.0.0.1:40001', pid: 4242 });
const connected = ev(1_800, 'console', 'drive.agent.connected', { remote: '127.0.0.1:51234' });

export const DRIVE_CASES: RuleCases[] = [
  {
    rule: rule('drive.agent-process'),
    valid: [
      {
        name: 'the agent connected and lkdiag ended it at the end of the script',
        events: [spawned, connected, ev(9_000, 'console', 'drive.agent.exited', { code: null, signal: 'SIGTERM', expected: true, lastLines: [] })],
      },
      { name: 'the agent connected and is still running', events: [spawned, connected] },
    ],
    codes: {
      'drive/agent-exited': {
        invalid: [
          {
            name: 'an agent that raises at import, before it connected',
            events: [
              spawned,
              ev(900, 'console', 'drive.agent.exited', { code: 1, signal: null, expected: false, lastLines: ['RuntimeError: OPENAI_API_KEY is not set'] }),
            ],
            findings: ['error:drive/agent-exited'],
          },
          {
            name: 'an agent killed during the session',
            events: [spawned, connected, ev(5_000, 'console', 'drive.agent.exited', { code: null, signal: 'SIGKILL', expected: false, lastLines: [] })],
            findings: ['error:drive/agent-exited'],
          },
        ],
      },
      'drive/agent-not-connected': {
        invalid: [
          {
            name: 'an agent started as a worker (start), not in console mode: no connection within the bound',
            events: [spawned, ev(20_000, 'console', 'drive.agent.not-connected', { boundMs: 20_000, spawned: true })],
            findings: ['error:drive/agent-not-connected'],
          },
          {
            name: '--listen and nothing started',
            events: [ev(20_000, 'console', 'drive.agent.not-connected', { boundMs: 20_000, spawned: false })],
            findings: ['error:drive/agent-not-connected'],
          },
        ],
      },
    },
  },
];
