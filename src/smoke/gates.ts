/**
 * smoke's gates: pure functions of one run's events and findings. No I/O; every gate reports the
 * value it measured and the threshold it compared it with, so renderers only present them.
 */
import type { EventKind, Finding, TraceEvent } from '../diagnose/types.js';
import { sec2 } from '../format/index.js';

export const GATE_NAMES = ['agent-joined', 'buffer-consumed', 'first-agent-audio', 'no-error-finding', 'no-cancelled-reply'] as const;
export type GateName = (typeof GATE_NAMES)[number];
/** lkdiag drive's gates (evaluateDriveGates): no-error-finding is smoke's. */
export const DRIVE_GATE_NAMES = ['heard-latency', 'yield', 'no-error-finding', 'all-answered'] as const;
export type DriveGateName = (typeof DRIVE_GATE_NAMES)[number];

/** Finding codes that mean a reply was cancelled. */
export const CANCEL_CODES = ['openai/response-cancelled', 'agent/response-cancelled-by-user-speech', 'preconnect/interrupted-by-live-audio'] as const;

export interface GateConfig {
  /** The agent must join within this many seconds of the dispatch (or of the client connecting). */
  agentJoinedWithinS: number;
  /** Its first audio must start within this many seconds of the end of the user's speech. */
  firstAgentAudioWithinS: number;
  bufferConsumed: boolean;
  noErrorFinding: boolean;
  noCancelledReply: boolean;
  /** Gates not evaluated at all (reported as skipped). */
  skip: GateName[];
  /** Finding codes (or `area/*`) the finding gates ignore. */
  ignoreFindings: string[];
}

export const DEFAULT_GATES: GateConfig = {
  agentJoinedWithinS: 10,
  firstAgentAudioWithinS: 5,
  bufferConsumed: true,
  noErrorFinding: true,
  noCancelledReply: true,
  skip: [],
  ignoreFindings: [],
};

export interface FindingRef {
  code: string;
  severity: Finding['severity'];
  title: string;
  detail: string;
}

export interface GateResult {
  name: GateName | DriveGateName;
  /** unconfirmed: the evidence could not settle it (never a failure: a gate that cries wolf gets switched off). */
  status: 'passed' | 'failed' | 'skipped' | 'unconfirmed';
  /** What was measured: milliseconds for timing gates, a count or a verdict for the others; null when it never happened. */
  value: number | boolean | null;
  /** What it was compared with, in the same unit. */
  threshold: number | boolean | null;
  unit: 'ms' | 'findings' | 'verdict';
  /** One line: the measurement against the threshold, and why it failed. */
  summary: string;
  /** The findings behind a failure (the JUnit failure carries them). */
  findings: FindingRef[];
}

/** The timings one run measured, in ms (undefined when the event never happened). */
export interface RunTimings {
  /** Dispatch created (or client connected) → the agent joined the room. */
  agentJoinedMs?: number;
  /** Dispatch created (or client connected) → the agent was ACTIVE. */
  agentActiveMs?: number;
  /** End of the user's first utterance (or the buffer's arrival, if later) → the first audible agent audio (negative: it began before). */
  firstAgentAudioMs?: number;
  /** Audio that went into the pre-connect buffer. */
  bufferedMs?: number;
}

const first = (events: readonly TraceEvent[], kind: EventKind) => events.find((e) => e.kind === kind);
const ref = (f: Finding): FindingRef => ({ code: f.code, severity: f.severity, title: f.title, detail: f.detail });
const sec = sec2;

export function ignored(code: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('/*') ? code.startsWith(p.slice(0, -1)) : code === p));
}

export function runTimings(events: readonly TraceEvent[], bufferedMs?: number): RunTimings {
  const from = first(events, 'server.dispatch.created') ?? first(events, 'client.connected');
  const joined = first(events, 'client.agent.joined');
  const active = first(events, 'client.agent.active');
  // The agent can answer the first utterance once the user said it and it has the buffer, whichever is later
  // (the join itself has its own gate).
  const said = first(events, 'client.speech.ended');
  const buffered = first(events, 'client.preconnect.closed');
  const ended = said && buffered && buffered.t > said.t ? buffered : said;
  const audio = first(events, 'room.agent.audio');
  return {
    ...(from && joined ? { agentJoinedMs: Math.round(joined.t - from.t) } : {}),
    ...(from && active ? { agentActiveMs: Math.round(active.t - from.t) } : {}),
    ...(ended && audio ? { firstAgentAudioMs: Math.round(audio.t - ended.t) } : {}),
    ...(bufferedMs !== undefined && joined ? { bufferedMs } : {}),
  };
}

/**
 * Evaluates every gate for one run. `consumed` is send-preconnect's verdict (true / false / null for
 * no evidence either way).
 */
