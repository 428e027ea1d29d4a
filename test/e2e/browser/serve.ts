// A tiny static HTTP server for the real-client e2e: fixtures/clients/web/ at /, and each installed
// livekit-client's own ESM bundle at /lk/<version>/livekit-client.esm.mjs (2.23.0 from livekit-client,
// 2.15.3 from the livekit-client-2153 alias). 127.0.0.1 is a secure context, so getUserMedia and
// MediaRecorder work without TLS.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { REPO_ROOT } from '../harness.js';

/** livekit-client versions the page can load, by the package directory that holds each. */
export const LIVEKIT_CLIENTS = { '2.23.0': 'livekit-client', '2.15.3': 'livekit-client-2153' } as const;
export type LivekitClientVersion = keyof typeof LIVEKIT_CLIENTS;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };
const WEB = join(REPO_ROOT, 'fixtures', 'clients', 'web');

function resolvePath(url: string): string | undefined {
  const path = normalize(decodeURIComponent(new URL(url, 'http://x').pathname));
  const lk = /^\/lk\/([^/]+)\/(livekit-client\.esm\.mjs(?:\.map)?)$/.exec(path);
  if (lk) {
    const pkg = LIVEKIT_CLIENTS[lk[1] as LivekitClientVersion];
    return pkg ? join(REPO_ROOT, 'node_modules', pkg, 'dist', lk[2] ?? '') : undefined;
  }
  if (path.includes('..')) return undefined;
  return join(WEB, path === '/' ? 'index.html' : path);
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveWebClient(): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const file = resolvePath(req.url ?? '/');
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
