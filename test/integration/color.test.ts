import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, lkdiag } from '../helpers/cli.js';

/** Runs lkdiag on a pseudo-terminal (util-linux `script`), where chalk colours by default. */
function onTty(extraEnv: Record<string, string>, opts: { size?: boolean; scenario?: string } = {}): string {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', TERM: 'xterm-256color', ...extraEnv };
  const cmd = `${opts.size ? 'stty cols 120 rows 40; ' : ''}${process.execPath} ${BIN} probe-openai --simulate ${opts.scenario ?? 'drop-metadata'}`;
  try {
    return execFileSync('script', ['-qec', cmd, '/dev/null'], { env, encoding: 'utf8', timeout: 60_000 });
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? ''); // exit 1: the finding
  }
}

const ANSI = /\u001b\[\d+(;\d+)*m/;
// A probe with a finding: its text output has coloured severities, verdicts and fix labels.
const args = ['probe-openai', '--simulate', 'drop-metadata'];

describe.concurrent('colour: NO_COLOR (which chalk ignores), FORCE_COLOR and --no-color', () => {
  it('FORCE_COLOR=1 colours the report even on a pipe', async () => {
    const r = await lkdiag(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
  });
  it('on a terminal: coloured by default, and NO_COLOR=1 turns colour off (chalk alone would not)', () => {
    const plain = onTty({});
    expect(plain).toContain('openai/metadata-not-echoed');
    expect(plain).toMatch(ANSI);
    const noColor = onTty({ NO_COLOR: '1' });
    expect(noColor).toContain('openai/metadata-not-echoed');
    expect(noColor).not.toMatch(ANSI);
  });
  it('a spinner on a sized terminal; none on a terminal with no size (ora would never finish redrawing)', () => {
    const spinning = onTty({}, { size: true, scenario: '' });
    expect(spinning).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏](\u001b\[\d+m)? probing/);
    expect(spinning).toContain('healthy');
    const sizeless = onTty({}, { scenario: '' });
    expect(sizeless).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(sizeless).toContain('healthy');
  });

  it('an empty NO_COLOR does not count', async () => {
    const r = await lkdiag(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
  });
  it('--no-color wins over FORCE_COLOR', async () => {
    const r = await lkdiag([...args, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
  });
  it('--json is never coloured, and nothing but the document goes to stdout', async () => {
    const r = await lkdiag([...args, '--json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
    expect(JSON.parse(r.stdout).schema).toBe('lkdiag/v1');
  });
  it('no spinner frames on stderr when not a TTY or under CI', async () => {
    const r = await lkdiag(args, { env: { CI: 'true' } });
    expect(r.stderr).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });
});
