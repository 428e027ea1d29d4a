import type { Timeline } from '../../timeline.js';
import type { RuleContext, TraceEvent } from '../../types.js';
import { hasAgentLog, isLog } from '../queries.js';
import { FEATURE } from './codes.js';

/** The clients' wait for an ACTIVE agent (JS, Swift, Android). */
export const AGENT_ACTIVE_BOUND_MS = 10_000;

/**
 * What a command may tell the pre-connect rules besides the timeline (send-preconnect's own verdict
 * from matching the user transcript against the buffered words). Plain data.
 */
export interface PreconnectContext {
  /** true: the buffered words are in the user transcript; false: a final transcript lacks them; absent: unknown. */
  transcriptMatched?: boolean;
  /** Why the transcript cannot settle it: the buffer held too few words, or the speech came back unrecognised. */
  unsettled?: 'short-buffer' | 'unrecognised';
  /** How far into the user's speech the buffer reached (ms). */
  bufferedMs?: number;
}

export function preconnectCtx(ctx: RuleContext): PreconnectContext {
  const p = ctx['preconnect'];
  if (!p || typeof p !== 'object') return {};
  const out: PreconnectContext = {};
  if ('transcriptMatched' in p && typeof p.transcriptMatched === 'boolean') out.transcriptMatched = p.transcriptMatched;
  if ('unsettled' in p && (p.unsettled === 'short-buffer' || p.unsettled === 'unrecognised')) out.unsettled = p.unsettled;
  if ('bufferedMs' in p && typeof p.bufferedMs === 'number') out.bufferedMs = p.bufferedMs;
  return out;
}

/** What the trace says about the buffer, gathered once for every pre-connect rule. */
export interface Facts {
  sent: TraceEvent<'client.preconnect.opened'> | undefined;
  closed: TraceEvent<'client.preconnect.closed'> | undefined;
  received: TraceEvent<'log.preconnect.received'> | undefined;
  pushed: TraceEvent<'log.preconnect.pushed'> | undefined;
  failures: TraceEvent<FailureKind>[]; // log lines that say the buffer was dropped
  flagged: boolean; // a microphone advertises the flag
  log: boolean;
  debugLog: boolean; // the log has DEBUG lines, so "received"/"pushed" would be there
}

const FAILURE_KINDS = [
  'log.preconnect.timeout',
  'log.preconnect.not-completed',
  'log.preconnect.too-old',
  'log.preconnect.no-track-id',
  'log.preconnect.read-error',
  'log.preconnect.ignored',
] as const;
type FailureKind = (typeof FAILURE_KINDS)[number];
const isFailure = (e: TraceEvent): e is TraceEvent<FailureKind> => FAILURE_KINDS.some((k) => k === e.kind);

export function features(e: TraceEvent<'room.track.published' | 'client.track.published'>): string[] {
  const f = e.data.features;
  return Array.isArray(f) ? f.map(String) : [];
}

export function facts(t: Timeline): Facts {
  return {
    sent: t.first('client.preconnect.opened'),
    closed: t.first('client.preconnect.closed'),
    received: t.first('log.preconnect.received'),
    pushed: t.first('log.preconnect.pushed'),
    failures: t.events.filter(isFailure),
    flagged:
      t.ofKind('client.track.published').some((e) => e.data.preconnectFlag === true) ||
      t.ofKind('room.track.published').some((e) => features(e).includes(FEATURE)),
    log: hasAgentLog(t),
    debugLog: t.events.some((e) => isLog(e) && 'level' in e.data && e.data.level === 'debug'),
  };
}

/** Anything at all about a pre-connect buffer in this trace? (If not, these rules stay silent.) */
export function attempted(t: Timeline, f: Facts): boolean {
  return !!(f.sent || f.closed || f.flagged || t.events.some((e) => e.kind.startsWith('log.preconnect.')));
}

/** Node agents (agents-js) have no handler; how the trace says the agent is one. */
export function nodeAgent(t: Timeline): TraceEvent | undefined {
  return t.events.find((e) => {
    if (e.kind === 'log.preconnect.ignored' || e.kind === 'log.framework') return e.data['framework'] === 'node';
    if (e.kind === 'session.response' && e.data['request'] === 'get_framework_info' && e.data['ok'] !== false) {
      return /agents-js|nodejs|"node"|typescript/i.test(JSON.stringify(e.data['payload'] ?? {}));
    }
    return false;
  });
}

/** Whether lkdiag injected a client fault by that name. */
export const injected = (t: Timeline, name: string): TraceEvent | undefined => t.ofKind('client.fault').find((e) => e.data['name'] === name);
