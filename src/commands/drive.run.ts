/** The body of `lkdiag drive`, loaded only when the command runs. */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeWav } from '../audio/wav.js';
import { metaFor } from '../diagnose/catalogue.js';
import { diagnose } from '../diagnose/engine.js';
import { ALL_RULES } from '../diagnose/rules/index.js';
import { agentCommand, followAgentLog, type RunningAgent, startAgent } from '../drive/agent-process.js';
import { driveStats, driveTurns } from '../drive/measure.js';
import { awaitSession, playScript } from '../drive/play.js';
import { DRIVE_RULES } from '../diagnose/rules/drive/index.js';
import { defaultScriptPath, loadScript } from '../drive/script.js';
import { EXIT, type ExitCode, usageError } from '../errors.js';
import type { TraceEvent } from '../events/index.js';
import { renderDriveText } from '../report/drive-text.js';
import { exitCodeFor, makeReport, type Report } from '../report/report.js';
import { type GateResult, evaluateDriveGates } from '../smoke/gates.js';
import { now } from '../sources/clock.js';
import { ConsoleBroker } from '../sources/console-broker.js';
import { mixStereo } from '../sources/console-broker-audio.js';
import { Recorder } from '../sources/recorder.js';
import { isVerbose, log } from '../ui.js';
import { type GlobalOptions, type RunContext, runCommand } from './runner.js';
import { writeOutputs } from './smoke.run.js';

export interface DriveOptions {
  agent?: string;
  agentCmd?: string;
  python?: string;
  listen?: number;
  model?: string;
  script?: string;
  repeat: number;
  recordAudio?: string;
  record?: boolean;
  /** Seconds. */
  connectTimeout: number;
  sessionTimeout: number;
  maxHeardLatency?: number;
  maxYield?: number;
  ignoreFinding?: string[];
  html?: string;
  junit?: string;
  agentLog?: string;
}

const NO_SERVER = 'Could not find AgentServer in module';
/** Where `--record` makes the agent write its report (livekit-agents console mode, the agent's working directory). */
const SESSION_REPORT = "console-recordings/session-<time>/session_report.json in the agent's working directory";

interface Model {
  env: Record<string, string>;
  close(): Promise<void>;
  note: string;
}

/** --model simulate[:SCENARIO[+SCENARIO…]]: the simulator in-process, handed to the agent through OPENAI_BASE_URL. */
async function startModel(model: string | undefined): Promise<Model | undefined> {
  if (model === undefined) return undefined;
  const [kind, spec] = [model.split(':')[0], model.slice(model.indexOf(':') + 1)];
  if (kind !== 'simulate')
    throw usageError(
      `--model ${model}: unknown model`,
      "Use --model simulate[:SCENARIO] (lkdiag's Realtime simulator), or leave --model out to use the agent's own environment.",
    );
  const scenarios = model.includes(':') ? spec.split('+').filter(Boolean) : [];
  const { startSimulator, parseScenarios, SimulatorUsageError } = await import('../simulator/index.js');
  try {
    parseScenarios(scenarios);
  } catch (err) {
    if (err instanceof SimulatorUsageError) throw usageError(`--model ${model}: ${err.message}`, 'List the scenarios with `lkdiag mock-openai --help`.');
    throw err;
  }
  const sim = await startSimulator({ scenarios });
  return {
    env: { OPENAI_BASE_URL: sim.baseUrl, OPENAI_API_KEY: 'sk-lkdiag-simulator' },
    close: () => sim.close(),
    note: `model: lkdiag's Realtime simulator at ${sim.baseUrl}${scenarios.length ? ` (scenarios: ${scenarios.join(', ')})` : ''}`,
  };
}

/**
 * The agent's environment: lkdiag's, the model's, and LK_OPENAI_DEBUG=1 unless set (the Realtime events in
 * its log are what the openai/* and agent/* rules explain a slow or cancelled reply with).
 */
