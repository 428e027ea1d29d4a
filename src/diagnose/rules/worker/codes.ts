import { defineCode } from '../kit.js';

export interface EventLoopBlockedData {
  /** "job executor is unresponsive" lines. */
  unresponsive: number;
  /** The longest "Running <Task …> took too long" (seconds), when logged. */
  longestTaskS?: number;
}
export interface ProcessKilledData {
  why: 'unresponsive' | 'memory';
  count: number;
}
export interface ProcessCrashedData {
  exitCode?: number;
  count: number;
}
export interface MemoryHighData {
  memoryMb?: number;
  warnMb?: number;
  limitMb?: number;
}
export interface InferenceNotReadyData {
  inference?: boolean;
  count: number;
}
export interface ImportFailedData {
  what: 'missing-attribute' | 'missing-name' | 'missing-module';
  module: string;
  name?: string;
  exception: string;
}
export interface ConnectionLostData {
  count: number;
}

/** Signals a job process commonly dies of (a negative exit code is -signal). */
const SIGNALS: Readonly<Record<number, string>> = { 4: 'SIGILL', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };
const exitText = (code: number | undefined): string =>
  code === undefined
    ? ''
    : code < 0
      ? ` with exit code ${code} (killed by signal ${-code}${SIGNALS[-code] ? `, ${SIGNALS[-code]}` : ''})`
      : ` with exit code ${code}`;
const mb = (v: number | undefined): string => (v === undefined ? '?' : `${Math.round(v)} MB`);
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

/** Findings about the worker's job processes (livekit-agents / agents-js process pool). docs/findings.md is generated from these. */
export interface EntrypointFailedData {
  /** The exception at the end of the traceback, when the log has it. */
  exception?: string;
  count: number;
}

