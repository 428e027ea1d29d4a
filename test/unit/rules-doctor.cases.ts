import { DOCTOR_RULES } from '../../src/diagnose/rules/doctor/index.js';
import type { DepFact } from '../../src/doctor/deps-python.js';
import type { SetupFact } from '../../src/doctor/setup-python.js';
import { ev, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(DOCTOR_RULES, id);
const dep = (ecosystem: DepFact['ecosystem'], pkg: string, version: string, file = ecosystem === 'node' ? 'package-lock.json' : 'uv.lock') =>
  ev(0, 'log', 'doctor.dependency', { ecosystem, package: pkg, version, via: 'lock', file });
const py = (version: string) => dep('python', 'livekit-plugins-openai', version);
const js = (version: string) => dep('node', '@livekit/agents-plugin-openai', version);
const fact = (check: string, extra: Record<string, unknown> = {}, language: SetupFact['language'] = 'python') =>
  ev(0, 'log', 'doctor.setup', {
    check,
    file: 'agent.py',
    line: 10,
    snippet: 'await ctx.connect()',
    language,
    parser: language === 'python' ? 'ast' : 'typescript',
    ...extra,
  });

const current = [py('1.7.2'), dep('python', 'livekit-agents', '1.7.2'), js('1.9.0')];
const one = (code: string, events: RuleCases['codes'][string]['invalid'][number]['events'], findings: string[]) => ({
  invalid: [{ name: code, events, findings }],
});

export const DOCTOR_CASES: RuleCases[] = [
  {
    rule: rule('doctor.realtime-2'),
    valid: [
      {
        name: 'gpt-realtime-2 on livekit-agents 1.5.12 (plays every message)',
        events: [dep('python', 'livekit-agents', '1.5.12'), fact('realtime-2-model', { model: 'gpt-realtime-2' })],
      },
      { name: 'an old livekit-agents without a Realtime-2 model', events: [dep('python', 'livekit-agents', '1.5.4')] },
    ],
    codes: {
      'setup/realtime-2-preamble-dropped': {
        invalid: [
          {
            name: 'gpt-realtime-2 on livekit-agents 1.5.4 (livekit/agents#5684)',
            events: [
              dep('python', 'livekit-agents', '1.5.4'),
              fact('realtime-2-model', { model: 'gpt-realtime-2', snippet: 'llm=openai.realtime.RealtimeModel(model="gpt-realtime-2")' }),
            ],
            findings: ['warning:setup/realtime-2-preamble-dropped'],
          },
          {
            name: 'gpt-realtime-2.1 in agent.ts on @livekit/agents 1.4.4',
            events: [dep('node', '@livekit/agents', '1.4.4'), fact('realtime-2-model', { model: 'gpt-realtime-2.1' }, 'typescript')],
            findings: ['warning:setup/realtime-2-preamble-dropped'],
          },
        ],
      },
    },
  },
  {
    rule: rule('doctor.deps'),
    valid: [{ name: 'current Python and Node plugins', events: current }],
    codes: {
      'deps/beta-header-python': one(
        'livekit-plugins-openai 1.2.8',
        [py('1.2.8')],
        [
          'error:deps/beta-header-python',
          'warning:deps/error-correlation-gap',
          'warning:deps/fatal-errors-retried-python',
          'warning:deps/generate-reply-5s-timeout',
          'warning:deps/truncate-zero-python',
        ],
      ),
      'deps/beta-header-node': one(
        '@livekit/agents-plugin-openai 1.0.30',
        [js('1.0.30')],
        ['error:deps/beta-header-node', 'warning:deps/error-correlation-gap-node', 'warning:deps/fatal-errors-retried-node', 'warning:deps/truncate-zero-node'],
      ),
      'deps/npm-latest-trap': {
        valid: [
          {
            name: 'pinned ^1.9.0',
            events: [
              ev(0, 'log', 'doctor.dependency', {
                ecosystem: 'node',
                package: '@livekit/agents-plugin-openai',
                spec: '^1.9.0',
                via: 'declared',
                file: 'package.json',
              }),
            ],
          },
        ],
        invalid: [
          {
            name: 'declared "latest" without a lock file',
            events: [
              ev(0, 'log', 'doctor.dependency', {
                ecosystem: 'node',
                package: '@livekit/agents-plugin-openai',
                spec: 'latest',
                via: 'declared',
                file: 'package.json',
              }),
            ],
            findings: ['error:deps/npm-latest-trap'],
          },
        ],
      },
      'deps/truncate-zero-python': one(
        'livekit-plugins-openai 1.6.4',
        [py('1.6.4')],
        ['warning:deps/error-correlation-gap', 'warning:deps/fatal-errors-retried-python', 'warning:deps/truncate-zero-python'],
      ),
      'deps/truncate-zero-node': one('@livekit/agents-plugin-openai 1.6.2', [js('1.6.2')], ['warning:deps/truncate-zero-node']),
      'deps/error-correlation-gap': one('livekit-plugins-openai 1.6.9', [py('1.6.9')], ['warning:deps/error-correlation-gap']),
      'deps/error-correlation-gap-node': one(
        '@livekit/agents-plugin-openai 1.3.2',
        [js('1.3.2')],
        ['warning:deps/error-correlation-gap-node', 'warning:deps/fatal-errors-retried-node', 'warning:deps/truncate-zero-node'],
      ),
      'deps/generate-reply-5s-timeout': one(
        'livekit-plugins-openai 1.4.0',
        [py('1.4.0')],
        [
          'warning:deps/error-correlation-gap',
          'warning:deps/fatal-errors-retried-python',
          'warning:deps/generate-reply-5s-timeout',
          'warning:deps/truncate-zero-python',
        ],
      ),
      'deps/fatal-errors-retried-python': one(
        'livekit-plugins-openai 1.6.5',
        [py('1.6.5')],
        ['warning:deps/error-correlation-gap', 'warning:deps/fatal-errors-retried-python'],
      ),
      'deps/fatal-errors-retried-node': one(
        '@livekit/agents-plugin-openai 1.5.0',
        [js('1.5.0')],
        ['warning:deps/fatal-errors-retried-node', 'warning:deps/truncate-zero-node'],
      ),
      'deps/no-preconnect-node': one('@livekit/agents 1.9.0', [dep('node', '@livekit/agents', '1.9.0')], ['warning:deps/no-preconnect-node']),
      'deps/no-preconnect-python': one('livekit-agents 1.0.20', [dep('python', 'livekit-agents', '1.0.20')], ['warning:deps/no-preconnect-python']),
      'deps/webm-opus-preconnect': {
        valid: [
          {
            name: 'livekit-agents 1.2.1 with livekit-client 2.15.3',
            events: [dep('python', 'livekit-agents', '1.2.1'), dep('node', 'livekit-client', '2.15.3')],
          },
        ],
        invalid: [
          {
            name: 'livekit-agents 1.2.1 with livekit-client 2.15.4',
            events: [dep('python', 'livekit-agents', '1.2.1'), dep('node', 'livekit-client', '2.15.4')],
            findings: ['error:deps/webm-opus-preconnect'],
          },
        ],
      },
      'deps/safari-mp4-preconnect': {
        valid: [
          {
            name: 'livekit-agents 1.8.9 with livekit-client 2.15.3 (audio/opus labels)',
            events: [dep('python', 'livekit-agents', '1.8.9'), dep('node', 'livekit-client', '2.15.3')],
          },
        ],
        invalid: [
          {
            name: 'livekit-agents 1.8.9 with livekit-client 2.23.0 (video/mp4 on Safari/iOS)',
            events: [dep('python', 'livekit-agents', '1.8.9'), dep('node', 'livekit-client', '2.23.0')],
            findings: ['warning:deps/safari-mp4-preconnect'],
          },
        ],
      },
      'deps/android-preconnect-empty-trackid': one(
        'livekit-android 2.20.0 (build.gradle)',
        [dep('android', 'livekit-android', '2.20.0', 'app/build.gradle')],
        ['warning:deps/android-preconnect-empty-trackid'],
      ),
      'deps/swift-empty-trackid': one(
        'client-sdk-swift 2.15.0',
        [dep('swift', 'client-sdk-swift', '2.15.0', 'Package.resolved')],
        ['warning:deps/swift-empty-trackid'],
      ),
      'deps/server-drops-preconnect-flag': one(
        'livekit-server 1.8.4 (doctor --url)',
        [ev(0, 'server', 'doctor.server', { url: 'ws://old:7880', version: '1.8.4' })],
        ['warning:deps/server-drops-preconnect-flag'],
      ),
    },
  },
  {
    rule: rule('doctor.setup'),
    valid: [{ name: 'no setup facts', events: current }],
    codes: {
      'setup/connect-before-start': one(
        'ctx.connect() before session.start()',
        [fact('connect-before-start', { startLine: 14 })],
        ['warning:setup/connect-before-start'],
      ),
      'setup/beta-model': one('a gpt-4o-realtime-preview model', [fact('model', { model: 'gpt-4o-realtime-preview' })], ['error:setup/beta-model']),
      'setup/beta-shape': one('RealtimeModelBeta', [fact('beta-shape', { construct: 'RealtimeModelBeta' })], ['error:setup/beta-shape']),
      'setup/temperature-out-of-range': one(
        'temperature 0.3 on the beta shape',
        [fact('temperature', { value: 0.3, beta: true })],
        ['error:setup/temperature-out-of-range'],
      ),
      'setup/temperature-ignored': one('temperature 0.8 on GA', [fact('temperature', { value: 0.8 })], ['info:setup/temperature-ignored']),
      'setup/create-response-without-interrupt': {
        valid: [{ name: 'both off', events: [fact('turn-detection', { createResponse: false, interruptResponse: false })] }],
        invalid: [
          {
            name: 'create_response=False alone',
            events: [fact('turn-detection', { createResponse: false })],
            findings: ['warning:setup/create-response-without-interrupt'],
          },
        ],
      },
      'setup/allow-interruptions-server-vad': one(
        'allow_interruptions=False with server VAD',
        [fact('allow-interruptions'), fact('realtime-model', { line: 20 })],
        ['error:setup/allow-interruptions-server-vad'],
      ),
      'setup/lk-openai-debug-not-integer': one(
        'LK_OPENAI_DEBUG=true in .env',
        [ev(0, 'log', 'doctor.env', { name: 'LK_OPENAI_DEBUG', value: 'true', file: '.env', line: 1, from: 'dotenv' })],
        ['warning:setup/lk-openai-debug-not-integer'],
      ),
      'setup/preconnect-disabled': one('pre_connect_audio=False', [fact('preconnect-disabled')], ['info:setup/preconnect-disabled']),
      'setup/regex-fallback': one(
        'no python3',
        [ev(0, 'log', 'doctor.parser', { language: 'python', parser: 'regex', note: 'python3 was not found on PATH: the Python checks used a regex scan.' })],
        ['info:setup/regex-fallback'],
      ),
    },
  },
  {
    rule: rule('doctor.client-traps'),
    valid: [
      {
        name: 'the third-argument call on livekit-client 2.15.3 (still read)',
        events: [dep('node', 'livekit-client', '2.15.3'), fact('preconnect-publish-options', { argument: 3 }, 'typescript')],
      },
      { name: 'livekit-client 2.23.0 without the call', events: [dep('node', 'livekit-client', '2.23.0')] },
    ],
    codes: {
      'setup/js-preconnect-publish-options': {
        invalid: [
          {
            name: 'setMicrophoneEnabled(true, undefined, { preConnectBuffer: true }) on livekit-client 2.23.0',
            events: [
              dep('node', 'livekit-client', '2.23.0'),
              fact(
                'preconnect-publish-options',
                { file: 'app.ts', snippet: 'await room.localParticipant.setMicrophoneEnabled(true, undefined, { preConnectBuffer: true });', argument: 3 },
                'typescript',
              ),
            ],
            findings: ['warning:setup/js-preconnect-publish-options'],
          },
          {
            name: 'the call, and no livekit-client dependency found (unconfirmed version)',
            events: [fact('preconnect-publish-options', { argument: 3 }, 'javascript')],
            findings: ['warning:setup/js-preconnect-publish-options'],
          },
        ],
      },
    },
  },
];
