import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, lkdiag } from '../helpers/cli.js';

const EMPTY = mkdtempSync(join(tmpdir(), 'lkdiag-sp-'));
const WAV = join(ROOT, 'fixtures/audio/two-part.wav');
const creds = ['--url', 'ws://127.0.0.1:1', '--api-key', 'devkey', '--api-secret', 'not-a-real-secret-0001'];

describe.concurrent('send-preconnect bad input: one line what, one line what to do, the documented exit code', () => {
  it.each<[string, string[], number, RegExp]>([
    ['invalid room name', ['--room', 'has space', '--audio', WAV, ...creds], 2, /invalid room name/],
    ['missing --room', ['--audio', WAV, ...creds], 2, /required option '--room/],
    ['WAV missing', ['--room', 'r', '--audio', '/nonexistent.wav', ...creds], 2, /no such file/],
    ['WAV not RIFF', ['--room', 'r', '--audio', join(ROOT, 'fixtures/audio/bad/not-riff.wav'), ...creds], 2, /not a WAV file/],
    ['WAV compressed', ['--room', 'r', '--audio', join(ROOT, 'fixtures/audio/bad/adpcm.wav'), ...creds], 2, /compressed codec/],
    ['WAV zero frames', ['--room', 'r', '--audio', join(ROOT, 'fixtures/audio/bad/zero-frames.wav'), ...creds], 2, /no audio frames/],
    ['no LiveKit URL', ['--room', 'r', '--audio', WAV], 2, /LIVEKIT_URL is not set/],
    ['no API secret', ['--room', 'r', '--audio', WAV, '--url', 'ws://127.0.0.1:1', '--api-key', 'k'], 2, /LIVEKIT_API_SECRET not set/],
    ['bad URL', ['--room', 'r', '--audio', WAV, '--url', 'not a url', '--api-key', 'k', '--api-secret', 's'], 2, /invalid LiveKit URL/],
    ['dispatch without agent', ['--room', 'r', '--audio', WAV, '--dispatch', 'api', ...creds], 2, /--dispatch api needs --agent-name/],
    ['bad timeout', ['--room', 'r', '--audio', WAV, '--agent-timeout', '0', ...creds], 2, /positive number of seconds/],
    ['bad mode', ['--room', 'r', '--audio', WAV, '--mode', 'burst', ...creds], 2, /expected one of: stream, snapshot/],
    ['unreachable server', ['--room', 'r', '--audio', WAV, '--agent-name', 'a', ...creds], 3, /cannot reach the LiveKit server at ws:\/\/127\.0\.0\.1:1/],
  ])('%s', async (_name, args, exit, message) => {
    const r = await lkdiag(['send-preconnect', ...args], { cwd: EMPTY, timeoutMs: 30_000 });
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
    expect(r.stderr).not.toContain('not-a-real-secret-0001');
  });
});
