import { AZURE_PROBE_RULES } from '../../src/diagnose/rules/azure/index.js';
import { DOCTOR_RULES } from '../../src/diagnose/rules/doctor/index.js';
import { ev, line, oa, ruleById, T0, type RuleCases } from '../helpers/rule-tester.js';

const rule = (id: string) => ruleById(AZURE_PROBE_RULES, id);
/** Traces after the preview protocol's retirement (2026-04-30): ms offsets from the tester's T0 (Sept 2025). */
const LATER = Date.parse('2026-12-01T10:00:00Z') - T0;

const GA = 'wss://res.openai.azure.com/openai/v1/realtime?model=my-realtime';
const LEGACY = 'wss://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime';
const request = (ms: number, url: string) => ev(LATER + ms, 'probe', 'probe.upgrade.request', { url, api: 'ga', headers: ['api-key', 'User-Agent'] });
const answer = (ms: number, status: number, extra: { body?: string; location?: string } = {}) =>
  ev(LATER + ms, 'probe', 'probe.upgrade.response', { status, ...extra });
const OPERATION_BODY =
  '{"error":{"code":"OperationNotSupported","message":"The realtime operation does not work with the specified model, gpt-4o. Please choose different model and try again."}}';

const done = (
  ms: number,
  status: 'completed' | 'failed',
  message = 'The server had an error while processing your request. … aoai-realtimeapi-dri@microsoft.com …',
) =>
  oa(
    LATER + ms,
    'server',
    {
      type: 'response.done',
      response: {
        id: `resp_${ms}`,
        status,
        status_details: status === 'failed' ? { type: 'failed', error: { type: 'server_error', code: null, message } } : null,
        output: [],
      },
    },
    'probe',
  );

const azureCall = (extra: { deployment: string | null; model: string | null; apiVersion: string | null }) =>
  ev(0, 'log', 'doctor.setup', {
    check: 'azure-realtime',
    file: 'agent.py',
    line: 8,
    snippet: 'openai.realtime.RealtimeModel.with_azure(azure_deployment=…)',
    language: 'python',
    parser: 'ast',
    ...extra,
  });

