import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** rtc-node's own logger, reached the way rtc-node loads it, then an error line logged through it. */
const script = (redirect: boolean) => `
process.env.NODE_ENV = 'production';
await import('@livekit/rtc-node');
${redirect ? "const { rtcLogsToStderr } = await import('./dist/sources/rtc-log.js'); if (!rtcLogsToStderr()) process.exit(9);" : ''}
const { createRequire } = await import('node:module');
const { fileURLToPath } = await import('node:url');
const req = createRequire(fileURLToPath(import.meta.resolve('@livekit/rtc-node')));
req('./log.cjs').log.error('error reading stream: test line');
`;

function run(redirect: boolean) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script(redirect)], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe("rtc-node's log lines go to stderr, never into the --json stdout", () => {
  it('without the redirect, rtc-node writes its error line to stdout (what corrupted a report)', () => {
    const r = run(false);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('error reading stream: test line');
  });

  it('with rtcLogsToStderr(), stdout stays empty and the line is on stderr', () => {
    const r = run(true);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error reading stream: test line');
  });
});
