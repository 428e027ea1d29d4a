import { finding } from '../engine.js';
import { errorOf, responseOf, statusDetails, type OpenAIEventData, type Timeline } from '../timeline.js';
import type { Finding, Rule, TraceEvent } from '../types.js';
import { AGENT } from './agent-codes.js';
import { GENERATE_REPLY_TIMEOUT_MS, OLD_GENERATE_REPLY_TIMEOUT_MS } from './openai.js';

type OE = TraceEvent<OpenAIEventData>;

/** How long after the user started speaking a cancel still counts as caused by it. */
export const CANCEL_AFTER_SPEECH_MS = 1_500;
/** How long a committed user turn may wait for any sign of a reply. */
export const REPLY_BOUND_MS = 15_000;
/** Commit signals this close together (server commit, log line, user item) are one turn. */
const SAME_TURN_MS = 3_000;

const LOG_DEBUG_HINT = 'run the agent with LK_OPENAI_DEBUG=1 at DEBUG log level and pass the log with --agent-log FILE (or trace log FILE)';

export const ms = (n: number) => `${Math.round(n)} ms`;
export const sec = (n: number) => `${(n / 1000).toFixed(1)} s`;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

// ── shared queries (also used by preconnect.ts) ─────────────────────────────────────────────

/** Every sign that the user started speaking: server VAD, the agent's user state (log or session). */
export function userSpeechStarts(t: Timeline): TraceEvent[] {
  return t.events.filter(
    (e) =>
      (e.kind === 'openai.input_audio_buffer.speech_started' && e.data['direction'] === 'server') ||
      ((e.kind === 'log.agent.user-state' || e.kind === 'session.user-state') && e.data['to'] === 'speaking'),
  );
}

/** Signs the agent started a reply (a response exists or the agent speaks). */
export function replySigns(t: Timeline): TraceEvent[] {
  return t.events.filter((e) => {
    switch (e.kind) {
      case 'openai.response.created':
      case 'openai.response.output_audio.delta':
      case 'room.agent.audio':
        return true;
      case 'session.item':
      case 'log.agent.item-added':
        return e.data['role'] === 'assistant';
      case 'session.agent-state':
      case 'log.agent.agent-state':
        return e.data['to'] === 'speaking';
      case 'room.agent.state':
        return e.data['state'] === 'speaking';
      default:
        return false;
    }
  });
}

export function isLog(e: TraceEvent): boolean {
  return e.kind.startsWith('log.');
}

export function hasAgentLog(t: Timeline): boolean {
  return t.events.some(isLog);
}

/** A reply cancelled by the user starting to speak. */
export interface SpeechCancel {
  /** The event that cancelled it: a client response.cancel, response.done (turn_detected), a log line, or an interrupted item. */
  cancel: TraceEvent;
  how: 'client-cancel' | 'turn-detected' | 'interrupted-item';
  speech: TraceEvent;
  gapMs: number;
  /** The response that was cancelled, when the Realtime events show it. */
  created?: OE;
  done?: OE;
  /** Whether any of its audio had been produced before the cancel. */
  audioBefore: boolean;
}

function lastBefore<T extends TraceEvent>(events: readonly T[], at: number, within: number, slack = 0): T | undefined {
  return events.filter((e) => e.t <= at + slack && e.t >= at - within).at(-1);
}