export function evaluateGates(
  events: readonly TraceEvent[],
  findings: readonly Finding[],
  consumed: boolean | null,
  cfg: GateConfig,
  bufferedMs?: number,
): GateResult[] {
  const timings = runTimings(events, bufferedMs);
  const relevant = findings.filter((f) => !ignored(f.code, cfg.ignoreFindings));
  const byCode = (...codes: string[]) => relevant.filter((f) => codes.includes(f.code));
  const skipped = (name: GateName, unit: GateResult['unit'], why: string): GateResult => ({
    name,
    status: 'skipped',
    value: null,
    threshold: null,
    unit,
    summary: why,
    findings: [],
  });
  const out: GateResult[] = [];

  // agent joined within X s
  {
    const name = 'agent-joined';
    const limit = cfg.agentJoinedWithinS * 1000;
    const ms = timings.agentJoinedMs;
    if (cfg.skip.includes(name)) out.push(skipped(name, 'ms', 'skipped by configuration'));
    else if (ms === undefined) {
      const why = byCode('preconnect/no-agent-dispatched', 'preconnect/agent-not-active');
      out.push({ name, status: 'failed', value: null, threshold: limit, unit: 'ms', summary: `no agent joined within ${sec(limit)}`, findings: why.map(ref) });
    } else {
      const ok = ms <= limit;
      out.push({
        name,
        status: ok ? 'passed' : 'failed',
        value: ms,
        threshold: limit,
        unit: 'ms',
        summary: `agent joined ${sec(ms)} after the dispatch (≤ ${sec(limit)}${ok ? '' : ': too slow'})`,
        findings: [],
      });
    }
  }

  // buffer consumed
  {
    const name = 'buffer-consumed';
    if (cfg.skip.includes(name) || !cfg.bufferConsumed) out.push(skipped(name, 'verdict', 'skipped by configuration'));
    else if (consumed === true)
      out.push({
        name,
        status: 'passed',
        value: true,
        threshold: true,
        unit: 'verdict',
        summary: 'the agent used the pre-connect buffer',
        findings: byCode('preconnect/consumed').map(ref),
      });
    else if (consumed === null) {
      const unsure = relevant.filter((f) => f.code === 'preconnect/not-consumed');
      const why = unsure[0]?.detail.split('\n')[0] ?? 'no transcript sidecar next to the audio and no --agent-log';
      out.push({ name, status: 'unconfirmed', value: null, threshold: true, unit: 'verdict', summary: `unconfirmed: ${why}`, findings: unsure.map(ref) });
    } else {
      const why = relevant.filter((f) => f.code.startsWith('preconnect/') && f.severity === 'error');
      out.push({
        name,
        status: 'failed',
        value: consumed,
        threshold: true,
        unit: 'verdict',
        summary: `the buffer was not consumed (${why.map((f) => f.code).join(', ') || 'no reason found'})`,
        findings: why.map(ref),
      });
    }
  }

  // first agent audio within Y s of the end of user speech
  {
    const name = 'first-agent-audio';
    const limit = cfg.firstAgentAudioWithinS * 1000;
    const ms = timings.firstAgentAudioMs;
    if (cfg.skip.includes(name)) out.push(skipped(name, 'ms', 'skipped by configuration'));
    else if (ms === undefined) {
      const ended = first(events, 'client.speech.ended');
      const why = relevant.filter((f) => f.severity === 'error' || CANCEL_CODES.includes(f.code as (typeof CANCEL_CODES)[number]));
      out.push({
        name,
        status: 'failed',
        value: null,
        threshold: limit,
        unit: 'ms',
        summary: ended ? 'the agent never spoke after the user finished' : 'the user never finished speaking (the run ended first)',
        findings: why.map(ref),
      });
    } else {
      const ok = ms <= limit;
      const when = ms < 0 ? `${sec(-ms)} before the user finished` : `${sec(ms)} after the user finished`;
      const why = ok ? [] : relevant.filter((f) => f.severity === 'error');
      out.push({
        name,
        status: ok ? 'passed' : 'failed',
        value: ms,
        threshold: limit,
        unit: 'ms',
        summary: `first agent audio ${when} (≤ ${sec(limit)}${ok ? '' : ': too slow'})`,
        findings: why.map(ref),
      });
    }
  }

  // no error finding
  out.push(noErrorFindingGate(relevant, cfg.skip.includes('no-error-finding') || !cfg.noErrorFinding));

  // no cancelled reply
  {
    const name = 'no-cancelled-reply';
    const cancels = byCode(...CANCEL_CODES);
    if (cfg.skip.includes(name) || !cfg.noCancelledReply) out.push(skipped(name, 'findings', 'skipped by configuration'));
    else
      out.push({
        name,
        status: cancels.length ? 'failed' : 'passed',
        value: cancels.length,
        threshold: 0,
        unit: 'findings',
        summary: cancels.length ? `a reply was cancelled: ${cancels.map((f) => f.code).join(', ')}` : 'no reply was cancelled',
        findings: cancels.map(ref),
      });
  }
  return out;
}

