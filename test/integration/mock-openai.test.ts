import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

/** Starts `lkdiag mock-openai` as a user would and reads the base URL it prints on stdout. */
function startMock(args: string[]): Promise<{ url: string; stop(): Promise<number | null>; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'mock-openai', ...args], {
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock-openai printed no URL within 10 s: ${err}`)), 10_000);
    child.stdout.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve({
        url: d.toString().trim(),
        stderr: () => err,
        stop: () =>
          new Promise((res) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('close', (code) => (clearTimeout(kill), res(code)));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

describe('lkdiag mock-openai', () => {
  it('prints its base URL, serves a probe, records what it received, and exits 0 on SIGTERM', async () => {
    const rec = mkdtempSync(join(tmpdir(), 'lkdiag-mock-rec-'));
    const mock = await startMock(['--scenario', 'drop-metadata', '--record', rec]);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const r = await lkdiag(['probe-openai', '--json', '--base-url', mock.url, '--api-key', 'sk-test-00000000']);
    expect(codesOf(r.json<JsonReport>())).toEqual(['error:openai/metadata-not-echoed']);
    expect(await mock.stop()).toBe(0);
    const files = readdirSync(rec);
    expect(files).toContain('events.json');
    expect(files.some((f) => /^input-.*\.wav$/.test(f))).toBe(true);
    const events = readFileSync(join(rec, 'events.json'), 'utf8');
    expect(events).toContain('response.create');
    expect(events).not.toContain('sk-test-00000000');
  });

  it('--port binds the given port; --json prints one line with the URL', async () => {
    const port = 20000 + (process.pid % 20000);
    const mock = await startMock(['--port', String(port), '--json']);
    const line = JSON.parse(mock.url) as { schema: string; baseUrl: string; port: number };
    expect(line.schema).toBe('lkdiag/v1');
    expect(line.port).toBe(port);
    expect(line.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    const busy = await lkdiag(['mock-openai', '--port', String(port)]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/^error: port \d+ on 127\.0\.0\.1 is already in use/m);
    expect(await mock.stop()).toBe(0);
  });

  it('--list names every scenario; an unknown one is exit 2 with the valid names', async () => {
    const list = await lkdiag(['mock-openai', '--list']);
    for (const name of [
      'upgrade-401',
      'upgrade-403',
      'upgrade-404',
      'upgrade-429',
      'invalid-api-key',
      'beta-disabled',
      'expire-after',
      'expire-after-reply',
      'delay-created',
      'reply-audio',
      'drop-metadata',
      'fail-model-not-found',
      'fail-insufficient-quota',
      'fail-rate-limit',
      'incomplete',
      'text-only',
      'reject-session-update',
    ]) {
      expect(list.stdout).toContain(name);
    }
    const bad = await lkdiag(['mock-openai', '--scenario', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*nope/m);
    expect(bad.stderr).toMatch(/^hint: .*upgrade-401/m);
    expect(existsSync(BIN)).toBe(true);
  });
});