/** Every cancellation that follows the start of user speech, however it was observed. */
export function speechCancels(t: Timeline): SpeechCancel[] {
  const speech = userSpeechStarts(t);
  const created = t.openai('response.created', 'server');
  const dones = t.openai('response.done', 'server');
  const deltas = t.openai('response.output_audio.delta', 'server');
  const clientCancels = t.openai('response.cancel', 'client');
  const lateDiscards = t.ofKind('log.openai.late-response');
  const out: SpeechCancel[] = [];

  const responseAt = (at: number): OE | undefined =>
    created.filter((c) => c.t <= at && !dones.some((d) => responseOf(d)?.id === responseOf(c)?.id && d.t < at)).at(-1);
  const audioOf = (r: OE | undefined, at: number): boolean => {
    const id = r ? responseOf(r)?.id : undefined;
    if (r && id) return deltas.some((d) => d.data.event['response_id'] === id && d.t <= at);
    // No response id to match: any agent audio/speaking since the last speech start counts.
    return false;
  };
  const doneFor = (r: OE | undefined, after: number): OE | undefined => {
    const id = r ? responseOf(r)?.id : undefined;
    return id ? dones.find((d) => responseOf(d)?.id === id && d.t >= after) : undefined;
  };

  for (const c of clientCancels) {
    // A cancel that discards a late response (after a generate_reply timeout) is not the user's doing.
    if (c.data.event['response_id'] && lateDiscards.some((l) => Math.abs(l.t - c.t) <= 1_000)) continue;
    const s = lastBefore(speech, c.t, CANCEL_AFTER_SPEECH_MS, 50);
    if (!s) continue;
    const r = responseAt(c.t);
    const d = doneFor(r, c.t);
    out.push({ cancel: c, how: 'client-cancel', speech: s, gapMs: Math.max(0, c.t - s.t), ...(r ? { created: r } : {}), ...(d ? { done: d } : {}), audioBefore: audioOf(r, c.t) });
  }
  for (const d of dones) {
    const r = responseOf(d);
    if (r?.status !== 'cancelled' || statusDetails(r).reason !== 'turn_detected') continue;
    if (clientCancels.some((c) => c.t <= d.t && d.t - c.t <= 1_000)) continue;
    const s = lastBefore(speech, d.t, 10_000, 50);
    if (!s) continue;
    const cr = created.find((c) => responseOf(c)?.id === r.id);
    out.push({ cancel: d, how: 'turn-detected', speech: s, gapMs: Math.max(0, d.t - s.t), ...(cr ? { created: cr } : {}), done: d, audioBefore: audioOf(cr, d.t) });
  }
  // The agent's own DEBUG line for the same fact, when the Realtime events were not logged.
  for (const l of t.ofKind('log.openai.response-not-complete')) {
    if (l.data['status'] !== 'cancelled' || l.data['reason'] !== 'turn_detected') continue;
    if (dones.some((d) => Math.abs(d.t - l.t) <= 1_000)) continue;
    const s = lastBefore(speech, l.t, 10_000, 50);
    if (!s) continue;
    out.push({ cancel: l, how: 'turn-detected', speech: s, gapMs: Math.max(0, l.t - s.t), audioBefore: false });
  }
  // Session/room only (no Realtime events): an interrupted assistant item after the user started speaking.
  if (clientCancels.length === 0 && dones.length === 0) {
    for (const i of t.ofKind('session.item')) {
      if (i.data['role'] !== 'assistant' || i.data['interrupted'] !== true) continue;
      if (out.some((o) => Math.abs(o.cancel.t - i.t) <= 2_000)) continue;
      const s = lastBefore(speech, i.t, 5_000, 50);
      if (!s) continue;
      const spoke = replySigns(t).some((e) => e.kind !== 'session.item' && e.t < s.t && e.t >= s.t - 30_000);
      out.push({ cancel: i, how: 'interrupted-item', speech: s, gapMs: Math.max(0, i.t - s.t), audioBefore: spoke });
    }
  }
  return out.sort((a, b) => a.cancel.t - b.cancel.t);
}

// ── rules ───────────────────────────────────────────────────────────────────────────────────

const speechSource = (e: TraceEvent) =>
  e.kind.startsWith('openai.') ? 'server VAD speech_started' : e.kind === 'session.user-state' ? 'user state → speaking (session event)' : 'user state → speaking (agent log)';

const cancelledByUserSpeech: Rule = {
  id: 'agent.cancelled-by-user-speech',
  codes: [AGENT.responseCancelledByUserSpeech],
  check(t) {
    return speechCancels(t).map((c) => {
      const what =
        c.how === 'client-cancel'
          ? `The agent sent response.cancel ${ms(c.gapMs)} after the user started speaking (${speechSource(c.speech)}).`
          : c.how === 'turn-detected'
            ? `The API cancelled the response itself (turn_detected: server VAD with interrupt_response on) ${ms(c.gapMs)} after the user started speaking (${speechSource(c.speech)}).`
            : `An assistant reply was marked interrupted ${ms(c.gapMs)} after the user started speaking (${speechSource(c.speech)}).`;
      const rid = c.created ? responseOf(c.created)?.id : undefined;
      const heard = c.audioBefore
        ? 'Part of the reply had already been produced: an ordinary barge-in.'
        : c.created || c.how !== 'interrupted-item'
          ? 'No audio of it had been produced yet: the user heard nothing of this reply.'
          : '';
      const evidence = [c.speech, ...(c.created && c.created.t < c.speech.t ? [c.created] : []), c.cancel, ...(c.done && c.done !== c.cancel ? [c.done] : [])].sort((a, b) => a.t - b.t);
      return finding(AGENT.responseCancelledByUserSpeech, [`${what}${rid ? ` Response ${rid}.` : ''}`, heard].filter(Boolean).join('\n'), evidence, c.audioBefore ? { severity: 'info' } : {});
    });
  },
};

