// Gemini Live sessions (livekit-plugins-google realtime): the session the plugin could not open, the
// handshake that timed out, GoAway; and Azure OpenAI deployment errors (the other realtime provider path). Messages are verbatim upstream wordings (realtime_api.py of
// livekit-agents 1.2.12 and 1.7.0) or corpus lines (fixtures/logs/public/024).
import { DOCTOR_RULES } from '../../src/diagnose/rules/doctor/index.js';
import { MEDIA_RULES } from '../../src/diagnose/rules/media/index.js';
import { ev, line, ruleById, type RuleCases } from '../helpers/rule-tester.js';

const DEPLOYMENT_NOT_FOUND =
  "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'}}";

const google = (message: string, level: 'debug' | 'info' | 'warning' | 'error' = 'error') => ({ ...line(message, level), logger: 'livekit.plugins.google' });

const connected = [
  ev(0, 'log', 'log.framework', { ...line('starting worker', 'info'), framework: 'python', version: '1.3.11' }),
  ev(300, 'log', 'agent.state', { ...line('agent state changed', 'debug'), from: 'initializing', to: 'listening' }),
];

const AZURE_CALL = {
  check: 'realtime-model',
  file: 'agent.py',
  line: 8,
  snippet: 'llm=openai.realtime.RealtimeModel.with_azure(',
  language: 'python' as const,
  parser: 'ast' as const,
  constructor: 'with_azure',
};

export const GEMINI_CASES: RuleCases[] = [
  {
    rule: ruleById(MEDIA_RULES, 'media.gemini-session'),
    valid: [
      { name: 'a Gemini session that connects and listens', events: connected },
      {
        name: 'a connection that failed once and was retried (no give-up in the log)',
        events: [
          ...connected,
          ev(900, 'log', 'log.gemini.connect-failed', {
            ...google('Gemini Realtime API connection failed, retrying in 2.0s', 'warning'),
            final: false,
            retryInS: 2,
            attempts: 0,
            reason: 'connection failed, retrying',
          }),
        ],
      },
    ],
    codes: {
      'gemini/connect-failed': {
        invalid: [
          {
            name: 'APIConnectionError: Failed to connect to Gemini Live (024, rich column)',
            events: [
              ev(0, 'log', 'log.gemini.connect-failed', {
                ...line('livekit.agents._exceptions.APIConnectionError: Failed to connect to Gemini Live', 'error'),
                logger: '',
                final: true,
                reason: 'Failed to connect to Gemini Live',
              }),
            ],
            findings: ['error:gemini/connect-failed'],
          },
          {
            name: 'a 1007 close, a retry, then "after 3 attempts"',
            events: [
              ev(0, 'log', 'log.gemini.closed', {
                ...google('Gemini Realtime API error: received 1007 (invalid frame payload data) Request contains an invalid argument.'),
                code: 1007,
                reason: 'Request contains an invalid argument.',
              }),
              ev(100, 'log', 'log.gemini.connect-failed', {
                ...google('Gemini Realtime API connection failed, retrying in 2.0s', 'warning'),
                final: false,
                retryInS: 2,
              }),
              ev(2200, 'log', 'log.gemini.connect-failed', {
                ...line('livekit.agents._exceptions.APIConnectionError: Failed to connect to Gemini Live after 3 attempts', 'error'),
                final: true,
                attempts: 3,
                reason: 'Failed to connect to Gemini Live after 3 attempts',
              }),
            ],
            findings: ['error:gemini/connect-failed'],
          },
        ],
      },
      'gemini/handshake-timeout': {
        invalid: [
          {
            name: 'TimeoutError: timed out during opening handshake',
            events: [ev(0, 'log', 'log.gemini.handshake-timeout', google('Gemini Realtime API error: timed out during opening handshake'))],
            findings: ['error:gemini/handshake-timeout'],
          },
        ],
      },
      'gemini/go-away': {
        invalid: [
          {
            name: 'GoAway before the session limit',
            events: [
              ...connected,
              ev(600_000, 'log', 'log.gemini.go-away', { ...google('Gemini server indicates disconnection soon. Time left: 50s', 'warning'), timeLeft: '50s' }),
            ],
            findings: ['warning:gemini/go-away'],
          },
        ],
      },
    },
  },
  {
    rule: ruleById(MEDIA_RULES, 'media.azure-deployment'),
    valid: [
      { name: 'an agent that connects', events: connected },
      {
        name: 'a 404 upgrade to api.openai.com is not Azure (openai/upgrade-rejected says it)',
        events: [
          ev(0, 'log', 'log.openai.connecting', {
            ...line('connecting to Realtime API: wss://api.openai.com/v1/realtime?model=gpt-realtime'),
            url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
          }),
          ev(200, 'log', 'probe.upgrade.response', { status: 404 }),
        ],
      },
    ],
    codes: {
      'azure/deployment-error': {
        invalid: [
          {
            name: 'DeploymentNotFound in the traceback of the LLM call',
            events: [
              ev(0, 'log', 'log.azure.deployment-error', {
                ...line('Error in _llm_inference_task', 'error'),
                what: 'deployment-not-found',
                status: 404,
                exception: DEPLOYMENT_NOT_FOUND,
              }),
            ],
            findings: ['error:azure/deployment-error'],
          },
          {
            name: 'the Realtime upgrade to an Azure resource refused with 404',
            events: [
              ev(0, 'log', 'log.openai.connecting', {
                ...line('connecting to Realtime API: wss://contoso.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime'),
                url: 'wss://contoso.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime',
              }),
              ev(300, 'log', 'probe.upgrade.response', { status: 404 }),
            ],
            findings: ['error:azure/deployment-error'],
          },
        ],
      },
    },
  },
  {
    rule: ruleById(DOCTOR_RULES, 'doctor.azure-realtime'),
    valid: [
      {
        name: 'with_azure on livekit-plugins-openai 1.2.12 (RealtimeModelBeta again)',
        events: [
          ev(0, 'log', 'doctor.dependency', {
            ecosystem: 'python',
            package: 'livekit-plugins-openai',
            version: '1.2.12',
            via: 'pin',
            file: 'requirements.txt',
            line: 1,
          }),
          ev(1, 'log', 'doctor.setup', { ...AZURE_CALL }),
        ],
      },
      {
        name: 'RealtimeModel (not Azure) on 1.2.11',
        events: [
          ev(0, 'log', 'doctor.dependency', {
            ecosystem: 'python',
            package: 'livekit-plugins-openai',
            version: '1.2.11',
            via: 'pin',
            file: 'requirements.txt',
            line: 1,
          }),
          ev(1, 'log', 'doctor.setup', { ...AZURE_CALL, constructor: 'RealtimeModel', snippet: 'llm=openai.realtime.RealtimeModel(' }),
        ],
      },
    ],
    codes: {
      'setup/azure-realtime-ga-shape': {
        invalid: [
          {
            name: 'with_azure(api_version="2025-04-01-preview") on livekit-plugins-openai 1.2.11 (livekit/agents#3489)',
            events: [
              ev(0, 'log', 'doctor.dependency', {
                ecosystem: 'python',
                package: 'livekit-plugins-openai',
                version: '1.2.11',
                via: 'extra',
                file: 'requirements.txt',
                line: 1,
              }),
              ev(1, 'log', 'doctor.setup', { ...AZURE_CALL }),
            ],
            findings: ['warning:setup/azure-realtime-ga-shape'],
          },
        ],
      },
    },
  },
];
