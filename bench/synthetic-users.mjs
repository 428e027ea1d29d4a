#!/usr/bin/env node
/**
 * bench: what lkdiag's synthetic user costs, alone and N at a time (lkdiag issue #10, not a test).
 *
 *   node bench/synthetic-users.mjs [--sessions 1,5,10] [--audio F[,G]] [--modes preconnect,smoke] [--join-delay 3000]
 *                                  [--lkdiag DIR] [--label TEXT] [--no-live-flag]
 *
 * --lkdiag DIR measures another build of lkdiag (DIR/bin/lkdiag.js), e.g. a clean baseline of a commit:
 *   git archive HEAD | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && npx tsc -p tsconfig.json)
 *
 * One real livekit-server (--dev, loopback, free ports) and a cheap stand-in agent
 * (bench/echo-agent.child.mjs: one Node process, one rtc-node participant per room, agent kind; it reads
 * the pre-connect buffer, listens to the user's microphone and answers with a 1 s tone once the user is
 * quiet, lk.agent.state speaking → listening around it), so the host is not starved by real agents.
 * Modes, each with 1, 5, 10 concurrent users, with the default fixture (fixtures/audio/two-part.wav,
 * 7 s) and a 20 s utterance (three copies of it, cut to 20 s with sox, in a temp dir):
 *   preconnect: N child processes of `lkdiag send-preconnect --dispatch none`, one pre-created room each,
 *               the echo agent in it before the user joins;
 *   smoke:      one `lkdiag smoke --repeat N --concurrency N` process (N users in one process: what
 *               "per extra concurrent session" means); the echo agent joins each room smoke creates on
 *               livekit-server's room_started webhook.
 * Measured per configuration:
 *   cpuSeconds  exact: this process's cutime+cstime (/proc/self/stat) before and after; the lkdiag
 *               processes are the only children reaped in between (server and agent live on);
 *   wall, cpu % of one core, peak RSS (sum of each lkdiag process's VmHWM), steady-state cpu % (from
 *               /proc samples every 200 ms, between 1.5 s after spawn and the end of the user's speech);
 *   per session, and per extra session ((cost(N) − cost(1)) / (N − 1)).
 * Timing error under load, on the one host clock: lkdiag's join / agent state / first agent audio against
 * the server's ParticipantInfo.joinedAtMs (listParticipants) and the echo agent's own log of the moment
 * it set lk.agent.state=speaking and captured its first reply frame. send-preconnect's --json events carry
 * absolute times; smoke's report has steps relative to each run's t=0 only, so there the error is that of
 * an interval measured from lkdiag's connect against the same interval from the server's user joinedAtMs.
 * Writes "syntheticUsers" into bench/results.json (merge: other benches' keys are kept).
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { ROOT, median, record, round } from './lib.mjs';

// ---- arguments
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = argv[i + 1];
  if (!v || v.startsWith('--')) usage(`${name} needs a value`);
  return v;
};
function usage(msg) {
  process.stderr.write(
    `error: ${msg}\nhint: node bench/synthetic-users.mjs [--sessions 1,5,10] [--audio F[,G]] [--modes preconnect,smoke] [--join-delay MS] [--lkdiag DIR] [--label TEXT] [--no-live-flag]\n`,
  );
  process.exit(2);
}
const SESSIONS = opt('--sessions', '1,5,10').split(',').map(Number);
if (SESSIONS.some((n) => !Number.isInteger(n) || n < 1)) usage('--sessions takes positive integers, comma-separated');
if (!SESSIONS.includes(1)) SESSIONS.unshift(1); // the per-extra-session numbers need N = 1
// The stand-in agent answers once per room, so the user plays the WAV straight through (the cost of a
// session, not its turn-taking); builds from before the --live option (the baseline) take no flag.
const LIVE = process.argv.includes('--no-live-flag') ? [] : ['--live', 'continuous'];
const MODES = opt('--modes', 'preconnect,smoke').split(',');
if (MODES.some((m) => !['preconnect', 'smoke'].includes(m))) usage('--modes takes preconnect and/or smoke');
const JOIN_DELAY = Number(opt('--join-delay', '3000'));
// The lkdiag build to measure (its bin/ and dist/): this tree by default. Others rebuild dist/ from
// their uncommitted work all the time; for a clean baseline pass a `git archive` of a commit, built.
const LKDIAG = opt('--lkdiag', ROOT);
const BIN = join(LKDIAG, 'bin/lkdiag.js');
const TICK = 100; // CLK_TCK on Linux
const SMOKE_PREFIX = 'bench-smoke-';

// ---- the real livekit-server, through the e2e harness (TypeScript with node built-ins only: transpiled)
const tmp = mkdtempSync(join(tmpdir(), 'lkdiag-bench-su-'));
const hsrc = readFileSync(join(ROOT, 'test/e2e/harness.ts'), 'utf8');
writeFileSync(
  join(tmp, 'harness.mjs'),
  ts.transpileModule(hsrc, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText,
);
process.env.LKDIAG_REPO_ROOT = ROOT;
const h = await import(pathToFileURL(join(tmp, 'harness.mjs')).href);
const { RoomServiceClient } = await import('livekit-server-sdk');

// ---- audio: the default fixture and a 20 s utterance
const DEFAULT_AUDIO = join(ROOT, 'fixtures/audio/two-part.wav');
let audios;
if (argv.includes('--audio')) {
  audios = opt('--audio')
    .split(',')
    .map((f) => ({ name: f.split('/').at(-1), file: f }));
} else {
  const long = join(tmp, 'utterance-20s.wav');
  const r = spawnSync('sox', [DEFAULT_AUDIO, DEFAULT_AUDIO, DEFAULT_AUDIO, long, 'trim', '0', '20'], { encoding: 'utf8' });
  if (r.status !== 0) usage(`sox could not make the 20 s utterance: ${r.error?.message ?? r.stderr}`);
  audios = [
    { name: 'two-part.wav (7.05 s)', file: DEFAULT_AUDIO },
    { name: 'utterance-20s.wav (two-part ×3 cut to 20 s)', file: long },
  ];
}

// ---- /proc
const selfChildrenCpu = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / TICK;
};
function proc(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? 0);
    if (f[0] === 'Z') return undefined; // exited, not reaped yet: no memory figures left
    return { cpu: (Number(f[11]) + Number(f[12])) / TICK, hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return undefined; // exited
  }
}

// ---- the stack
const webhookPort = await h.freeTcpPort();
const server = await h.startLivekitServer({
  udpPorts: 200,
  iceTcp: false,
  extraConfigYaml: ['webhook:', '  api_key: devkey', '  urls:', `    - http://127.0.0.1:${webhookPort}/`].join('\n'),
});
const rooms = new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret);
const agent = fork(join(ROOT, 'bench/echo-agent.child.mjs'), [], {
  cwd: ROOT,
  env: {
    ...process.env,
    BENCH_LK_URL: server.url,
    BENCH_LK_KEY: server.apiKey,
    BENCH_LK_SECRET: server.apiSecret,
    BENCH_WEBHOOK_PORT: String(webhookPort),
    BENCH_ROOM_PREFIX: SMOKE_PREFIX,
  },
  stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
});
let agentErr = '';
agent.stderr.on('data', (d) => (agentErr = (agentErr + d).slice(-4000)));
const agentRecs = new Map();
const waiters = [];
agent.on('message', (m) => {
  if (m.type === 'room') agentRecs.set(m.rec.room, m.rec);
  if (m.type === 'error') process.stderr.write(`echo agent: ${m.room}: ${m.message}\n`);
  for (const w of [...waiters]) if (w.test(m)) waiters.splice(waiters.indexOf(w), 1), w.resolve(m);
});
function waitMsg(test, ms, what) {
  return new Promise((resolve, reject) => {
    const w = { test, resolve };
    waiters.push(w);
    setTimeout(() => {
      if (waiters.includes(w))
        waiters.splice(waiters.indexOf(w), 1), reject(new Error(`${what}: not within ${ms} ms (echo agent stderr: ${agentErr.slice(-500)})`));
    }, ms).unref();
  });
}
const cleanEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CI: '1' };
const conn = ['--url', server.url, '--api-key', server.apiKey, '--api-secret', server.apiSecret];

/** Runs the lkdiag processes of one configuration at once; /proc sampled every 200 ms. */
const live = new Set(); // lkdiag children still running (killed by pid on a bound or a signal)
async function runProcesses(argsList, boundMs) {
  const cpu0 = selfChildrenCpu();
  const t0 = performance.now();
  const kids = argsList.map((args) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const k = { child, out: '', err: '', last: undefined, code: undefined };
    child.stdout.on('data', (d) => (k.out += d));
    child.stderr.on('data', (d) => (k.err = (k.err + d).slice(-4000)));
    live.add(child);
    k.done = new Promise((r) => child.on('close', (code, signal) => (live.delete(child), (k.exitMs = performance.now() - t0), r((k.code = code ?? signal)))));
    return k;
  });
  // Every wait has a bound: a process still running after boundMs is killed and reported.
  const killer = setTimeout(() => {
    for (const k of kids) if (k.code === undefined) (k.killed = true), k.child.kill('SIGKILL');
  }, boundMs);
  const samples = []; // { t, cpu } summed over the live lkdiag processes (exited ones keep their last value)
  const timer = setInterval(() => {
    let cpu = 0;
    for (const k of kids) {
      const p = k.code === undefined ? proc(k.child.pid) : undefined;
      if (p) k.last = { cpu: Math.max(k.last?.cpu ?? 0, p.cpu), hwmKb: Math.max(k.last?.hwmKb ?? 0, p.hwmKb) };
      cpu += k.last?.cpu ?? 0;
    }
    samples.push({ t: performance.now() - t0, cpu });
  }, 200);
  await Promise.all(kids.map((k) => k.done));
  clearInterval(timer);
  clearTimeout(killer);
  const wallMs = performance.now() - t0;
  const cpuSeconds = selfChildrenCpu() - cpu0;
  const reports = kids.map((k) => {
    try {
      return JSON.parse(k.out);
    } catch {
      process.stderr.write(`lkdiag printed no report (exit ${k.code}): ${k.err.slice(-800)}\n`);
      return undefined;
    }
  });
  // How long each process took to exit after its report was made (report.durationMs ends at the report).
  const exitLagMs = kids.map((k, i) => (reports[i]?.durationMs !== undefined ? Math.round(k.exitMs - reports[i].durationMs) : null));
  return {
    wallMs,
    cpuSeconds,
    peakRssMb: kids.reduce((n, k) => n + (k.last?.hwmKb ?? 0), 0) / 1024,
    codes: kids.map((k) => k.code),
    killed: kids.filter((k) => k.killed).length,
    exitLagMs,
    reports,
    samples,
  };
}