function agentEnv(model: Model | undefined): NodeJS.ProcessEnv {
  return { LK_OPENAI_DEBUG: '1', ...process.env, ...(model?.env ?? {}) };
}

/** Exit code: 3/4 from findings win (crash, never connected), then failed gates (1). */
export function driveExitCode(findings: Report['findings'], gates: readonly GateResult[], interrupted: boolean): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const fromFindings = exitCodeFor(findings, metaFor);
  if (fromFindings === EXIT.connect || fromFindings === EXIT.timeout) return fromFindings;
  return gates.some((g) => g.status === 'failed') ? EXIT.finding : EXIT.ok;
}

function writeRecording(file: string, broker: ConsoleBroker, from: number): void {
  const pcm = mixStereo(broker.input.takes, broker.playout.takes, from, now());
  try {
    writeFileSync(file, encodeWav({ sampleRate: 48_000, channels: 2, samples: pcm }));
    log.info(`recorded the session: ${file} (left: the user, right: the agent as played)`);
  } catch (err) {
    log.warn(`could not write ${file} (${(err as Error).message})`);
  }
}

/** Kills the agent on every way out, a second Ctrl-C's process.exit included. */
function killOnExit(agent: RunningAgent | undefined): () => void {
  const hook = () => {
    const pid = agent?.child.pid;
    if (pid && agent.child.exitCode === null) {
      try {
        process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.on('exit', hook);
  return () => process.off('exit', hook);
}

interface Session {
  events: TraceEvent[];
  outcome: Awaited<ReturnType<typeof awaitSession>>;
  command?: string;
  address: string;
}

async function runSession(req: RunContext, o: DriveOptions, steps: ReturnType<typeof loadScript>['steps']): Promise<Session> {
  const rec = new Recorder({ source: 'console' });
  const model = await startModel(o.model);
  if (model) log.info(model.note);
  const broker = new ConsoleBroker({ recorder: rec, port: o.listen ?? 0, recordAudio: o.recordAudio !== undefined });
  let agent: RunningAgent | undefined;
  let release = () => {};
  const followed = o.agentLog ? followAgentLog(o.agentLog, rec) : undefined;
  const started = now();
  try {
    await broker.listen().catch((err: Error) => {
      throw usageError(`cannot listen on ${broker.host}:${o.listen ?? 0} (${err.message})`, 'Choose a free port for --listen, or leave it out.');
    });
    const listen = o.listen !== undefined;
    if (!listen) {
      const cmd = agentCommand(
        {
          ...(o.agent ? { entry: o.agent } : {}),
          ...(o.agentCmd ? { agentCmd: o.agentCmd } : {}),
          ...(o.python ? { python: o.python } : {}),
          record: o.record === true,
        },
        broker.address,
      );
      log.info(`agent: ${cmd.display}`);
      agent = startAgent(cmd, agentEnv(model), rec, isVerbose() ? (l) => process.stderr.write(`  agent| ${l}\n`) : undefined);
      release = killOnExit(agent);
    } else log.info(`waiting for an agent: start it with --connect-addr ${broker.address}`);
    const ctx = { broker, rec, signal: req.signal };
    const outcome = await awaitSession(ctx, { connectMs: o.connectTimeout * 1000, sessionMs: o.sessionTimeout * 1000, spawned: !listen });
    if (outcome === 'ok') await playScript(ctx, steps, o.repeat);
    if (o.recordAudio) writeRecording(o.recordAudio, broker, started);
    return { events: rec.events, outcome, address: broker.address, ...(agent ? { command: agent.child.spawnargs.join(' ') } : {}) };
  } finally {
    await agent?.kill();
    await followed?.stop();
    release();
    await broker.close();
    await model?.close();
  }
}

/** lkdiag drive: one console session (the script played `repeat` times), measured and explained. */
export async function drive(req: RunContext & { opts: DriveOptions }): Promise<Report> {
  const o = req.opts;
  const sources = [o.agent, o.agentCmd, o.listen].filter((x) => x !== undefined).length;
  if (sources !== 1)
    throw usageError(
      sources ? 'give one of --agent, --agent-cmd, --listen' : 'drive needs --agent, --agent-cmd or --listen',
      'Name the agent entry (--agent agent.py), a command (--agent-cmd "… {addr} …"), or start it yourself (--listen PORT).',
    );
  if (o.agentLog && !existsSync(o.agentLog))
    throw usageError(
      `--agent-log ${o.agentLog}: file not found`,
      'Start the agent with its log going to that file first (lkdiag follows it as it grows), or leave --agent-log out.',
    );
  const scriptFile = o.script ?? defaultScriptPath();
  const script = loadScript(scriptFile);
  const s = await runSession(req, o, script.steps);
  const exited = s.events.find((e) => e.kind === 'drive.agent.exited' && !e.data.expected);
  if (exited?.kind === 'drive.agent.exited' && exited.data.lastLines.some((l) => l.includes(NO_SERVER)))
    throw usageError(
      `${o.agent ?? 'the agent'}: no AgentServer in the module (livekit-agents: "${NO_SERVER}")`,
      'Console mode (`python -m livekit.agents console`) needs an AgentServer: define `server = AgentServer()` with @server.rtc_session (livekit-agents ≥ 1.6); start anything else with --agent-cmd "… {addr} …".',
    );
  const events = [...s.events].sort((a, b) => a.t - b.t);
  const findings = diagnose(events, [...ALL_RULES, ...DRIVE_RULES], { command: 'drive' });
  const turns = driveTurns(events);
  const gates = evaluateDriveGates(turns, findings, {
    ...(o.maxHeardLatency !== undefined ? { maxHeardLatencyMs: o.maxHeardLatency } : {}),
    ...(o.maxYield !== undefined ? { maxYieldMs: o.maxYield } : {}),
    noErrorFinding: true,
    allAnswered: s.outcome === 'ok',
    ignoreFindings: o.ignoreFinding ?? [],
  });
  const interrupted = req.signal.aborted;
  const exitCode = driveExitCode(findings, gates, interrupted);
  const agent = s.command ?? `--listen ${s.address}`;
  const failed = gates.some((g) => g.status === 'failed');
  const base = makeReport('drive', req.startedAt, findings, metaFor, {
    interrupted,
    // target.agent/concurrency, runs and flake: the shape smoke's JUnit and step-summary renderers read (one run: the session)
    target: {
      script: resolve(scriptFile),
      address: s.address,
      agent,
      model: o.model ?? null,
      repeat: o.repeat,
      concurrency: 1,
      ...(o.record ? { sessionReport: SESSION_REPORT } : {}),
    },
    turns,
    gates,
    stats: driveStats(turns),
    runs: [{ index: 0, room: 'console', ok: !failed, interrupted, agent, consumed: null, timings: {}, gates, steps: [], findings: [] }],
    flake: { runs: 1, failedRuns: failed ? 1 : 0, rate: failed ? 1 : 0 },
    events,
  });
  const report: Report = { ...base, ok: exitCode === EXIT.ok, exitCode };
  await writeOutputs(report, { repeat: o.repeat, concurrency: 1, timeout: 0, ...(o.junit ? { junit: o.junit } : {}) });
  if (o.html) {
    const { renderHtml } = await import('../report/html.js');
    try {
      writeFileSync(o.html, renderHtml(report));
    } catch (err) {
      log.warn(`could not write ${o.html} (${(err as Error).message})`);
    }
  }
  return report;
}

/** `lkdiag drive`: returns the exit code. */
export function driveCommand(opts: DriveOptions, globals: GlobalOptions): Promise<number> {
  return runCommand('drive', globals, (ctx) => drive({ ...ctx, opts }), renderDriveText);
}
