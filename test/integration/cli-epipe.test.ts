import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/lkdiag.js', import.meta.url));
const LOG = fileURLToPath(new URL('../../fixtures/logs/versions/node-1.0.51-invalid-api-key-info.log', import.meta.url));

/** `lkdiag … | head -1`: the reader closes the pipe after the first chunk. */
function readFirstChunkThenClose(args: string[]): Promise<{ code: number | null; stderr: string; got: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', (d: Buffer) => {
      got = d.length;
      child.stdout.destroy();
    });
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('lkdiag did not exit within 30 s after its reader went away'));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, stderr, got });
    });
  });
}

describe('a reader that stops reading (lkdiag … | head)', () => {
  it('--json trace log: exits quietly, no "unexpected" error, no stack', async () => {
    const r = await readFirstChunkThenClose(['--json', 'trace', 'log', LOG]);
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|unexpected|at .*\.js/);
    expect(r.code).toBe(0);
  });
});
