// A TCP proxy for fault tests: the CLI talks to the LiveKit server's signal port (HTTP API and
// WebSocket) through it, and the test cuts the network by killing it. Node built-ins only.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** ws://127.0.0.1:PORT: give it to the CLI as --url. */
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections open now. */
  open(): number;
  /** Cuts the network: stops listening and resets every connection at once (no FIN, no close frame). */
  kill(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Reset every connection whose request is a WebSocket upgrade, and pass plain HTTP through (a proxy without upgrade support). */
  refuseUpgrades?: boolean;
}

export async function startTcpProxy(target: { host?: string; port: number }, opts: TcpProxyOptions = {}): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target.port, host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.pipe(client);
    if (!opts.refuseUpgrades) {
      client.pipe(upstream);
      return;
    }
    // The request head decides: an upgrade is reset, anything else flows through from its first chunk on.
    client.once('data', (first: Buffer) => {
      if (/^upgrade:\s*websocket/im.test(first.toString('latin1'))) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(first);
      client.pipe(upstream);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    accepted: () => accepted,
    open: () => [...sockets].filter((s) => s.remotePort !== target.port).length,
    kill: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
      await closed;
    },
  };
}