export const JOB = {
  entrypointFailed: defineCode<EntrypointFailedData>({
    code: 'job/entrypoint-failed',
    severity: 'error',
    title: "The agent's entrypoint raised",
    cause:
      "The job's entrypoint function threw: the exception ends the job task, so the agent never joins the room (an exception before ctx.connect() / session.start()) or leaves it. Common: a missing environment variable or API key read at start, an import or plugin error, a failed session.start() (a bad model or plugin option). The client sees an agent that never arrives.",
    evidence: '"unhandled exception while running the job task" with its traceback (livekit-agents); agents-js "error in entry function" {error}.',
    fix: 'Read the exception and the frame in your entrypoint it points at; run the agent with `python agent.py console` (or `dev`) to reproduce it locally. Read configuration before the worker starts (fail at boot, not per job).',
    detail: (d) =>
      `The entrypoint raised${d.count > 1 ? ` ${times(d.count)}` : ''}${d.exception ? `: ${d.exception}` : ' (the exception is not in the log excerpt)'}.`,
  }),
  notConnected: defineCode<{ count: number }>({
    code: 'job/not-connected',
    severity: 'warning',
    title: 'The job did not connect to the room within 10 s',
    cause:
      'The entrypoint ran for 10 s without connecting to the room: ctx.connect() (or session.start() with room I/O, which connects) was never called, or something before it blocks — a slow API call, a long prewarm inside the entrypoint, an await that never returns. The user waits in a room with no agent.',
    evidence:
      '"The room connection was not established within 10 seconds after calling job_entry" (livekit-agents 1.x); agents-js "room not connect after job_entry was called after 10 seconds".',
    fix: 'Call await ctx.connect() (or start the AgentSession with the room) early in the entrypoint; move slow setup to prewarm or after the connect.',
    detail: (d) => `The job had not connected to the room 10 s after its entrypoint started${d.count > 1 ? ` (${times(d.count)})` : ''}.`,
  }),
  eventLoopBlocked: defineCode<EventLoopBlockedData>({
    code: 'job/event-loop-blocked',
    severity: 'error',
    title: "The job's event loop was blocked",
    cause:
      "Synchronous work (CPU-bound code, a blocking call, a large model load) ran on the job process's asyncio loop, so audio, the Realtime socket and the worker's pings all stalled; the agent stops answering and the worker may kill the process.",
    evidence: '"job executor is unresponsive" (the worker\'s pings went unanswered) or "Running <Task …> took too long: N seconds".',
    fix: 'Move blocking work off the loop (asyncio.to_thread, run_in_executor, async clients), load models in prewarm, and give the container enough CPU.',
    detail: (d) =>
      [
        d.unresponsive > 0 ? `The worker logged "job executor is unresponsive" ${times(d.unresponsive)}.` : '',
        d.longestTaskS !== undefined ? `A task held the event loop for ${d.longestTaskS} s ("took too long").` : '',
      ]
        .filter(Boolean)
        .join(' '),
  }),
  processKilled: defineCode<ProcessKilledData>({
    code: 'job/process-killed',
    severity: 'error',
    title: 'The worker killed a job process',
    cause:
      'The worker kills a job (or prewarm/inference) process that stops answering its pings — a blocked event loop, a hung prewarm — or that passes job_memory_limit_mb. Its session ends with it.',
    evidence: '"process is unresponsive, killing process" or "process exceeded memory limit, killing process".',
    fix: 'Unresponsive: find what blocks the loop (see job/event-loop-blocked), keep prewarm short or raise initialize_process_timeout. Memory: raise job_memory_limit_mb or the container memory, or use less per job.',
    detail: (d) =>
      `The worker killed a process ${times(d.count)}: ${d.why === 'memory' ? 'it exceeded the memory limit' : 'it stopped answering the worker (unresponsive)'}.`,
  }),
  processCrashed: defineCode<ProcessCrashedData>({
    code: 'job/process-crashed',
    severity: 'error',
    title: 'A job process exited on its own',
    cause:
      'The job process died: an exception outside the job task, a native crash (a negative exit code is the signal: SIGILL/SIGSEGV from a native library or a CPU it was not built for, SIGKILL often the OOM killer), or the runtime closed its IPC channel.',
    evidence: '"process exited with non-zero exit code N"; agents-js "job process exited unexpectedly".',
    fix: 'Read the lines just before it for the error; for a signal, check native dependencies (onnxruntime, torch, video codecs) against the CPU/architecture and the container memory.',
    detail: (d) => `A job process exited${exitText(d.exitCode)}${d.count > 1 ? ` (${times(d.count)})` : ''}.`,
  }),
  inferenceNotReady: defineCode<InferenceNotReadyData>({
    code: 'job/inference-not-ready',
    severity: 'error',
    title: 'A process did not initialise in time',
    cause:
      "The inference process (turn detector, other local models) or a job process's prewarm took longer than initialize_process_timeout (10 s by default): a slow or small CPU, a first-run model download, or a blocking prewarm. The worker kills it; an inference process that never starts fails the worker.",
    evidence: '"initialization timed out, killing process".',
    fix: 'Download the models ahead (python agent.py download-files), give the host more CPU, or raise initialize_process_timeout in WorkerOptions.',
    detail: (d) =>
      `${d.inference ? 'The inference process' : 'A process'} did not finish initialising in time and was killed${d.count > 1 ? ` (${times(d.count)})` : ''}.`,
  }),
  memoryHigh: defineCode<MemoryHighData>({
    code: 'job/memory-high',
    severity: 'warning',
    title: 'A job process is above its memory warning',
    cause: 'The job process uses more than job_memory_warn_mb (500 MB by default); past job_memory_limit_mb (if set) the worker kills it.',
    evidence: '"process memory usage is high" with memory_usage_mb and memory_warn_mb.',
    fix: 'Look for what grows per job (models loaded per job instead of in prewarm, buffers, history); raise job_memory_warn_mb if the usage is expected.',
    detail: (d) => `A job process uses ${mb(d.memoryMb)} (warning at ${mb(d.warnMb)}${d.limitMb ? `, killed at ${mb(d.limitMb)}` : ', no kill limit set'}).`,
  }),
};