/** CPU % of one core over [from, to] ms after spawn, from the samples. */
function rate(samples, from, to) {
  const a = samples.find((s) => s.t >= from);
  const b = [...samples].reverse().find((s) => s.t <= to);
  if (!a || !b || b.t - a.t < 1000) return undefined;
  return ((b.cpu - a.cpu) / ((b.t - a.t) / 1000)) * 100;
}

const firstEv = (events, pred) => events.find(pred);
const stepMs = (steps, name) => steps.find((s) => s.name === name && s.status === 'ok')?.ms;

/** Timing errors of one session: lkdiag against the server and the echo agent (ms, positive = lkdiag later). */
function sessionTiming(mode, r, rec) {
  const user = rec?.participants?.find((p) => p.identity === rec.userIdentity);
  const ag = rec?.participants?.find((p) => p.identity === rec.identity);
  const out = {
    answered: rec?.firstReplyFrameAt !== undefined,
    bufferBytes: rec?.bufferBytes ?? null,
    agentJoinedBeforeUser: user && ag ? ag.joinedAtMs <= user.joinedAtMs : null,
  };
  const steps = r.steps ?? [];
  // Intervals from the user's join: lkdiag's (steps) against the truth (server / echo agent).
  const conn = stepMs(steps, 'connect');
  if (user && conn !== undefined) {
    const iv = (name, truth) => (stepMs(steps, name) === undefined || truth === undefined ? undefined : stepMs(steps, name) - conn - (truth - user.joinedAtMs));
    out.interval = {
      firstAgentAudio: iv('first-agent-audio', rec.firstReplyFrameAt),
      agentSpeaking: iv('agent-state:speaking', rec.speakingAt),
      ...(ag && ag.joinedAtMs > user.joinedAtMs ? { agentJoined: iv('agent-joined', ag.joinedAtMs) } : {}),
    };
  }
  if (mode === 'preconnect' && r.events) {
    const ev = r.events;
    const at = (pred) => firstEv(ev, pred)?.t;
    const connected = at((e) => e.kind === 'client.connected');
    out.absolute = {
      userJoined: user && connected !== undefined ? connected - user.joinedAtMs : undefined,
      firstAgentAudio:
        rec?.firstReplyFrameAt !== undefined && at((e) => e.kind === 'room.agent.audio') !== undefined
          ? at((e) => e.kind === 'room.agent.audio') - rec.firstReplyFrameAt
          : undefined,
      agentSpeaking:
        rec?.speakingAt !== undefined && at((e) => e.kind === 'agent.state' && e.source === 'room' && e.data.to === 'speaking') !== undefined
          ? at((e) => e.kind === 'agent.state' && e.source === 'room' && e.data.to === 'speaking') - rec.speakingAt
          : undefined,
      ...(ag && connected !== undefined && ag.joinedAtMs > user?.joinedAtMs
        ? { agentJoined: at((e) => e.kind === 'client.agent.joined') - ag.joinedAtMs }
        : {}),
    };
  }
  return out;
}