/** Why a generate_reply (failing at `at`, waiting since `create` when known) timed out. */
function timeoutCauses(t: Timeline, at: number, create: OE | undefined): { causes: string[]; evidence: TraceEvent[] } {
  const causes: string[] = [];
  const evidence: TraceEvent[] = [];
  const from = create ? create.t - 2_000 : at - GENERATE_REPLY_TIMEOUT_MS - 2_000;
  // (a) socket not up / reconnecting
  const conn = t.events.filter((e) => (e.kind === 'log.openai.connection-error' || e.kind === 'log.openai.connecting') && e.t >= from - 5_000 && e.t <= at);
  if (conn.some((e) => e.kind === 'log.openai.connection-error') || conn.filter((e) => e.kind === 'log.openai.connecting').length > 1 || (conn.length > 0 && !create)) {
    const errs = conn.filter((e) => e.kind === 'log.openai.connection-error');
    causes.push(
      `The Realtime socket was not up or was reconnecting: ${errs.length ? `${errs.length} connection error(s) ("${str(errs[0]!.data['message'])}")` : 'the agent was (re)connecting'} around the request, so response.create could not be answered in time.`,
    );
    evidence.push(...conn);
  }
  if (create) {
    const id = create.data.event.event_id;
    const cid = (create.data.event['response'] as { metadata?: Record<string, unknown> } | undefined)?.metadata?.['client_event_id'];
    // (b) rejected: a response was already active
    const rejected = t.openaiErrors('conversation_already_has_active_response').find((e) => (id && errorOf(e)?.event_id === id) || (e.t >= create.t && e.t <= create.t + 2_000));
    if (rejected) {
      const auto = t.openai('response.created', 'server').filter((c) => c.t <= create.t && c.t >= create.t - 15_000 && !responseOf(c)?.metadata).at(-1);
      causes.push(
        `response.create was rejected at once (conversation_already_has_active_response, ${ms(rejected.t - create.t)} later): a response was already active${auto ? ` — the server-VAD auto-response ${responseOf(auto)?.id ?? ''} created ${ms(create.t - auto.t)} before` : ''}. This livekit-agents version did not match the error to the request, so it waited the full timeout (also reported as openai/active-response-conflict).`,
      );
      if (auto) evidence.push(auto);
      evidence.push(rejected);
    }
    const createds = t.openai('response.created', 'server').filter((c) => c.t >= create.t);
    const echoed = typeof cid === 'string' ? createds.find((c) => responseOf(c)?.metadata?.['client_event_id'] === cid) : undefined;
    // (c) slow server
    if (echoed && echoed.t - create.t > OLD_GENERATE_REPLY_TIMEOUT_MS) {
      causes.push(`The server was slow: the matching response.created came ${sec(echoed.t - create.t)} after response.create${echoed.t > at ? ', after the agent had given up' : ''}.`);
      evidence.push(echoed);
    }
    // (d) no metadata echo
    const unmatched = typeof cid === 'string' && !echoed ? createds.find((c) => c.t <= at + 1_000 && responseOf(c)?.metadata?.['client_event_id'] !== cid) : undefined;
    if (unmatched && !rejected) {
      causes.push(
        `response.created arrived ${ms(unmatched.t - create.t)} after response.create but without the metadata echo (client_event_id ${cid}; got ${JSON.stringify(responseOf(unmatched)?.metadata ?? null)}): the agent could not match it and timed out while the reply played as a separate speech (also openai/metadata-not-echoed). A gateway or proxy is dropping response.metadata.`,
      );
      evidence.push(unmatched);
    }
    // (e) the old 5 s timeout
    const waited = at - create.t;
    if (waited >= OLD_GENERATE_REPLY_TIMEOUT_MS - 500 && waited <= OLD_GENERATE_REPLY_TIMEOUT_MS + 1_500) {
      causes.push(`The agent gave up ${sec(waited)} after response.create: the 5 s timeout of livekit-agents ≤ 1.4.x (10 s since 1.5). Upgrade.`);
    }
  }
  const late = t.ofKind('log.openai.late-response').find((e) => e.t >= at - 500 && e.t <= at + 60_000);
  if (late) {
    if (!causes.some((c) => c.startsWith('The server was slow'))) causes.push('The response arrived after the agent had timed out ("discarding response that arrived after it was timed out…"): the server (or the path to it) was slow.');
    evidence.push(late);
  }
  return { causes, evidence };
}

