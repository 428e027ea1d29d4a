/**
 * The real stack for bench/smoke.mjs (a bench cannot import the TypeScript e2e harness): a
 * livekit-server --dev on loopback, the Realtime simulator (from dist/) in this process, and N
 * Python reference agents. Same prerequisites as the e2e tests (scripts/install-livekit-server.sh,
 * scripts/setup-agent-venv.sh); nothing is installed here.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.LKDIAG_CACHE || join(homedir(), '.cache', 'lkdiag');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });

function spawnLogged(cmd, args, opts) {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let logs = '';
  child.stdout.on('data', (d) => (logs += d));
  child.stderr.on('data', (d) => (logs += d));
  return { child, logs: () => logs };
}
const killGroup = (child) => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
};

async function waitFor(what, cond, ms) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not ready within ${ms} ms`);
    await sleep(100);
  }
}

export async function startStack({ agents = 1, agentName = 'bench-py', transcripts = [] } = {}) {
  const bin = join(CACHE, 'livekit-server-v1.13.5', 'livekit-server');
  const req = join(ROOT, 'fixtures/agents/python/requirements.txt');
  const py = join(CACHE, `venv-${createHash('sha256').update(readFileSync(req)).digest('hex').slice(0, 12)}`, 'bin', 'python');
  if (!existsSync(bin) || !existsSync(py))
    throw new Error('bench prerequisites missing: bash scripts/install-livekit-server.sh && bash scripts/setup-agent-venv.sh');
  const dir = mkdtempSync(join(tmpdir(), 'lkdiag-bench-smoke-'));
  const port = await freePort();
  const udp = 30000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    join(dir, 'livekit.yaml'),
    [
      `port: ${port}`,
      'rtc:',
      '  tcp_port: 0',
      `  port_range_start: ${udp}`,
      `  port_range_end: ${udp + 60}`,
      '  use_external_ip: false',
      '  enable_loopback_candidate: true',
      '  interfaces:',
      '    includes: [lo]',
      '  ips:',
      '    includes: [127.0.0.0/8]',
      '',
    ].join('\n'),
  );
  const env = { ...process.env };
  delete env.LIVEKIT_KEYS;
  const server = spawnLogged(bin, ['--dev', '--bind', '127.0.0.1', '--node-ip', '127.0.0.1', '--config', join(dir, 'livekit.yaml')], { cwd: dir, env });
  const url = `ws://127.0.0.1:${port}`;
  await waitFor(
    'livekit-server',
    () =>
      fetch(`http://127.0.0.1:${port}`).then(
        (r) => r.ok,
        () => false,
      ),
    15000,
  );
  const { startSimulator } = await import(join(ROOT, 'dist/simulator/index.js'));
  const sim = await startSimulator({ transcripts });
  const workers = [];
  for (let i = 0; i < agents; i++) {
    const a = spawnLogged(py, [join(ROOT, 'fixtures/agents/python/agent.py'), 'start', '--log-level', 'INFO'], {
      cwd: join(ROOT, 'fixtures/agents/python'),
      env: {
        ...env,
        LIVEKIT_URL: url,
        LIVEKIT_API_KEY: 'devkey',
        LIVEKIT_API_SECRET: 'secret',
        OPENAI_BASE_URL: sim.baseUrl,
        OPENAI_API_KEY: 'sk-test',
        LKDIAG_AGENT_NAME: agentName,
        LKDIAG_AGENT_MODE: 'healthy',
        PYTHONUNBUFFERED: '1',
      },
    });
    workers.push(a);
  }
  for (const w of workers) await waitFor('python agent', () => /"registered worker"/.test(w.logs()), 60000);
  return {
    url,
    apiKey: 'devkey',
    apiSecret: 'secret',
    agentName,
    serverPid: server.child.pid,
    agentPids: workers.map((w) => w.child.pid),
    async stop() {
      for (const w of workers) killGroup(w.child);
      await sim.close();
      killGroup(server.child);
    },
  };
}
