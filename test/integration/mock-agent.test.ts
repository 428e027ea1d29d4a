import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lkdiag } from '../helpers/cli.js';

const EMPTY = mkdtempSync(join(tmpdir(), 'lkdiag-ma-'));
const creds = ['--url', 'ws://127.0.0.1:1', '--api-key', 'devkey', '--api-secret', 'not-a-real-secret-0002'];

describe('mock-agent --help', () => {
  it('names the checks, the faults and the connection flags', async () => {
    const r = await lkdiag(['mock-agent', '--help'], { cwd: EMPTY });
    expect(r.code).toBe(0);
    for (const s of [
      '--room',
      '--fault',
      'active-late:MS',
      'handler-late:MS',
      'no-handler',
      'never-active',
      'avatar',
      '--timeout',
      '--reference',
      '--html',
      '--junit',
    ])
      expect(r.stdout).toContain(s);
    expect(r.stdout).toContain('lk.agent.pre-connect-audio-buffer');
  });
});

describe.concurrent('mock-agent bad input: one line what, one line what to do, the documented exit code', () => {
  it.each<[string, string[], number, RegExp]>([
    ['neither --room nor --agent-name', [...creds], 2, /mock-agent needs --room or --agent-name/],
    ['--agent-name with a token only', ['--agent-name', 'a', '--url', 'ws://127.0.0.1:1', '--api-key', 'k'], 2, /LIVEKIT_API_SECRET not set/],
    ['invalid room name', ['--room', 'has space', ...creds], 2, /invalid room name/],
    ['unknown fault', ['--room', 'r', '--fault', 'crash', ...creds], 2, /unknown --fault "crash"/],
    ['fault without its delay', ['--room', 'r', '--fault', 'active-late', ...creds], 2, /--fault active-late needs a delay/],
    ['fault with a bad delay', ['--room', 'r', '--fault', 'handler-late:-5', ...creds], 2, /--fault handler-late needs a delay/],
    ['no LiveKit URL', ['--room', 'r'], 2, /LIVEKIT_URL is not set/],
    ['bad timeout', ['--room', 'r', '--timeout', '0', ...creds], 2, /positive number of seconds/],
    ['reply WAV missing', ['--room', 'r', '--reply', '/nonexistent.wav', ...creds], 2, /no such file/],
    ['unreachable server', ['--room', 'r', ...creds], 3, /cannot reach the LiveKit server at ws:\/\/127\.0\.0\.1:1/],
  ])('%s', async (_name, args, exit, message) => {
    const r = await lkdiag(['mock-agent', ...args], { cwd: EMPTY, timeoutMs: 30_000 });
    expect(r.code).toBe(exit);
    expect(r.stdout).toBe('');
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('using '));
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/^hint: /);
    expect(lines).toHaveLength(2);
    expect(r.stderr).not.toContain('not-a-real-secret-0002');
  });
});