function missingEvidence(t: Timeline, create: OE | undefined): string {
  if (!t.has('openai.response.create') && !t.openai().length) {
    return `Only the log line is there; the Realtime events that tell the causes apart (response.create, response.created and its metadata, errors) are missing: ${LOG_DEBUG_HINT}.`;
  }
  if (!create) return 'No response.create was found before it in the Realtime events (were client events logged? LK_OPENAI_DEBUG=1 logs both directions at DEBUG level).';
  return 'The Realtime events show no rejection, no late or unmatched response.created and no reconnect: look at the agent host (blocked event loop, CPU) and the network path.';
}

const generateReplyTimeout: Rule = {
  id: 'agent.generate-reply-timeout',
  codes: [AGENT.generateReplyTimeout],
  check(t) {
    const out: Finding[] = [];
    const creates = t.openai('response.create', 'client');
    const covered = new Set<OE>();
    // The response.create a failure at `at` waited for: the one ~10 s (or ~5 s) before it, else the latest before it.
    const createFor = (at: number) => {
      const within = creates.filter((c) => c.t <= at + 50 && c.t >= at - GENERATE_REPLY_TIMEOUT_MS - 1_500);
      const fits = (c: OE) => [GENERATE_REPLY_TIMEOUT_MS, OLD_GENERATE_REPLY_TIMEOUT_MS].some((b) => Math.abs(at - c.t - b) <= 1_500);
      return within.find(fits) ?? within.at(-1);
    };
    // 1. The agent said so.
    for (const e of t.ofKind('log.agent.generate-reply-failed')) {
      const inner = str(e.data['inner'] ?? e.data['message']);
      if (e.data['timeout'] !== true && !/timed out/i.test(inner)) continue;
      const create = createFor(e.t);
      if (create) covered.add(create);
      const { causes, evidence } = timeoutCauses(t, e.t, create);
      const head = `The agent logged "${str(e.data['message']) || inner}"${create ? ` ${sec(e.t - create.t)} after its response.create` : ''}.`;
      const body = causes.length ? causes.map((c) => `• ${c}`) : [missingEvidence(t, create)];
      out.push(finding(AGENT.generateReplyTimeout, [head, ...body].join('\n'), [...(create ? [create] : []), ...evidence, e].sort((a, b) => a.t - b.t)));
    }
    // 2. The Realtime events alone: a generate_reply request (metadata.client_event_id) never matched within 10 s.
    const end = t.end ?? 0;
    for (const create of creates) {
      if (covered.has(create)) continue;
      const cid = (create.data.event['response'] as { metadata?: Record<string, unknown> } | undefined)?.metadata?.['client_event_id'];
      if (typeof cid !== 'string') continue;
      const at = create.t + GENERATE_REPLY_TIMEOUT_MS;
      if (end < at) continue;
      const echoed = t.openai('response.created', 'server').find((c) => c.t >= create.t && responseOf(c)?.metadata?.['client_event_id'] === cid);
      if (echoed && echoed.t <= at) continue;
      const cancelled = t.openai('response.cancel', 'client').some((c) => c.t > create.t && c.t < at);
      if (cancelled) continue;
      const { causes, evidence } = timeoutCauses(t, at, create);
      const rejected = t.openaiErrors().some((e) => errorOf(e)?.event_id === create.data.event.event_id);
      const head = rejected
        ? `generate_reply's response.create (${cid}) was rejected and never answered: livekit-agents ≤ 1.5.7 and 1.6.0–1.6.11 time out 10 s later, ≥ 1.7.0 fail at once with the error code (inferred from the Realtime events; the agent's own ERROR line was not in the trace).`
        : `generate_reply's response.create (${cid}) got no matching response.created within 10 s: the agent times out here (inferred from the Realtime events; the agent's own ERROR line was not in the trace).`;
      out.push(finding(AGENT.generateReplyTimeout, [head, ...(causes.length ? causes.map((c) => `• ${c}`) : [missingEvidence(t, create)])].join('\n'), [create, ...evidence].sort((a, b) => a.t - b.t)));
    }
    // 3. Room/session only: thinking → listening about 10 s (or 5 s) later with nothing spoken.
    if (out.length === 0 && !t.openai().length && !t.has('log.agent.generate-reply-failed')) {
      const states = t.events.filter((e) => e.kind === 'session.agent-state' || e.kind === 'room.agent.state' || e.kind === 'log.agent.agent-state');
      const to = (e: TraceEvent) => str(e.kind === 'room.agent.state' ? e.data['state'] : e.data['to']);
      for (let i = 0; i < states.length; i++) {
        const a = states[i]!;
        if (to(a) !== 'thinking') continue;
        const b = states.slice(i + 1).find((s) => s.source === a.source && to(s) !== 'thinking');
        if (!b || to(b) !== 'listening') continue;
        const gap = b.t - a.t;
        const near = (target: number) => Math.abs(gap - target) <= 1_000;
        if (!near(GENERATE_REPLY_TIMEOUT_MS) && !near(OLD_GENERATE_REPLY_TIMEOUT_MS)) continue;
        const spoke = replySigns(t).some((e) => e.t > a.t && e.t < b.t);
        if (spoke) continue;
        out.push(
          finding(
            AGENT.generateReplyTimeout,
            `The agent went thinking → listening ${sec(gap)} later with nothing spoken in between: the signature of a generate_reply timeout (${near(OLD_GENERATE_REPLY_TIMEOUT_MS) ? '5 s: livekit-agents ≤ 1.4.x' : '10 s'}). Only the agent's log confirms it and tells the cause: ${LOG_DEBUG_HINT}.`,
            [a, b],
          ),
        );
      }
    }
    return out;
  },
};