function summarise(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return null;
  return { n: v.length, median: round(median(v)), maxAbs: round(Math.max(...v.map(Math.abs))), min: round(Math.min(...v)), max: round(Math.max(...v)) };
}

let seq = 0;
async function configuration(mode, audio, n) {
  const load = loadavg().map((x) => round(x, 2));
  const id = `${mode === 'smoke' ? SMOKE_PREFIX : 'bench-pc-'}${++seq}-`;
  process.stderr.write(`${mode} × ${n}, ${audio.name}, load ${load.join(' ')} … `);
  let names = [];
  let run;
  const audioMs = Math.round(Number(spawnSync('soxi', ['-D', audio.file], { encoding: 'utf8' }).stdout) * 1000);
  const bound = JOIN_DELAY + audioMs + 60000;
  if (mode === 'preconnect') {
    names = Array.from({ length: n }, (_, i) => `${id}${i}`);
    for (const name of names) await rooms.createRoom({ name, emptyTimeout: 60, departureTimeout: 5 });
    await Promise.all(
      names.map((name) => {
        const joined = waitMsg((m) => m.type === 'joined' && m.room === name, 20000, `echo agent joining ${name}`);
        agent.send({ type: 'join', room: name });
        return joined;
      }),
    );
    run = await runProcesses(
      names.map((name) => [
        'send-preconnect',
        '--json',
        '--room',
        name,
        '--audio',
        audio.file,
        '--dispatch',
        'none',
        ...conn,
        '--join-delay',
        String(JOIN_DELAY),
        '--timeout',
        '40',
        ...LIVE,
      ]),
      bound,
    );
  } else {
    run = await runProcesses(
      [
        [
          'smoke',
          '--json',
          '--agent-name',
          'bench-echo',
          '--room-prefix',
          id,
          '--audio',
          audio.file,
          ...conn,
          '--join-delay',
          String(JOIN_DELAY),
          '--timeout',
          '40',
          '--skip-gate',
          'buffer-consumed',
          '--repeat',
          String(n),
          '--concurrency',
          String(n),
          ...LIVE,
        ],
      ],
      bound,
    );
  }
  // Sessions, and the agent's record of each.
  const sessions = mode === 'preconnect' ? run.reports.map((r, i) => ({ room: names[i], r })) : (run.reports[0]?.runs ?? []).map((r) => ({ room: r.room, r }));
  await new Promise((r) => setTimeout(r, 300)); // the last IPC records of the agent
  const timings = sessions.filter((s) => s.r).map((s) => sessionTiming(mode, s.r, agentRecs.get(s.room)));
  if (process.env.BENCH_DEBUG)
    for (const s of sessions) process.stderr.write(`\n${s.room}: agent ${JSON.stringify(agentRecs.get(s.room))}\nlkdiag steps ${JSON.stringify(s.r?.steps)}\n`);
  // Leave the rooms and wait until the agent is out, so configurations do not overlap.
  const left = mode === 'preconnect' ? names : sessions.map((s) => s.room);
  for (const name of left) await rooms.deleteRoom(name).catch(() => undefined);
  const until = Date.now() + 10000;
  while (Date.now() < until && left.some((name) => agentRecs.get(name) && agentRecs.get(name).leftAt === undefined))
    await new Promise((r) => setTimeout(r, 100));

  // Steady state: from 2 s after the join (the join delay is spent recording only; connecting is a burst)
  // to the end of the user's speech (the WAV's length after t=0, which comes ~0.5 s after spawn).
  const steadyFrom = JOIN_DELAY + 2000;
  const steadyTo = Math.round(Math.min(audioMs + 500, run.wallMs - 2500));
  const cfg = {
    mode,
    audio: audio.name,
    audioMs,
    sessions: n,
    loadAtStart: load,
    exitCodes: run.codes,
    killedAtBound: run.killed,
    exitLagMs: summarise(run.exitLagMs),
    findings: [
      ...new Set(
        (mode === 'preconnect' ? run.reports : run.reports.flatMap((r) => r?.runs ?? [])).flatMap((r) =>
          (r?.findings ?? []).map((f) => `${f.severity}:${f.code}`),
        ),
      ),
    ],
    ...(mode === 'smoke' ? { gateFailures: run.reports[0]?.gateFailures ?? null } : {}),
    answered: `${timings.filter((t) => t.answered).length}/${n}`,
    wallMs: Math.round(run.wallMs),
    cpuSeconds: round(run.cpuSeconds, 2),
    cpuPercentOfCore: round((run.cpuSeconds / (run.wallMs / 1000)) * 100),
    steadyWindowMs: steadyTo - steadyFrom >= 2000 ? [steadyFrom, steadyTo] : null,
    steadyCpuPercentOfCore: steadyTo - steadyFrom >= 2000 ? round(rate(run.samples, steadyFrom, steadyTo)) : undefined,
    peakRssMb: round(run.peakRssMb),
    perSession: { cpuSeconds: round(run.cpuSeconds / n, 2), peakRssMb: round(run.peakRssMb / n) },
    timingErrorMs: {
      interval: Object.fromEntries(
        ['userJoined', 'agentJoined', 'agentSpeaking', 'firstAgentAudio'].map((k) => [k, summarise(timings.map((t) => t.interval?.[k]))]).filter(([, v]) => v),
      ),
      ...(mode === 'preconnect'
        ? {
            absolute: Object.fromEntries(
              ['userJoined', 'agentJoined', 'agentSpeaking', 'firstAgentAudio']
                .map((k) => [k, summarise(timings.map((t) => t.absolute?.[k]))])
                .filter(([, v]) => v),
            ),
          }
        : {}),
      agentJoinedBeforeUser: timings.filter((t) => t.agentJoinedBeforeUser).length,
    },
  };
  process.stderr.write(
    `${cfg.wallMs} ms, ${cfg.cpuSeconds} CPU-s, ${cfg.peakRssMb} MB, answered ${cfg.answered}, exit ${[...new Set(run.codes)].join('/')}, exit lag max ${cfg.exitLagMs?.max} ms${run.killed ? `, ${run.killed} killed at the ${bound} ms bound` : ''}\n`,
  );
  return cfg;
}