export const AZURE_CASES: RuleCases[] = [
  {
    rule: rule('azure.upgrade'),
    valid: [
      { name: 'the GA URL upgraded (101)', events: [request(0, GA), answer(10, 101)] },
      { name: 'openai.com refused with 404: not Azure', events: [request(0, 'wss://api.openai.com/v1/realtime?model=gpt-realtime'), answer(10, 404)] },
      {
        name: 'a refused preview URL before the retirement date (2025): a deployment question, not the retirement',
        events: [
          ev(0, 'probe', 'probe.upgrade.request', { url: LEGACY, api: 'ga', headers: [] }),
          ev(10, 'probe', 'probe.upgrade.response', { status: 404, body: '{"error":{"code":"404","message":"Resource not found"}}' }),
        ],
      },
    ],
    codes: {
      'azure/realtime-redirect': {
        invalid: [
          {
            name: '301 on the preview URL (livekit/agents#5296)',
            events: [request(0, LEGACY), answer(10, 301, { location: '/openai/realtime-preview-migration' })],
            findings: ['error:azure/realtime-redirect'],
          },
          {
            name: "a log's WSServerHandshakeError 200 (aiohttp followed the redirect): unconfirmed",
            events: [ev(LATER, 'log', 'probe.upgrade.response', { status: 200 })],
            findings: ['warning:azure/realtime-redirect'],
          },
        ],
      },
      'azure/operation-not-supported': {
        invalid: [
          {
            name: 'HTTP 400 OperationNotSupported on the upgrade',
            events: [request(0, GA), answer(10, 400, { body: OPERATION_BODY })],
            findings: ['error:azure/operation-not-supported'],
          },
          {
            name: 'the body in the agent log',
            events: [
              ev(LATER, 'log', 'log.azure.realtime-error', {
                ...line("Error code: 400 - {'error': {'code': 'OperationNotSupported', …}}", 'error'),
                what: 'operation-not-supported',
                said: 'OperationNotSupported',
              }),
            ],
            findings: ['error:azure/operation-not-supported'],
          },
        ],
      },
      'azure/preview-retired': {
        invalid: [
          {
            name: 'the preview URL refused with 404 after 2026-04-30',
            events: [request(0, LEGACY), answer(10, 404, { body: '{"error":{"code":"404","message":"Resource not found"}}' })],
            findings: ['error:azure/preview-retired'],
          },
          {
            name: 'the preview URL still answered (a session): a warning',
            events: [request(0, LEGACY), answer(10, 101)],
            findings: ['warning:azure/preview-retired'],
          },
          {
            name: "the plugin's own deprecation warning",
            events: [
              ev(LATER, 'log', 'log.azure.realtime-error', {
                ...line('The `api_version` parameter in `with_azure` is deprecated and will be removed on April 30, 2026.', 'warning'),
                what: 'api-version-deprecated',
              }),
            ],
            findings: ['warning:azure/preview-retired'],
          },
        ],
      },
    },
  },
  {
    rule: rule('azure.server-error-loop'),
    valid: [
      { name: 'a server_error then a completed response', events: [request(0, GA), answer(5, 101), done(100, 'failed'), done(200, 'completed')] },
      { name: 'server_error on openai.com (no Azure URL, no Azure message)', events: [done(100, 'failed', 'The server had an error. help.openai.com')] },
    ],
    codes: {
      'azure/server-error-loop': {
        invalid: [
          {
            name: 'every response failed on an Azure URL',
            events: [request(0, GA), answer(5, 101), done(100, 'failed'), done(200, 'failed')],
            findings: ['error:azure/server-error-loop'],
          },
          { name: "Azure's message alone (a log without the URL)", events: [done(100, 'failed')], findings: ['error:azure/server-error-loop'] },
        ],
      },
    },
  },
  {
    rule: ruleById(DOCTOR_RULES, 'doctor.azure-preview'),
    valid: [
      { name: 'GA with_azure on a realtime deployment', events: [azureCall({ deployment: 'gpt-realtime', model: null, apiVersion: null })] },
      {
        name: 'LK_OPENAI_DEBUG in .env only',
        events: [ev(0, 'log', 'doctor.env', { name: 'LK_OPENAI_DEBUG', value: '1', file: '.env', line: 1, from: 'dotenv' })],
      },
    ],
    codes: {
      'setup/azure-preview-retired': {
        invalid: [
          {
            name: 'with_azure(api_version="2024-10-01-preview")',
            events: [azureCall({ deployment: 'my-realtime', model: null, apiVersion: '2024-10-01-preview' })],
            findings: ['warning:setup/azure-preview-retired'],
          },
          {
            name: 'OPENAI_API_VERSION in .env',
            events: [ev(0, 'log', 'doctor.env', { name: 'OPENAI_API_VERSION', value: '2025-04-01-preview', file: '.env', line: 2, from: 'dotenv' })],
            findings: ['warning:setup/azure-preview-retired'],
          },
        ],
      },
      'setup/azure-old-url': {
        invalid: [
          {
            name: 'with_azure on livekit-agents 1.5.2',
            events: [
              azureCall({ deployment: 'gpt-realtime', model: null, apiVersion: null }),
              ev(0, 'log', 'doctor.dependency', { ecosystem: 'python', package: 'livekit-agents', version: '1.5.2', via: 'lock', file: 'uv.lock' }),
            ],
            findings: ['warning:setup/azure-old-url'],
          },
        ],
      },
      'setup/azure-deployment-model': {
        invalid: [
          {
            name: 'a deployment named gpt-4o',
            events: [azureCall({ deployment: 'gpt-4o', model: null, apiVersion: null })],
            findings: ['warning:setup/azure-deployment-model'],
          },
          {
            name: 'model and deployment disagree',
            events: [azureCall({ deployment: 'my-realtime', model: 'gpt-realtime-mini', apiVersion: null })],
            findings: ['warning:setup/azure-deployment-model'],
          },
        ],
      },
    },
  },
];
