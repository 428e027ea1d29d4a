// Produces fixtures/logs/session-reports/*: a real livekit-agents session (real livekit-server 1.13.5,
// lkdiag's Realtime simulator as the only stand-in, the synthetic user `lkdiag send-preconnect`) whose
// agent (fixtures/agents/python-report/agent.py = the matrix agent + a shutdown callback) writes its
// session_report.json. The agent's own log is kept beside it (trimmed to the session) so that
// `trace log report.json agent.log` can be tested on the same session.
//
//   npx tsc -p tsconfig.json && node scripts/session-report-capture.mjs [--only NAME,...]
//   node scripts/session-report-capture.mjs --expect    (re)writes the .expected.json files from the build
//
// Captures are never edited afterwards. Their .expected.json (exact findings and exit code, asserted by
// test/integration/session-report.test.ts) are written from `lkdiag trace log --json` and reviewed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  cleanEnv,
  freeTcpPort,
  log,
  matrixCache,
  sendPreconnect,
  sleep,
  startAgent,
  startLivekitServer,
  startSim,
  stopAll,
  trimToSession,
} from './lib/matrix.mjs';

const OUT = join(ROOT, 'fixtures', 'logs', 'session-reports');
const AGENT = join(ROOT, 'fixtures', 'agents', 'python-report', 'agent.py');
const REF_VENV = join(process.env.LKDIAG_CACHE || join(homedir(), '.cache', 'lkdiag'), 'venv-22b4078bd7ac');

const NODE_DIR = join(ROOT, 'fixtures', 'agents', 'node');
const py = (v) => (v === '1.8.9' ? join(REF_VENV, 'bin', 'python') : join(matrixCache(), `py-${v}`, 'bin', 'python'));

/** name, livekit-agents version, simulator scenarios, agent mode/greeting, the user's audio. */
const CAPTURES = [
  { name: 'python-1.8.9-healthy', version: '1.8.9', sim: [], greet: true },
  { name: 'python-1.8.9-invalid-api-key', version: '1.8.9', sim: ['invalid-api-key'], greet: true },
  { name: 'python-1.8.9-insufficient-quota', version: '1.8.9', sim: ['fail-insufficient-quota'], greet: true },
  { name: 'python-1.5.4-healthy', version: '1.5.4', sim: [], greet: true },
  { name: 'python-1.3.12-healthy', version: '1.3.12', sim: [], greet: true },
  { name: 'node-1.9.0-healthy', version: 'node-1.9.0', sim: [], greet: true },
  { name: 'node-1.9.0-insufficient-quota', version: 'node-1.9.0', sim: ['fail-insufficient-quota'], greet: true },
  { name: 'node-1.9.0-recording-healthy', version: 'node-1.9.0', sim: [], greet: true, record: true },
];

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1].split(',') : null;
})();

