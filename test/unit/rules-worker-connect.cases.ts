// livekit.worker-connect: the worker's connection loop could not reach the LiveKit server (015 and the wordings
// of livekit-agents worker.py: the reason after ": " in 0.x, the traceback in 1.0–1.3, the `error` extra later).
import { LIVEKIT_RULES } from '../../src/diagnose/rules/livekit/index.js';
import { ev, line, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = ruleById(LIVEKIT_RULES, 'livekit.worker-connect');
const failed = (ms: number, reason: string | undefined, n = 1, extra: { status?: number; final?: boolean } = {}) =>
  ev(ms, 'log', 'log.worker.connect-failed', {
    ...line(extra.final ? 'failed to connect to livekit after 16 attempts' : 'failed to connect to livekit, retrying in 2s', 'warning', n),
    ...(reason ? { reason } : {}),
    retryInS: 2,
    ...extra,
  });

export const WORKER_CONNECT_CASES: RuleCases[] = [
  {
    rule,
    valid: [
      {
        name: 'a worker that registers at once',
        events: [
          ev(0, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'python', version: '1.2.18' }),
          ev(800, 'log', 'log.worker.registered', { ...line('registered worker', 'info', 2), workerId: 'AW_1' }),
        ],
      },
    ],
    codes: {
      'livekit/server-unreachable': {
        invalid: [
          {
            name: 'connection refused at localhost:7880, never registered',
            events: [
              failed(
                0,
                "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host localhost:7880 ssl:default [Connect call failed ('127.0.0.1', 7880)]",
              ),
              failed(
                2_000,
                "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host localhost:7880 ssl:default [Connect call failed ('127.0.0.1', 7880)]",
                2,
              ),
            ],
            findings: ['error:livekit/server-unreachable'],
          },
          {
            name: "the server refuses the worker's key (401 Invalid response status), and it gives up",
            events: [
              failed(0, "401, message='Invalid response status', url='wss://hw.example:17880/agent'", 1, { status: 401 }),
              failed(30_000, undefined, 2, { final: true }),
            ],
            findings: ['error:livekit/server-unreachable'],
          },
          {
            name: 'the reason cut off with the traceback (015): unconfirmed',
            events: [failed(0, undefined)],
            findings: ['warning:livekit/server-unreachable'],
          },
          {
            name: 'unreachable for a while, then registered',
            events: [
              failed(0, 'Cannot connect to host livekit.internal:7880 ssl:default [Name or service not known]'),
              ev(4_000, 'log', 'log.worker.registered', { ...line('registered worker', 'info', 2), workerId: 'AW_1' }),
            ],
            findings: ['warning:livekit/server-unreachable'],
          },
        ],
      },
    },
  },
];