const replyNeverSpoken: Rule = {
  id: 'agent.reply-never-spoken',
  codes: [AGENT.replyNeverSpoken],
  check(t) {
    const commits = t.events.filter(
      (e) =>
        (e.kind === 'openai.input_audio_buffer.committed' && e.data['direction'] === 'server') ||
        e.kind === 'log.agent.turn-committed' ||
        ((e.kind === 'session.item' || e.kind === 'log.agent.item-added') && e.data['role'] === 'user'),
    );
    // Group the signals of one turn.
    const turns: TraceEvent[][] = [];
    for (const c of commits) {
      const last = turns.at(-1);
      if (last && c.t - last[0]!.t <= SAME_TURN_MS) last.push(c);
      else turns.push([c]);
    }
    const replies = replySigns(t);
    const terminal = t.events.filter((e) => ['log.agent.session-closed', 'log.agent.fatal', 'room.closed'].includes(e.kind) || (e.kind === 'session.error' && e.data['recoverable'] === false));
    const end = t.end ?? 0;
    const out: Finding[] = [];
    for (const [i, turn] of turns.entries()) {
      const start = turn[0]!.t;
      const nextTurn = turns[i + 1]?.[0]?.t ?? Infinity;
      const bound = start + REPLY_BOUND_MS;
      if (replies.some((r) => r.t >= start && r.t <= bound)) continue;
      // A new user turn before the bound with a reply to it: the agent answered the combined turn.
      if (nextTurn <= bound) continue;
      const closed = terminal.find((e) => e.t >= start && e.t <= bound);
      const waited = Math.min(end, bound) - start;
      if (waited < REPLY_BOUND_MS && !closed) {
        if (end - start < 3_000) continue; // the trace ends right after the turn: no basis
        out.push(
          finding(AGENT.replyNeverSpoken, `A user turn was committed and nothing answered it in the ${sec(waited)} the trace still covers (bound ${sec(REPLY_BOUND_MS)}); the trace may have been cut short.`, turn, { severity: 'warning' }),
        );
        continue;
      }
      const why = closed ? ` The session closed ${sec(closed.t - start)} later (${closed.kind}).` : '';
      const onlyRoom = !t.openai().length && !t.events.some(isLog);
      out.push(
        finding(
          AGENT.replyNeverSpoken,
          `A user turn was committed (${turn.map((e) => e.kind).join(', ')}) and within ${sec(Math.min(waited, REPLY_BOUND_MS))} no response was created, no audio produced and the agent never spoke.${why}${onlyRoom ? ` The cause is in the agent's log: ${LOG_DEBUG_HINT}.` : ''}`,
          closed ? [...turn, closed] : turn,
        ),
      );
    }
    return out;
  },
};