async function runOne(c, livekit, sim, workDir) {
  const reportFile = join(workDir, `${c.name}.session_report.json`);
  const agentName = `sr-${Math.random().toString(36).slice(2, 8)}`;
  const node = c.version.startsWith('node-');
  const env = cleanEnv({
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    // Python: the matrix agent's own variable (the /realtime URL); Node: the plugin's OPENAI_BASE_URL (/v1)
    ...(node
      ? { OPENAI_BASE_URL: sim.urlFor(c.sim), LKDIAG_AGENT_HTTP_PORT: String(await freeTcpPort()) }
      : { LKDIAG_OPENAI_BASE_URL: sim.pythonUrlFor(c.sim) }),
    OPENAI_API_KEY: 'sk-test',
    LKDIAG_AGENT_NAME: agentName,
    LKDIAG_AGENT_GREET: c.greet ? '1' : '0',
    LKDIAG_REPORT_FILE: reportFile,
    ...(c.record ? { LKDIAG_NODE_RECORD: '1' } : {}),
    PYTHONUNBUFFERED: '1',
  });
  const logFile = join(workDir, `${c.name}.raw.log`);
  const agent = node
    ? await startAgent({
        label: c.name,
        cmd: process.execPath,
        args: [join(NODE_DIR, 'report-agent.mjs'), 'start'],
        cwd: NODE_DIR,
        env,
        logFile,
        readyTimeoutMs: 45000,
      })
    : await startAgent({ label: c.name, cmd: py(c.version), args: [AGENT, 'start'], cwd: join(ROOT, 'fixtures', 'agents', 'python-report'), env, logFile });
  let user;
  try {
    user = await sendPreconnect({
      livekit,
      agentName,
      room: `sr-${c.name.replaceAll('.', '_')}-${Date.now() % 100000}`,
      args: ['--agent-timeout', '15'],
      timeoutMs: 90000,
    });
    // the job shuts down when the user leaves; its shutdown callback writes the report (bounded wait)
    const deadline = Date.now() + 20000;
    while (!existsSync(reportFile) && Date.now() < deadline) await sleep(100);
    await sleep(500);
  } finally {
    await agent.stop();
  }
  if (!existsSync(reportFile)) throw new Error(`${c.name}: no session report within 20 s; log ${logFile}`);
  copyFileSync(reportFile, join(OUT, `${c.name}.session_report.json`));
  if (existsSync(`${reportFile}.note`)) copyFileSync(`${reportFile}.note`, join(OUT, `${c.name}.session_report.json.note`));
  writeFileSync(join(OUT, `${c.name}.agent.log`), `${trimToSession(readFileSync(logFile, 'utf8')).trimEnd()}\n`);
  log(`${c.name}: user exit ${user.code}, report ${readFileSync(reportFile).length} bytes`);
}

/** `lkdiag trace log --json FILES` → sorted 'severity:code' findings and the exit code. */
function traceLogFiles(files) {
  // the shared tree's dist/ may be mid-build (another engineer's tsc): up to 3 attempts, 2 s apart
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'lkdiag.js'), 'trace', 'log', '--json', ...files], {
      cwd: OUT,
      env: cleanEnv({ NO_COLOR: '1' }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60000,
    });
    try {
      const report = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '');
      return { findings: (report?.findings ?? []).map((f) => `${f.severity}:${f.code}`).sort(), exitCode: r.status };
    } catch {
      if (attempt >= 3) throw new Error(`trace log ${files.join(' ')}: no report (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
      spawnSync('sleep', ['2']);
    }
  }
}

/** --expect: <name>.expected.json for every capture: the report alone, and the report merged with its agent log. */
function writeExpected() {
  for (const c of CAPTURES) {
    const report = `${c.name}.session_report.json`;
    if (!existsSync(join(OUT, report))) continue;
    const agent = c.version.startsWith('node-') ? `@livekit/agents ${c.version.slice(5)} (reference agent)` : `livekit-agents ${c.version}`;
    const expected = {
      agent,
      simulator: c.sim,
      report: traceLogFiles([report]),
      withAgentLog: traceLogFiles([report, `${c.name}.agent.log`]),
    };
    writeFileSync(join(OUT, `${c.name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
    log(`${c.name}: ${JSON.stringify(expected)}`);
  }
}

async function main() {
  if (process.argv.includes('--expect')) return writeExpected();
  mkdirSync(OUT, { recursive: true });
  const workDir = join(matrixCache(), 'work-session-report', String(Date.now()));
  mkdirSync(workDir, { recursive: true });
  const livekit = await startLivekitServer({ dir: join(workDir, 'server') });
  const sim = await startSim();
  try {
    for (const c of CAPTURES) {
      if (only && !only.includes(c.name)) continue;
      try {
        await runOne(c, livekit, sim, workDir);
      } catch (err) {
        log(`FAILED ${c.name}: ${String(err.message).slice(0, 1500)}`);
      }
    }
  } finally {
    await sim.close();
    await livekit.stop();
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    log(String(err?.stack ?? err));
    process.exit(3);
  },
);