// Ctrl-C / SIGTERM: end what this bench started (by pid), then exit 130.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of live) c.kill('SIGKILL');
    agent.kill('SIGKILL');
    void server.stop().finally(() => process.exit(130));
  });
}
const results = [];
const startedLoad = loadavg().map((x) => round(x, 2));
const started = Date.now();
try {
  await waitMsg((m) => m.type === 'ready', 20000, 'echo agent start');
  for (const mode of MODES) {
    for (const audio of audios) {
      const byN = {};
      for (const n of SESSIONS) byN[n] = await configuration(mode, audio, n);
      const one = byN[1];
      for (const n of SESSIONS.filter((x) => x > 1)) {
        const c = byN[n];
        c.perExtraSession = {
          cpuSeconds: round((c.cpuSeconds - one.cpuSeconds) / (n - 1), 2),
          cpuPercentOfCore: round((c.cpuPercentOfCore - one.cpuPercentOfCore) / (n - 1)),
          ...(c.steadyCpuPercentOfCore !== undefined && one.steadyCpuPercentOfCore !== undefined
            ? { steadyCpuPercentOfCore: round((c.steadyCpuPercentOfCore - one.steadyCpuPercentOfCore) / (n - 1)) }
            : {}),
          peakRssMb: round((c.peakRssMb - one.peakRssMb) / (n - 1)),
        };
      }
      results.push(...SESSIONS.map((n) => byN[n]));
    }
  }
} finally {
  agent.send({ type: 'stop' });
  await Promise.race([new Promise((r) => agent.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
  if (agent.exitCode === null) agent.kill('SIGKILL');
  await server.stop();
}

const git = (...a) => spawnSync('git', ['-C', LKDIAG, ...a], { encoding: 'utf8' });
const commit = git('rev-parse', '--short', 'HEAD');
record('syntheticUsers', {
  date: new Date(started).toISOString(),
  lkdiag: {
    dir: LKDIAG,
    label: opt('--label', null),
    ...(commit.status === 0 && git('rev-parse', '--show-toplevel').stdout.trim() === LKDIAG
      ? { commit: commit.stdout.trim(), uncommittedSrcFiles: git('status', '--porcelain', '--', 'src').stdout.split('\n').filter(Boolean).length }
      : {}),
  },
  totalWallS: round((Date.now() - started) / 1000),
  machine: {
    nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()),
    loadAtStart: startedLoad,
    note: 'shared 2-core machine: other engineers run builds and tests at the same time; loadAtStart of each configuration below',
  },
  setup: {
    server: 'livekit-server v1.13.5 --dev on loopback (test/e2e/harness.ts startLivekitServer)',
    agent:
      'bench/echo-agent.child.mjs: one Node process, one rtc-node participant (kind AGENT) per room; reads the buffer, answers with a 1 s tone 800 ms after the user goes quiet (3 s if it heard no live speech)',
    preconnect: 'N processes of `lkdiag send-preconnect --json --dispatch none --join-delay J --timeout 40`, rooms pre-created, echo agent in first',
    smoke:
      'one process `lkdiag smoke --json --repeat N --concurrency N --join-delay J --timeout 40 --skip-gate buffer-consumed`, echo agent joins on room_started webhook',
    joinDelayMs: JOIN_DELAY,
    cpu: 'exact CPU of the lkdiag processes (bench cutime+cstime delta); peakRssMb = sum of VmHWM; steady = CPU rate from /proc samples (200 ms) between join delay + 2 s and the end of the speech (steadyWindowMs, ms after spawn)',
    timingError:
      'ms, lkdiag minus truth (server ParticipantInfo.joinedAtMs, echo agent log of setAttributes(speaking) and first captureFrame); absolute from send-preconnect events, interval = measured from the user join on both sides',
    goal: 'per extra concurrent session ≤ 5 % of a core and ≤ 80 MB RSS at steady state',
  },
  configurations: results,
});
process.exit(0);
