// The harness itself (issue #10 proof run, stop 17): livekit-server exits 0 when its port is taken
// ("listen tcp …: bind: address already in use", its main prints the error and returns), which a
// fresh-machine CI run hit once in the faults suite. The harness picks ports below the ephemeral range
// and starts the server again on fresh ports when that happens; any other early exit still fails.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpRange, makeTempDir, startLivekitServer, type LivekitServer } from './harness.js';
import { e2ePrereqs } from './prereqs.js';

const { skip } = e2ePrereqs();

const ephemeralLow = (): number => Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('harness ports', () => {
  it('picks TCP ports below the ephemeral range, never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freeTcpPort()));
    expect(new Set(ports).size).toBe(20);
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(10000), expect(p).toBeLessThan(ephemeralLow());
  });
  it('picks UDP ranges below the ephemeral range', async () => {
    const [a, b] = await freeUdpRange(20);
    expect(b - a).toBe(19);
    expect(b).toBeLessThan(ephemeralLow());
  });
});

describe.skipIf(skip)('harness: livekit-server start with its port taken', () => {
  // Holds the port; anything that connects (the harness's readiness poll) is cut at once.
  const held = net.createServer((sock) => sock.destroy());
  let server: LivekitServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((res) => held.close(() => res()));
  });

  it('starts again on a fresh port, and keeps the failed attempt log', async () => {
    const port = await freeTcpPort();
    await new Promise<void>((res) => held.listen(port, '127.0.0.1', () => res()));
    server = await startLivekitServer({ port });
    expect(server.attempts).toBe(2);
    expect(server.port).not.toBe(port);
    expect(readFileSync(join(server.dir, 'livekit-server.log'), 'utf8')).toMatch(/address already in use/);
    const res = await fetch(server.httpUrl);
    expect(res.ok).toBe(true);
  }, 60_000);

  it('an exit for any other reason is not retried', async () => {
    const dir = makeTempDir('lkdiag-lks-bad-');
    await expect(startLivekitServer({ dir, extraConfigYaml: 'keys: [not, a, map]' })).rejects.toThrow(
      /livekit-server: process exited \(code \d+, signal null\) before it was ready/,
    );
  }, 60_000);
});
