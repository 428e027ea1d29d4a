/**
 * trace log on Azure OpenAI agents: the plugins' own wordings (verbatim from the installed sources) read into
 * log.azure.realtime-error / probe.upgrade.response / openai.* events, and the azure rules on them.
 * - livekit-agents 1.8.9 livekit/agents/llm/_realtime/openai.py: 492–498, 689–697 (deprecation warnings),
 *   1079–1082 ("… connection failed, retrying in …s" with exc_info), 1105 ("connecting to Realtime API: <url>").
 * - agents-js @livekit/agents-plugin-openai 1.9.0 dist/realtime/realtime_model.js 198–200.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { ALL_RULES } from '../../src/diagnose/rules/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { parseLogStream } from '../../src/sources/logs/index.js';

async function trace(lines: string[]): Promise<{ events: TraceEvent[]; codes: string[] }> {
  const events: TraceEvent[] = [];
  for await (const e of parseLogStream(Readable.from([Buffer.from(`${lines.join('\n')}\n`)]))) events.push(e);
  const codes = diagnose(events, ALL_RULES, { command: 'trace log' })
    .map((f) => `${f.severity}:${f.code}`)
    .sort();
  return { events, codes };
}

const py = (level: string, name: string, message: string, ts: string, extra = '') =>
  JSON.stringify({ message, level, name, ...(extra ? JSON.parse(extra) : {}), timestamp: ts });
const T = '2026-11-21T10:00:0';

describe('Azure wordings from the plugins', () => {
  it.each([
    ['python with_azure(api_version=…)', 'The `api_version` parameter in `with_azure` is deprecated and will be removed on April 30, 2026.'],
    ['python RealtimeModel(api_version=…)', 'The `api_version` parameter is deprecated and will be removed on April 30, 2026.'],
    ['python OPENAI_API_VERSION', 'The OPENAI_API_VERSION environment variable is deprecated and will be removed on April 30, 2026.'],
  ])('%s → log.azure.realtime-error api-version-deprecated → warning azure/preview-retired', async (_name, message) => {
    const { events, codes } = await trace([py('WARNING', 'livekit.agents', message, `${T}0.000000+00:00`)]);
    expect(events.map((e) => [e.kind, (e.data as { what?: string }).what])).toEqual([['log.azure.realtime-error', 'api-version-deprecated']]);
    expect(codes).toEqual(['warning:azure/preview-retired']);
  });

  it('agents-js withAzure({ apiVersion }) (pino, level 40) → the same warning', async () => {
    const msg =
      'The `apiVersion` parameter for Azure OpenAI Realtime is deprecated and will be removed on April 30, 2026. Please use the newer Azure OpenAI Realtime API without specifying an API version.';
    const { events, codes } = await trace([JSON.stringify({ level: 40, time: 1795255200000, pid: 1, hostname: 'h', msg })]);
    expect(events.map((e) => e.kind)).toEqual(['log.azure.realtime-error']);
    expect(codes).toEqual(['warning:azure/preview-retired']);
  });

  it("Azure's OperationNotSupported body in a record → error azure/operation-not-supported", async () => {
    const body =
      "Error code: 400 - {'error': {'code': 'OperationNotSupported', 'message': 'The realtime operation does not work with the specified model, gpt-4o. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.'}}";
    const { events, codes } = await trace([py('ERROR', 'livekit.agents', body, `${T}1.000000+00:00`)]);
    expect(events.map((e) => [e.kind, (e.data as { what?: string }).what])).toEqual([['log.azure.realtime-error', 'operation-not-supported']]);
    expect(codes).toEqual(['error:azure/operation-not-supported']);
  });

  it('a followed redirect: WSServerHandshakeError 200 after connecting to an Azure preview URL → warning azure/realtime-redirect', async () => {
    const url = 'wss://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=my-realtime';
    const exc = [
      'Traceback (most recent call last):',
      '  File "/venv/lib/python3.11/site-packages/livekit/agents/llm/_realtime/openai.py", line 1109, in _create_ws_conn',
      "aiohttp.client_exceptions.WSServerHandshakeError: 200, message='Invalid response status', url='https://res.openai.azure.com/openai/realtime-preview-migration'",
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'livekit.agents._exceptions.APIConnectionError: OpenAI Realtime API client connection error',
    ].join('\n');
    const { events, codes } = await trace([
      py('DEBUG', 'livekit.agents', `connecting to Realtime API: ${url}`, `${T}0.000000+00:00`),
      py(
        'WARNING',
        'livekit.agents',
        'OpenAI Realtime API connection failed, retrying in 2.0s',
        `${T}1.000000+00:00`,
        JSON.stringify({ exc_info: exc, attempt: 0, max_retries: 3 }),
      ),
    ]);
    expect(events.map((e) => e.kind)).toContain('probe.upgrade.response');
    expect(codes).toEqual(['error:openai/upgrade-rejected', 'warning:azure/realtime-redirect']);
  });

  it('LK_OPENAI_DEBUG: every response.done failed with server_error on Azure → error azure/server-error-loop', async () => {
    const failed = (i: number) =>
      py(
        'DEBUG',
        'livekit.agents',
        '<<<',
        `${T}${i + 2}.000000+00:00`,
        JSON.stringify({
          'lk.pii.event': {
            type: 'response.done',
            response: {
              id: `resp_${i}`,
              status: 'failed',
              status_details: {
                type: 'failed',
                error: {
                  type: 'server_error',
                  code: null,
                  message:
                    'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at aoai-realtimeapi-dri@microsoft.com if the error persists.',
                },
              },
              output: [],
            },
          },
        }),
      );
    const { codes } = await trace([
      py('DEBUG', 'livekit.agents', 'connecting to Realtime API: wss://res.openai.azure.com/openai/v1/realtime?model=my-realtime', `${T}0.000000+00:00`),
      failed(0),
      failed(1),
    ]);
    expect(codes).toEqual(['error:azure/server-error-loop', 'error:openai/response-failed', 'error:openai/response-failed']);
  });
});

describe('xAI wordings (livekit-plugins-xai: provider label "xAI Realtime API", realtime_model.py 128)', () => {
  it('"xAI Realtime API returned an error: …" → the openai.error event, on the same rules', async () => {
    const msg =
      "xAI Realtime API returned an error: RealtimeError(message='Incorrect API key provided: xai-…abcd.', type='invalid_request_error', code='invalid_api_key', event_id=None, param=None)";
    const { events, codes } = await trace([py('ERROR', 'livekit.agents', msg, `${T}0.000000+00:00`)]);
    expect(events.map((e) => e.kind)).toEqual(['openai.error']);
    expect(codes).toEqual(['error:openai/invalid-api-key']);
  });
  it('"xAI Realtime API connection failed, retrying in 2.0s" → the same connection-error event as OpenAI\'s', async () => {
    const { events } = await trace([py('WARNING', 'livekit.agents', 'xAI Realtime API connection failed, retrying in 2.0s', `${T}0.000000+00:00`)]);
    expect(events.map((e) => e.kind)).toEqual(['log.openai.connection-error']);
  });
});
