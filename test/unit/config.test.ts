import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config, describeSource } from '../../src/config.js';
import { redact } from '../../src/redact.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lkdiag-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('Config precedence: flag > env > .env.local > .env > default', () => {
  const files = {
    '.env': 'LIVEKIT_URL=ws://from-dotenv\nOPENAI_BASE_URL=http://dotenv/v1\nLIVEKIT_API_KEY=k-dotenv\n',
    '.env.local': 'LIVEKIT_URL=ws://from-local\nLIVEKIT_API_KEY=k-local\n',
  };

  it('takes the flag over everything', () => {
    const c = new Config({ LIVEKIT_URL: 'ws://from-env' }, dir(files));
    expect(c.get('LIVEKIT_URL', 'ws://from-flag')).toEqual({ value: 'ws://from-flag', source: 'flag' });
  });
  it('takes the environment over the files', () => {
    const c = new Config({ LIVEKIT_URL: 'ws://from-env' }, dir(files));
    expect(c.get('LIVEKIT_URL')).toEqual({ value: 'ws://from-env', source: 'env' });
  });
  it('takes .env.local over .env', () => {
    const c = new Config({}, dir(files));
    expect(c.get('LIVEKIT_URL')).toEqual({ value: 'ws://from-local', source: '.env.local' });
    expect(c.get('OPENAI_BASE_URL')).toEqual({ value: 'http://dotenv/v1', source: '.env' });
  });
  it('falls back to the default, else undefined; empty values do not count', () => {
    const c = new Config({ OPENAI_API_KEY: '' }, dir({}));
    expect(c.get('OPENAI_API_KEY')).toBeUndefined();
    expect(c.get('OPENAI_BASE_URL', undefined, 'https://api.openai.com/v1')).toEqual({ value: 'https://api.openai.com/v1', source: 'default' });
    expect(c.get('OPENAI_BASE_URL', '', 'https://x/v1')?.source).toBe('default');
  });
  it('describes where a value came from without printing it', () => {
    const c = new Config({}, dir(files));
    expect(describeSource('LIVEKIT_API_KEY', c.get('LIVEKIT_API_KEY'))).toBe('LIVEKIT_API_KEY from .env.local');
    expect(describeSource('OPENAI_API_KEY', undefined)).toBe('OPENAI_API_KEY: not set');
  });
  it('registers secrets from every source for redaction', () => {
    const secret = 'zz-secret-from-dotenv-local-4711';
    new Config({}, dir({ '.env.local': `OPENAI_API_KEY=${secret}\n` }));
    expect(redact(`key is ${secret}.`)).toBe('key is ***.');
  });
});
