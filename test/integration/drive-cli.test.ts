import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesOf, lkdiag, type JsonReport } from '../helpers/cli.js';

const env = { NO_COLOR: '1' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}

describe('lkdiag drive (CLI)', () => {
  it('--help lists the agent flags, the model and the gates', async () => {
    const r = await lkdiag(['drive', '--help'], { env });
    expect(r.code).toBe(0);
    for (const flag of [
      '--agent <entry>',
      '--agent-cmd <command>',
      '--listen <port>',
      '--model <model>',
      '--script <file>',
      '--max-heard-latency <ms>',
      '--max-yield <ms>',
      '--record-audio <file.wav>',
      '--junit <file>',
      '--html <file>',
    ])
      expect(r.stdout).toContain(flag);
  });

  it('a bad script: exit 2, the file and step named, and what to do (before any agent starts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-drive-cli-'));
    const f = join(dir, 'script.json');
    writeFileSync(f, JSON.stringify({ turns: [{ pause: 10 }, { wait: 'reply' }, { say: 'missing.wav' }] }));
    const r = await lkdiag(['drive', '--listen', String(await freePort()), '--script', f], { env, timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'error: script.json: turns[2].say: file not found (missing.wav)',
      expect.stringMatching(/^hint: WAV paths in a script are relative to the script's directory/),
    ]);
  });

  it('no agent source, or two: exit 2', async () => {
    const none = await lkdiag(['drive'], { env });
    expect([none.code, none.stderr.split('\n')[0]]).toEqual([2, 'error: drive needs --agent, --agent-cmd or --listen']);
    const two = await lkdiag(['drive', '--listen', '9', '--agent-cmd', 'x {addr}'], { env });
    expect([two.code, two.stderr.split('\n')[0]]).toEqual([2, 'error: give one of --agent, --agent-cmd, --listen']);
  });

  it('an unknown --model or scenario: exit 2', async () => {
    const r = await lkdiag(['drive', '--listen', String(await freePort()), '--model', 'gpt-9'], { env });
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'error: --model gpt-9: unknown model']);
    const s = await lkdiag(['drive', '--listen', String(await freePort()), '--model', 'simulate:nope'], { env });
    expect(s.code).toBe(2);
    expect(s.stderr.split('\n')[0]).toMatch(/^error: --model simulate:nope: /);
  });

  it('--listen with no agent: exit 4 within its bound, drive/agent-not-connected', async () => {
    const r = await lkdiag(['drive', '--json', '--listen', String(await freePort()), '--connect-timeout', '1.5'], { env, timeoutMs: 20_000 });
    expect(r.code).toBe(4);
    // bound 1.5 s + start-up (loading the default script's WAVs ~2 s on a loaded machine); a hang would hit the 20 s kill
    expect(r.ms).toBeLessThan(12_000);
    const rep = r.json<JsonReport>();
    expect([rep.schema, rep.command, rep.exitCode]).toEqual(['lkdiag/v1', 'drive', 4]);
    expect(codesOf(rep)).toEqual(['error:drive/agent-not-connected']);
  });

  it("--junit and --html are written (smoke's renderers: the session is one run)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkdiag-drive-out-'));
    const junit = join(dir, 'drive.xml');
    const html = join(dir, 'drive.html');
    const summary = join(dir, 'summary.md');
    const r = await lkdiag(['drive', '--listen', String(await freePort()), '--connect-timeout', '1', '--junit', junit, '--html', html], {
      env: { ...env, GITHUB_STEP_SUMMARY: summary },
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(4);
    const xml = readFileSync(junit, 'utf8');
    for (const g of ['heard-latency', 'yield', 'no-error-finding', 'all-answered']) expect(xml).toContain(`name="${g}"`);
    expect(xml).toContain('drive/agent-not-connected');
    expect(readFileSync(html, 'utf8')).toContain('drive.agent.not-connected');
    expect(readFileSync(summary, 'utf8')).toContain('`no-error-finding`');
  });

  it('--agent-cmd that never connects: exit 4, the process is killed', async () => {
    const cmd = `${process.execPath} -e "setInterval(()=>{},1000)" {addr}`;
    const r = await lkdiag(['drive', '--json', '--agent-cmd', cmd, '--connect-timeout', '1.5'], { env, timeoutMs: 20_000 });
    expect(r.code).toBe(4);
    expect(r.ms).toBeLessThan(14_000);
    const rep = r.json<JsonReport & { events: Array<{ kind: string; data: { expected?: boolean } }> }>();
    expect(codesOf(rep)).toEqual(['error:drive/agent-not-connected']);
    expect(rep.events.find((e) => e.kind === 'drive.agent.exited')?.data.expected).toBe(true);
  });

  it('--agent-cmd that exits at once: exit 3, drive/agent-exited with its last line', async () => {
    const cmd = `${process.execPath} -e "console.error('boom: no config'); process.exit(7)" {addr}`;
    const r = await lkdiag(['drive', '--json', '--agent-cmd', cmd, '--connect-timeout', '10'], { env, timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(12_000);
    const rep = r.json<JsonReport>();
    expect(codesOf(rep)).toEqual(['error:drive/agent-exited']);
    expect(rep.findings[0]!.detail).toContain('The agent exited with code 7 before it connected.');
    expect(rep.findings[0]!.detail).toContain('boom: no config');
  });
});
