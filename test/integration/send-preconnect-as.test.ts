import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, lkdiag } from '../helpers/cli.js';

const EMPTY = mkdtempSync(join(tmpdir(), 'lkdiag-spas-'));
const TWO_PART = join(ROOT, 'fixtures/audio/two-part.wav');
const SPEECH = join(ROOT, 'fixtures/audio/speech-48k-mono.wav');
const MP4 = join(ROOT, 'fixtures/audio/encoded/speech-mediarecorder.mp4');
const creds = ['--url', 'ws://127.0.0.1:1', '--api-key', 'devkey', '--api-secret', 'not-a-real-secret-0001'];

describe('send-preconnect --as / --buffer-file / --mime', () => {
  it('help names the SDKs, the buffer file and the mime fault', async () => {
    const r = await lkdiag(['send-preconnect', '--help'], { cwd: EMPTY, timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--as <sdk>');
    expect(help).toContain('js (audio/webm;codecs=opus in 100 ms blobs');
    expect(help).toContain('swift (PCM 24 kHz, streamed), android (PCM 48 kHz, one write)');
    expect(help).toContain('--buffer-file <file>');
    expect(help).toContain('--mime <type> fault: label the buffer');
  });

  it.concurrent.each<[string, string[], RegExp]>([
    ['--as js with a WAV that has no recording', ['--audio', TWO_PART, '--as', 'js'], /--as js needs a WebM\/Opus recording/],
    ['--buffer-file with --as swift', ['--audio', SPEECH, '--as', 'swift', '--buffer-file', MP4], /--buffer-file cannot be used with --as swift/],
    ['--buffer-file with --as android', ['--audio', SPEECH, '--as', 'android', '--buffer-file', MP4], /--buffer-file cannot be used with --as android/],
    ['--mime alone', ['--audio', SPEECH, '--mime', 'video/mp4'], /--mime needs --as or --buffer-file/],
    ['--stereo with --as', ['--audio', SPEECH, '--as', 'js', '--stereo'], /--stereo cannot be combined with --as js/],
    ['missing buffer file', ['--audio', SPEECH, '--buffer-file', '/nonexistent.webm'], /--buffer-file \/nonexistent\.webm: no such file/],
    ['unknown container', ['--audio', SPEECH, '--buffer-file', TWO_PART], /unknown container/],
    ['unknown SDK', ['--audio', SPEECH, '--as', 'flutter'], /expected one of: js, swift, android/],
    ['empty --mime', ['--audio', SPEECH, '--as', 'js', '--mime', ''], /--mime/],
  ])('%s: exit 2, one line what, one line what to do', async (_name, args, message) => {
    const r = await lkdiag(['send-preconnect', '--room', 'r', ...args, ...creds], { cwd: EMPTY, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
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

  it('a valid --as gets past the input checks to the connection (exit 3, not 2)', async () => {
    const r = await lkdiag(['send-preconnect', '--room', 'r', '--audio', SPEECH, '--as', 'js', '--agent-name', 'a', ...creds], {
      cwd: EMPTY,
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the LiveKit server/);
  });
});