/** The no-error-finding gate (smoke and drive): `relevant` are the findings the gates do not ignore. */
export function noErrorFindingGate(relevant: readonly Finding[], skip: boolean): GateResult {
  const name = 'no-error-finding';
  if (skip) return { name, status: 'skipped', value: null, threshold: null, unit: 'findings', summary: 'skipped by configuration', findings: [] };
  const errors = relevant.filter((f) => f.severity === 'error');
  return {
    name,
    status: errors.length ? 'failed' : 'passed',
    value: errors.length,
    threshold: 0,
    unit: 'findings',
    summary: errors.length ? `${errors.length} error finding(s): ${errors.map((f) => f.code).join(', ')}` : 'no error finding',
    findings: errors.map(ref),
  };
}

export interface DriveGateConfig {
  /** Worst heard latency allowed (ms); undefined: the gate is skipped. */
  maxHeardLatencyMs?: number;
  /** Worst time to yield after a barge-in (ms); undefined: skipped. */
  maxYieldMs?: number;
  noErrorFinding: boolean;
  allAnswered: boolean;
  ignoreFindings: string[];
}

/** What drive's gates read of a turn (src/drive/measure.ts DriveTurn). */
export interface GatedTurn {
  index: number;
  heardLatencyMs?: number;
  yieldMs?: number;
  bargeIn: boolean;
  answered: boolean;
}

function worstGate(
  name: 'heard-latency' | 'yield',
  values: ReadonlyArray<{ index: number; v: number | undefined }>,
  limit: number | undefined,
  what: string,
  why: readonly Finding[],
): GateResult {
  if (limit === undefined) return { name, status: 'skipped', value: null, threshold: null, unit: 'ms', summary: `no --max-${name} given`, findings: [] };
  const measured = values.filter((x): x is { index: number; v: number } => x.v !== undefined);
  if (measured.length === 0)
    return {
      name,
      status: values.length ? 'failed' : 'skipped',
      value: null,
      threshold: limit,
      unit: 'ms',
      summary: values.length ? `no ${what} was measured` : `no turn to measure ${what} on`,
      findings: why.map(ref),
    };
  const worst = measured.reduce((a, b) => (b.v > a.v ? b : a));
  const ok = worst.v <= limit;
  return {
    name,
    status: ok ? 'passed' : 'failed',
    value: worst.v,
    threshold: limit,
    unit: 'ms',
    summary: `worst ${what} ${sec2(worst.v)} (turn ${worst.index}; ≤ ${sec2(limit)}${ok ? '' : ': too slow'})`,
    findings: ok ? [] : why.map(ref),
  };
}

/** drive's gates over a session's turns and findings. Pure. */
export function evaluateDriveGates(turns: readonly GatedTurn[], findings: readonly Finding[], cfg: DriveGateConfig): GateResult[] {
  const relevant = findings.filter((f) => !ignored(f.code, cfg.ignoreFindings));
  const errors = relevant.filter((f) => f.severity === 'error');
  const unanswered = turns.filter((t) => !t.answered);
  const answeredGate: GateResult = !cfg.allAnswered
    ? { name: 'all-answered', status: 'skipped', value: null, threshold: null, unit: 'findings', summary: 'skipped by configuration', findings: [] }
    : {
        name: 'all-answered',
        status: unanswered.length || turns.length === 0 ? 'failed' : 'passed',
        value: unanswered.length,
        threshold: 0,
        unit: 'findings',
        summary:
          turns.length === 0
            ? 'no turn was played'
            : unanswered.length
              ? `unanswered turn(s): ${unanswered.map((t) => t.index).join(', ')}`
              : `all ${turns.length} turn(s) answered`,
        findings: unanswered.length ? errors.map(ref) : [],
      };
  return [
    worstGate(
      'heard-latency',
      turns.map((t) => ({ index: t.index, v: t.heardLatencyMs })),
      cfg.maxHeardLatencyMs,
      'heard latency',
      errors,
    ),
    worstGate(
      'yield',
      turns.filter((t) => t.bargeIn).map((t) => ({ index: t.index, v: t.yieldMs })),
      cfg.maxYieldMs,
      'time to yield',
      errors,
    ),
    noErrorFindingGate(relevant, !cfg.noErrorFinding),
    answeredGate,
  ];
}