/** Findings about the installed packages, from the exceptions they raise (agent log). */
export const PACKAGES = {
  versionMismatch: defineCode<ImportFailedData>({
    code: 'setup/plugin-version-mismatch',
    severity: 'error',
    title: 'The code and the installed livekit packages do not match',
    cause:
      'The code uses an API the installed livekit-agents (or rtc, or a plugin) does not have: 0.x code on 1.x (llm.FunctionContext, VoicePipelineAgent), a name removed or renamed, or a plugin newer than the framework it imports from.',
    evidence: "AttributeError: module 'livekit.…' has no attribute 'X' / ImportError: cannot import name 'X' from 'livekit.…'.",
    fix: 'Pin livekit-agents and every livekit-plugins-* to matching versions (pip show livekit-agents; `lkdiag doctor` lists them), and port 0.x code to the 1.x API (the migration guide).',
    detail: (d) => `${d.exception}: the installed ${d.module} has no ${d.name ?? 'such name'}.`,
  }),
  importError: defineCode<ImportFailedData>({
    code: 'setup/import-error',
    severity: 'error',
    title: 'A livekit module is missing',
    cause:
      'The agent imports a livekit module that is not installed, or by a wrong path (livekit.plugin instead of livekit.plugins, a plugin package not installed in this environment).',
    evidence: "ModuleNotFoundError: No module named 'livekit.…'.",
    fix: 'Install the package that provides it (pip install "livekit-agents[openai]" or livekit-plugins-…) in the environment the agent runs in, or fix the import path.',
    detail: (d) => `${d.exception}.`,
  }),
};

export interface NoWorkerData {
  reason: string;
  count: number;
}

/** Findings from livekit-server's own log. */
export const SERVER = {
  noWorkerAvailable: defineCode<NoWorkerData>({
    code: 'server/no-worker-available',
    severity: 'error',
    title: 'The server had no agent worker for a dispatch',
    cause:
      'No worker was registered for the agent name (or for any name) when the job was dispatched, or every one was at capacity or did not answer: the worker is not running, registered with another project/URL, uses a different agent_name, or is full.',
    evidence:
      'livekit-server: "not dispatching agent job since no worker is available", "failed to send job request" with "no servers available" / "no response from servers".',
    fix: 'Check that a worker is running and registered with this server (its log says "registered worker"), with the agent_name the dispatch asks for, and that it is not at full capacity.',
    detail: (d) => `The server logged "${d.reason}"${d.count > 1 ? ` ${times(d.count)}` : ''}.`,
  }),
};

/** Findings about the worker and its connection to the LiveKit server. docs/findings.md is generated from these. */
export const WORKER = {
  connectionLost: defineCode<ConnectionLostData>({
    code: 'worker/connection-lost',
    severity: 'error',
    title: "The worker's connection to the LiveKit server closed",
    cause:
      "The worker's WebSocket to the LiveKit server (/agent) closed unexpectedly: a server restart or deploy, a load balancer idle timeout, the network. The worker reconnects; jobs dispatched meanwhile find no worker.",
    evidence: '"worker connection closed unexpectedly" (alone or after "failed to connect to livekit, retrying in Ns").',
    fix: "If it repeats, check what sits between the worker and the server (proxy/LB idle timeouts, WebSocket support) and the server's own log for restarts.",
    detail: (d) => `The worker's connection to the LiveKit server closed unexpectedly ${times(d.count)}.`,
  }),
  atCapacity: defineCode<object>({
    code: 'worker/at-capacity',
    severity: 'warning',
    title: 'The worker marked itself at full capacity',
    cause: "The worker's load (CPU by default) passed load_threshold, so it told the server it is unavailable: new jobs go to other workers, or find none.",
    evidence: '"worker is at full capacity, marking as unavailable".',
    fix: 'Add workers or CPU, lower the per-job load, or adjust load_fnc / load_threshold.',
    detail: () => 'The worker logged "worker is at full capacity, marking as unavailable": it took no new jobs until its load fell.',
  }),
};