const falseInterruption: Rule = {
  id: 'agent.false-interruption',
  codes: [AGENT.falseInterruption],
  check(t) {
    const ev = t.events.filter((e) => e.kind === 'log.agent.false-interruption' || e.kind === 'session.false-interruption');
    if (ev.length === 0) return [];
    // One fact may be both logged and sent as a session event.
    const distinct = ev.filter((e, i) => !ev.slice(0, i).some((p) => p.kind !== e.kind && Math.abs(p.t - e.t) <= 500));
    const lost = distinct.filter((e) => e.kind === 'session.false-interruption' && e.data['resumed'] === false).length;
    const resumed = distinct.length - lost;
    const detail = `${distinct.length} false interruption(s): the agent paused its speech on voice activity that was not an interruption${resumed ? `; ${resumed} resumed` : ''}${lost ? `; ${lost} not resumed (that reply was lost)` : ''}.`;
    return [finding(AGENT.falseInterruption, detail, distinct.slice(0, 20))];
  },
};

const fatalError: Rule = {
  id: 'agent.fatal-error',
  codes: [AGENT.fatalError],
  check(t) {
    const ev = t.events.filter((e) => e.kind === 'log.agent.fatal' || (e.kind === 'session.error' && e.data['recoverable'] === false));
    return ev.map((e) => {
      const msg = str(e.kind === 'log.agent.fatal' ? (e.data['error'] ?? e.data['message']) : e.data['message']);
      return finding(AGENT.fatalError, `The session closed on an unrecoverable error${msg ? `: ${msg}` : ''}.`, [e]);
    });
  },
};

type Metric = 'endOfTurnDelay' | 'ttft' | 'e2eLatency';
const METRICS: Array<{ key: Metric; aliases: string[]; label: string }> = [
  { key: 'endOfTurnDelay', aliases: ['endOfTurnDelay', 'end_of_turn_delay'], label: 'end-of-turn delay' },
  { key: 'ttft', aliases: ['ttft', 'llmNodeTtft', 'llm_node_ttft'], label: 'time to first token' },
  { key: 'e2eLatency', aliases: ['e2eLatency', 'e2e_latency'], label: 'end-to-end' },
];

function stats(values: number[]): { n: number; p50: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: s[Math.floor((s.length - 1) / 2)]!, max: s.at(-1)! };
}

const latencySummary: Rule = {
  id: 'agent.latency-summary',
  codes: [AGENT.latencySummary],
  check(t) {
    const items = t.ofKind('session.item').filter((e) => e.data['metrics'] && typeof e.data['metrics'] === 'object');
    const lines: string[] = [];
    for (const m of METRICS) {
      const vals = items
        .map((e) => {
          const mm = e.data['metrics'] as Record<string, unknown>;
          const v = m.aliases.map((a) => mm[a]).find((x) => typeof x === 'number' && Number.isFinite(x));
          return typeof v === 'number' ? v * 1000 : undefined; // seconds on the wire
        })
        .filter((v): v is number => v !== undefined);
      if (vals.length === 0) continue;
      const s = stats(vals);
      lines.push(`${m.label}: median ${ms(s.p50)}, max ${ms(s.max)} (${s.n} turn${s.n === 1 ? '' : 's'})`);
    }
    if (lines.length === 0) return [];
    return [finding(AGENT.latencySummary, lines.join('\n'), items.slice(0, 20))];
  },
};

export const AGENT_RULES: readonly Rule[] = [generateReplyTimeout, cancelledByUserSpeech, replyNeverSpoken, falseInterruption, fatalError, latencySummary];
