import { WORKER_RULES } from '../../src/diagnose/rules/worker/index.js';
import { ev, line, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(WORKER_RULES, id);

const healthy = [
  ev(0, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'python', version: '1.2.14' }),
  ev(500, 'log', 'log.job.received', { ...line('received job request', 'info'), jobId: 'AJ_1', room: 'room-1' }),
  ev(900, 'log', 'agent.state', { ...line('agent state changed', 'debug'), from: 'initializing', to: 'listening' }),
];
const valid = [
  { name: 'a worker that starts and takes a job', events: healthy },
  {
    name: 'job processes exit 255 as the worker drains (a shutdown, not a crash)',
    events: [
      ...healthy,
      ev(5_000, 'log', 'log.worker.shutdown', line('draining worker', 'info')),
      ev(5_100, 'log', 'log.job.exited', { ...line('process exited with non-zero exit code 255', 'error'), exitCode: 255 }),
    ],
  },
];

export const WORKER_CASES: RuleCases[] = [
  {
    rule: rule('worker.entrypoint'),
    valid,
    codes: {
      'job/entrypoint-failed': {
        invalid: [
          {
            name: 'the entrypoint raised before ctx.connect() (fixtures/logs/real/python-entrypoint-raises.log, livekit-agents 1.8.9)',
            events: [
              ...healthy.slice(0, 2),
              ev(600, 'log', 'log.job.entrypoint-failed', {
                ...line('unhandled exception while running the job task', 'error'),
                exception: "KeyError: 'AGENT_VOICE_NAME'",
              }),
            ],
            findings: ['error:job/entrypoint-failed'],
          },
          {
            name: 'it raised and so never connected: one finding, the cause',
            events: [
              ...healthy.slice(0, 2),
              ev(600, 'log', 'log.job.entrypoint-failed', { ...line('error in entry function', 'error') }),
              ev(
                10_600,
                'log',
                'log.job.not-connected',
                line('room not connect after job_entry was called after 10 seconds,  did you forget to call ctx.connect()?', 'warning'),
              ),
            ],
            findings: ['error:job/entrypoint-failed'],
          },
        ],
      },
      'job/not-connected': {
        invalid: [
          {
            name: 'ctx.connect() never called (fixtures/logs/real/python-never-connects.log)',
            events: [
              ...healthy.slice(0, 2),
              ev(10_500, 'log', 'log.job.not-connected', line('The room connection was not established within 10 seconds after calling job_entry.', 'warning')),
            ],
            findings: ['warning:job/not-connected'],
          },
        ],
      },
    },
  },
  {
    rule: rule('worker.job-process'),
    valid,
    codes: {
      'job/event-loop-blocked': {
        invalid: [
          {
            name: 'a task holds the loop, then the executor stops answering (007)',
            events: [
              ev(0, 'log', 'log.job.unresponsive', {
                ...line("Running <Task pending name='RealtimeSession._main_task'> took too long: 3.05 seconds", 'warning'),
                what: 'task',
                seconds: 3.05,
              }),
              ev(1_000, 'log', 'log.job.unresponsive', { ...line('job executor is unresponsive', 'warning', 2), what: 'executor' }),
              ev(2_000, 'log', 'log.job.unresponsive', { ...line('job executor is unresponsive', 'warning', 3), what: 'executor' }),
            ],
            findings: ['error:job/event-loop-blocked'],
          },
        ],
      },
      'job/process-killed': {
        invalid: [
          {
            name: 'process is unresponsive, killing process (041)',
            events: [ev(0, 'log', 'log.job.killed', { ...line('process is unresponsive, killing process', 'error'), why: 'unresponsive' })],
            findings: ['error:job/process-killed'],
          },
        ],
      },
      'job/process-crashed': {
        invalid: [
          {
            name: 'process exited with non-zero exit code -4 (014)',
            events: [ev(0, 'log', 'log.job.exited', { ...line('process exited with non-zero exit code -4', 'error'), exitCode: -4 })],
            findings: ['error:job/process-crashed'],
          },
        ],
      },
      'job/inference-not-ready': {
        invalid: [
          {
            name: 'initialization timed out, killing process (030)',
            events: [ev(0, 'log', 'log.job.init-timeout', line('initialization timed out, killing process', 'error'))],
            findings: ['error:job/inference-not-ready'],
          },
          {
            name: 'the inference process is killed 10 s after initializing, never initialised (029)',
            events: [
              ev(0, 'log', 'log.job.process', { ...line('initializing process', 'info'), step: 'initializing', pid: 34476, inference: true }),
              ev(10_011, 'log', 'log.job.process', { ...line('killing process', 'info', 2), step: 'killing', pid: 34476, inference: true }),
            ],
            findings: ['error:job/inference-not-ready'],
          },
          {
            name: 'the inference process killed, then "worker failed" in the same second (031, the console layout has whole seconds)',
            events: [
              ev(490, 'log', 'log.job.process', { ...line('killing process', 'info'), step: 'killing', pid: 73960, inference: true }),
              ev(0, 'log', 'log.worker.failed', line('worker failed', 'error', 2)),
            ],
            findings: ['error:job/inference-not-ready'],
          },
        ],
        valid: [
          {
            name: 'a process killed after it initialised, or at a worker shutdown',
            events: [
              ev(0, 'log', 'log.job.process', { ...line('initializing process', 'info'), step: 'initializing', pid: 1 }),
              ev(2_700, 'log', 'log.job.process', { ...line('process initialized', 'info', 2), step: 'initialized', pid: 1 }),
              ev(20_000, 'log', 'log.job.process', { ...line('initializing process', 'info', 3), step: 'initializing', pid: 2 }),
              ev(29_000, 'log', 'log.worker.shutdown', line('shutting down worker', 'info', 4)),
              ev(30_000, 'log', 'log.job.process', { ...line('killing process', 'info', 5), step: 'killing', pid: 1 }),
              ev(30_001, 'log', 'log.job.process', { ...line('killing process', 'info', 6), step: 'killing', pid: 2 }),
            ],
          },
          {
            name: '"worker failed" on another exception after the inference process is killed',
            events: [
              ev(0, 'log', 'log.job.process', { ...line('killing process', 'info'), step: 'killing', pid: 7, inference: true }),
              ev(100, 'log', 'log.worker.failed', {
                ...line('worker failed', 'error', 2),
                exception: 'RuntimeError: failed to connect to livekit after 16 attempts',
              }),
            ],
          },
          {
            name: '"worker failed" before the inference process is killed (the shutdown after it)',
            events: [
              ev(0, 'log', 'log.worker.failed', line('worker failed', 'error')),
              ev(100, 'log', 'log.job.process', { ...line('killing process', 'info', 2), step: 'killing', pid: 8, inference: true }),
            ],
          },
        ],
      },
      'job/memory-high': {
        invalid: [
          {
            name: 'process memory usage is high, as text and as JSON (045)',
            events: [
              ev(0, 'log', 'log.job.memory-high', line('process memory usage is high', 'warning')),
              ev(0, 'log', 'log.job.memory-high', { ...line('process memory usage is high', 'warning', 2), memoryMb: 582.8, warnMb: 500, limitMb: 0 }),
            ],
            findings: ['warning:job/memory-high'],
          },
        ],
      },
    },
  },
  {
    rule: rule('worker.packages'),
    valid,
    codes: {
      'setup/plugin-version-mismatch': {
        invalid: [
          {
            name: '0.x code on 1.x: llm.FunctionContext (032)',
            events: [
              ev(0, 'log', 'log.setup.import-failed', {
                ...line("AttributeError: module 'livekit.agents.llm' has no attribute 'FunctionContext'", 'error'),
                what: 'missing-attribute',
                module: 'livekit.agents.llm',
                name: 'FunctionContext',
                exception: "AttributeError: module 'livekit.agents.llm' has no attribute 'FunctionContext'",
              }),
            ],
            findings: ['error:setup/plugin-version-mismatch'],
          },
        ],
      },
      'setup/import-error': {
        invalid: [
          {
            name: 'No module named livekit.plugin (034)',
            events: [
              ev(0, 'log', 'log.setup.import-failed', {
                ...line("ModuleNotFoundError: No module named 'livekit.plugin'", 'error'),
                what: 'missing-module',
                module: 'livekit.plugin',
                exception: "ModuleNotFoundError: No module named 'livekit.plugin'",
              }),
            ],
            findings: ['error:setup/import-error'],
          },
        ],
      },
    },
  },
  {
    rule: rule('worker.state'),
    valid,
    codes: {
      'worker/connection-lost': {
        invalid: [
          {
            name: 'worker connection closed unexpectedly (037)',
            events: [ev(0, 'log', 'log.worker.connection-lost', line('worker connection closed unexpectedly', 'error'))],
            findings: ['error:worker/connection-lost'],
          },
        ],
      },
      'server/no-worker-available': {
        invalid: [
          {
            name: 'livekit-server: not dispatching agent job since no worker is available (010)',
            events: [
              ev(0, 'log', 'log.server.no-worker', {
                ...line('agent/client.go:146 not dispatching agent job since no worker is available', 'info'),
                reason: 'not dispatching agent job since no worker is available',
              }),
            ],
            findings: ['error:server/no-worker-available'],
          },
        ],
      },
      'worker/at-capacity': {
        invalid: [
          {
            name: 'worker is at full capacity (045)',
            events: [ev(0, 'log', 'log.worker.at-capacity', line('worker is at full capacity, marking as unavailable', 'info'))],
            findings: ['warning:worker/at-capacity'],
          },
        ],
      },
    },
  },
];
