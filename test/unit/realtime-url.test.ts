import { describe, expect, it } from 'vitest';
import { realtimeUrl, isOpenAIHost } from '../../src/protocol/realtime-url.js';
import { UserError } from '../../src/errors.js';

const u = (base: string, model = 'gpt-realtime') => realtimeUrl(base, model).toString();

describe('realtimeUrl: the Python plugin process_base_url semantics', () => {
  it.each([
    ['https://api.openai.com/v1', 'wss://api.openai.com/v1/realtime?model=gpt-realtime'],
    ['https://api.openai.com/v1/', 'wss://api.openai.com/v1/realtime?model=gpt-realtime'],
    ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/realtime?model=gpt-realtime'],
    ['http://127.0.0.1:8080/', 'ws://127.0.0.1:8080/realtime?model=gpt-realtime'],
    ['https://x.openai.azure.com/openai', 'wss://x.openai.azure.com/openai/realtime?model=gpt-realtime'],
    ['https://x.openai.azure.com/openai/v1', 'wss://x.openai.azure.com/openai/v1/realtime?model=gpt-realtime'],
    ['http://proxy.local/custom/path', 'ws://proxy.local/custom/path?model=gpt-realtime'],
    ['http://127.0.0.1:9/scenario/drop-metadata/v1/realtime', 'ws://127.0.0.1:9/scenario/drop-metadata/v1/realtime?model=gpt-realtime'],
    ['wss://gw.example/v1', 'wss://gw.example/v1/realtime?model=gpt-realtime'],
  ])('%s → %s', (base, expected) => {
    expect(u(base)).toBe(expected);
  });

  it('keeps a model already in the query', () => {
    expect(u('https://gw.example/v1?model=other', 'gpt-realtime')).toBe('wss://gw.example/v1/realtime?model=other');
  });
  it('keeps other query parameters', () => {
    expect(u('https://x.example/openai/realtime?api-version=2024-10-01&deployment=d')).toBe(
      'wss://x.example/openai/realtime?api-version=2024-10-01&deployment=d&model=gpt-realtime',
    );
  });
  it('rejects an invalid URL as a usage error', () => {
    expect(() => u('not a url')).toThrow(UserError);
    expect(() => u('ftp://x/v1')).toThrow(/unsupported base URL scheme/);
  });
  it('knows OpenAI’s own host', () => {
    expect(isOpenAIHost('https://api.openai.com/v1')).toBe(true);
    expect(isOpenAIHost('http://127.0.0.1:1/v1')).toBe(false);
  });
});
