import { finding } from '../engine.js';
import { responseOf, type Timeline } from '../timeline.js';
import type { Finding, Rule, RuleContext, TraceEvent } from '../types.js';
import { hasAgentLog, isLog, ms, replySigns, sec, speechCancels } from './agent.js';
import { PRECONNECT, PRECONNECT_LOG_HINT } from './preconnect-codes.js';

/** The agent's pre_connect_audio_timeout default: a stream must finish within this of its header. */
export const PRECONNECT_TIMEOUT_MS = 3_000;
/** The clients' wait for an ACTIVE agent (JS, Swift, Android). */
export const AGENT_ACTIVE_BOUND_MS = 10_000;
/** How long after the buffer a cancelled first reply still counts as the reply to it. */
const FIRST_REPLY_WINDOW_MS = 30_000;

const FEATURE = 'TF_PRECONNECT_BUFFER';

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

function preconnectCtx(ctx: RuleContext): PreconnectContext {
  const p = ctx['preconnect'];
  return p && typeof p === 'object' ? (p as PreconnectContext) : {};
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

interface Facts {
  sent: TraceEvent | undefined; // client.preconnect.opened
  closed: TraceEvent | undefined; // client.preconnect.closed
  received: TraceEvent | undefined;
  pushed: TraceEvent | undefined;
  failures: TraceEvent[]; // log lines that say the buffer was dropped
  flagged: boolean; // a microphone advertises the flag
  log: boolean;
  debugLog: boolean; // the log has DEBUG lines, so "received"/"pushed" would be there
}

const FAILURE_KINDS = ['log.preconnect.timeout', 'log.preconnect.not-completed', 'log.preconnect.too-old', 'log.preconnect.no-track-id', 'log.preconnect.read-error', 'log.preconnect.ignored'];

function facts(t: Timeline): Facts {
  return {
    sent: t.first('client.preconnect.opened'),
    closed: t.first('client.preconnect.closed'),
    received: t.first('log.preconnect.received'),
    pushed: t.first('log.preconnect.pushed'),
    failures: t.events.filter((e) => FAILURE_KINDS.includes(e.kind)),
    flagged: t.events.some((e) => (e.kind === 'client.track.published' && e.data['preconnectFlag'] === true) || (e.kind === 'room.track.published' && features(e).includes(FEATURE))),
    log: hasAgentLog(t),
    debugLog: t.events.some((e) => isLog(e) && e.data['level'] === 'debug'),
  };
}

function features(e: TraceEvent): string[] {
  const f = e.data['features'];
  return Array.isArray(f) ? f.map(String) : [];
}

/** Anything at all about a pre-connect buffer in this trace? (If not, these rules stay silent.) */
function attempted(t: Timeline, f: Facts): boolean {
  return !!(f.sent || f.closed || f.flagged || t.events.some((e) => e.kind.startsWith('log.preconnect.')));
}

/** Node agents (agents-js) have no handler; how the trace says the agent is one. */
function nodeAgent(t: Timeline): TraceEvent | undefined {
  return t.events.find((e) => {
    if (e.kind === 'log.preconnect.ignored' || e.kind === 'log.framework') return e.data['framework'] === 'node';
    if (e.kind === 'session.response' && e.data['request'] === 'get_framework_info' && e.data['ok'] !== false) {
      return /agents-js|nodejs|"node"|typescript/i.test(JSON.stringify(e.data['payload'] ?? {}));
    }
    return false;
  });
}

const noLog = `No agent log was given, so this is not confirmed from the agent's side: pass --agent-log FILE (DEBUG level).`;

/** What proves, without a transcript, that pushed audio was misread: the attributes do not describe the PCM. */
function misreadEvidence(f: Facts, agentSeconds: unknown): string[] {
  const opened = f.sent?.data ?? {};
  const sentMs = Number(f.closed?.data['audioMs']);
  const hints: string[] = [];
  if (String(opened['channels']) === '2') hints.push('the buffer is stereo (channels=2), and livekit-agents resamples pre-connect audio as mono, which garbles it; send mono');
  if (typeof agentSeconds === 'number' && sentMs > 0 && Math.abs(agentSeconds * 1000 - sentMs) / sentMs > 0.1) {
    hints.push(`the agent decoded ${agentSeconds.toFixed(2)} s from ${(sentMs / 1000).toFixed(2)} s of recorded audio: the sampleRate attribute (${str(opened['sampleRate'])}) does not match the PCM`);
  }
  return hints;
}

function formatHint(hints: readonly string[]): string {
  return `Likely cause: ${hints.length ? hints.join('; ') : 'check that sampleRate, channels and the mime type describe the bytes (raw s16le PCM unless the mime type says Opus)'}.`;
}

/** Why the transcript could not settle the verdict, and what evidence would. */
function unsettledWhy(pc: PreconnectContext, f: Facts): string {
  const add = f.log ? 'run the agent at DEBUG level so its log says whether it pushed the buffer' : 'pass --agent-log FILE (DEBUG level): the agent\'s log says whether it pushed the buffer';
  if (pc.unsettled === 'short-buffer') {
    const held = pc.bufferedMs ? `${sec(pc.bufferedMs)} of the user's speech` : 'only the start of the user\'s speech';
    return `The buffer held ${held}, fewer words than a transcript can confirm, so the transcript cannot settle it: ${add}, or start speaking earlier (--join-delay).`;
  }
  return `The user's speech came back as an unrecognised transcript, which may hold the buffered words, so it cannot settle it: ${add}.`;
}

/** Whether the agent used the buffer: consumed (info) or not (error), from the log or the transcript. */
const outcome: Rule = {
  id: 'preconnect.outcome',
  codes: [PRECONNECT.consumed, PRECONNECT.notConsumed],
  check(t, ctx) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const pc = preconnectCtx(ctx);
    if (f.pushed) {
      const dur = f.pushed.data['duration'] ?? f.received?.data['duration'];
      const d = typeof dur === 'number' ? ` (${dur.toFixed(2)} s of audio)` : '';
      const used = [f.sent, f.received, f.pushed].filter((e): e is TraceEvent => !!e);
      const misread = misreadEvidence(f, dur);
      if (pc.transcriptMatched === false || (misread.length > 0 && pc.transcriptMatched !== true)) {
        // Pushed, yet its words were not heard: the agent read the bytes with the wrong format.
        const unsure = pc.transcriptMatched === false ? '' : ' (the transcript alone could not settle it; the format evidence does)';
        return [finding(PRECONNECT.notConsumed, `The agent pushed the buffer into its input${d}, but the buffered words are missing from the user transcript: the audio was misread${unsure}. ${formatHint(misread)}`, used)];
      }
      return [finding(PRECONNECT.consumed, `The agent received the buffer and pushed it into its input${d} before the live audio.`, used)];
    }
    const buffer = [f.sent, f.closed].filter((e): e is TraceEvent => !!e);
    if (pc.transcriptMatched === true && f.failures.length === 0) {
      return [finding(PRECONNECT.consumed, `The buffered words are in the user transcript, so the agent used the buffer.${f.log ? '' : ' (The agent log would confirm it: --agent-log FILE at DEBUG level.)'}`, buffer)];
    }
    // A buffer existed only if the client sent one or the agent saw one (a bare timeout proves neither).
    const arrived = f.failures.some((e) => e.kind !== 'log.preconnect.timeout');
    if (!f.sent && !f.received && !arrived) return []; // only a flag: the timeout rule speaks if the agent waited
    const reasons: string[] = [];
    if (f.failures.length) reasons.push(`the agent logged ${[...new Set(f.failures.map((e) => `"${str(e.data['message']) || e.kind}"`))].join(', ')}`);
    const gaveUp = t.first('log.preconnect.timeout');
    if (f.received && gaveUp && gaveUp.t < f.received.t) reasons.push(`it arrived ${sec(f.received.t - gaveUp.t)} after the agent had stopped waiting for it`);
    else if (f.received) reasons.push('it was received but never pushed into the input (is TF_PRECONNECT_BUFFER on the microphone?)');
    if (pc.transcriptMatched === false) reasons.push('the buffered words are missing from the user transcript');
    const active = t.first('client.agent.active');
    const early = f.sent && (!active || f.sent.t < active.t) ? f.sent : undefined;
    if (early && (reasons.length || pc.transcriptMatched === false)) reasons.push(`the client opened the stream before the agent was ACTIVE${t.ofKind('client.fault').some((e) => e.data['name'] === 'send-before-active') ? ' (--send-before-active)' : ''}, so it may not have been delivered to a registered handler`);
    if (f.sent && !f.received && f.debugLog && !f.failures.length) reasons.push('the agent log (DEBUG level) never shows it arriving');
    const evidence = [...buffer, ...(f.received ? [f.received] : []), ...f.failures].sort((a, b) => a.t - b.t);
    if (reasons.length) {
      return [finding(PRECONNECT.notConsumed, `The buffer was not used: ${reasons.join('; ')}.`, evidence)];
    }
    // Sent, and nothing says whether it was used: unconfirmed, never an error.
    const why = pc.unsettled
      ? unsettledWhy(pc, f)
      : f.log
      ? 'The agent log has no pre-connect lines: "pre-connect audio received"/"buffer pushed" are DEBUG, so run the agent at DEBUG level.'
      : noLog;
    return [finding(PRECONNECT.notConsumed, `Could not confirm that the agent used the buffer. ${why}`, evidence, { severity: 'warning' })];
  },
};

/** The synthetic user waited for an ACTIVE agent and none came. */
const agentPresence: Rule = {
  id: 'preconnect.agent-presence',
  codes: [PRECONNECT.agentNotActive, PRECONNECT.noAgentDispatched],
  check(t) {
    const connected = t.first('client.connected');
    if (!connected || t.has('client.agent.active')) return [];
    const timeout = t.ofKind('client.timeout').find((e) => /agent|active/i.test(str(e.data['wait'])));
    if (!timeout && (t.end ?? 0) - connected.t < AGENT_ACTIVE_BOUND_MS) return [];
    const bound = timeout ? sec(Number(timeout.data['boundMs'])) : `the ${sec((t.end ?? 0) - connected.t)} observed`;
    const joined = t.first('client.agent.joined') ?? t.ofKind('room.participant.joined').find((e) => e.data['kind'] === 'agent');
    const end = timeout ? [timeout] : [];
    if (joined) {
      return [finding(PRECONNECT.agentNotActive, `Agent ${str(joined.data['identity'])} joined ${sec(joined.t - connected.t)} after connecting but did not become ACTIVE within ${bound}; the buffer was never sent.`, [connected, joined, ...end])];
    }
    const dispatch = t.ofKind('server.dispatch.state').at(-1);
    const created = t.first('server.dispatch.created');
    let why = '';
    if (dispatch) {
      const jobs = Array.isArray(dispatch.data['jobs']) ? (dispatch.data['jobs'] as Array<Record<string, unknown>>) : [];
      why = jobs.length
        ? ` Dispatch ${str(dispatch.data['id'])} (${str(dispatch.data['agentName'])}): ${jobs.map((j) => `job ${str(j['status'])}${j['error'] ? ` — ${str(j['error'])}` : ''}`).join('; ')}.`
        : ` Dispatch ${str(dispatch.data['id'])} for agent name "${str(dispatch.data['agentName'])}" has no job: no worker registered under that name accepted it.`;
    } else if (created) {
      why = ` A dispatch was created for "${str(created.data['agentName'])}" but its state was not read.`;
    }
    return [finding(PRECONNECT.noAgentDispatched, `No agent joined within ${bound}.${why}`, [connected, ...(created ? [created] : []), ...(dispatch ? [dispatch] : []), ...end])];
  },
};

/** Client-side faults, seen by the synthetic user or on the published track. */
const clientSide: Rule = {
  id: 'preconnect.client',
  codes: [PRECONNECT.flagMissing, PRECONNECT.missingTrackId, PRECONNECT.notCompletedInTime],
  check(t) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const out: Finding[] = [];
    const faults = t.ofKind('client.fault');
    const fault = (name: string) => faults.find((e) => e.data['name'] === name);

    // The flag: the synthetic user's own publication, or a microphone seen in the room while a buffer was sent.
    const buffered = f.sent ?? f.received;
    // Our own publication is authoritative when we are the user; otherwise the microphone the
    // buffer names (trackId), or any non-agent microphone — never an agent's own audio track.
    const own = t.ofKind('client.track.published');
    const agentIds = new Set(
      t.events.filter((e) => (e.kind === 'room.participant.joined' && e.data['kind'] === 'agent') || e.kind === 'client.agent.joined' || e.kind === 'client.agent.active').map((e) => str(e.data['identity'])),
    );
    const trackId = buffered ? str(buffered.data['trackId']) : '';
    const userMics = t.ofKind('room.track.published').filter((e) => e.data['source'] === 'microphone' && !agentIds.has(str(e.data['identity'])) && (!trackId || e.data['trackSid'] === trackId));
    const unflagged =
      own.length > 0 ? own.find((e) => e.data['preconnectFlag'] === false) : buffered ? userMics.find((e) => !features(e).includes(FEATURE)) : undefined;
    if (unflagged && buffered) {
      const confirmed = f.received && !f.pushed ? ' The agent log confirms it: the buffer was received but never pushed.' : f.log ? '' : ` ${noLog}`;
      const injected = fault('no-preconnect-flag') ? ' (injected with --no-preconnect-flag)' : '';
      out.push(finding(PRECONNECT.flagMissing, `The microphone ${str(unflagged.data['trackSid'])} was published without ${FEATURE}${injected}, yet a buffer was sent: the agent does not wait for it and never uses it.${confirmed}`, [unflagged, buffered, ...(f.received && f.received !== buffered ? [f.received] : [])]));
    }

    // trackId: the agent's warning, the stream's attributes, or the injected fault.
    const noId = t.first('log.preconnect.no-track-id');
    const openedNoId = f.sent && !str(f.sent.data['trackId']) ? f.sent : undefined;
    const omit = fault('omit-track-id');
    if (noId || openedNoId || omit) {
      const evidence = [omit, openedNoId, noId].filter((e): e is TraceEvent => !!e);
      const detail = noId
        ? `The agent logged "pre-connect audio received but no trackId" and discarded the buffer${omit ? ' (injected with --omit-track-id)' : ''}.`
        : `The buffer was sent without a trackId attribute${omit ? ' (--omit-track-id)' : ''}; the agent discards such a buffer and stalls 3 s. ${f.log ? 'The agent log does not show the warning: is it the log of this session?' : noLog}`;
      out.push(finding(PRECONNECT.missingTrackId, detail, evidence));
    }

    // Stream held open past the agent's 3 s.
    const late = t.first('log.preconnect.not-completed');
    const heldMs = f.sent && f.closed ? f.closed.t - f.sent.t : undefined;
    if (late) {
      out.push(finding(PRECONNECT.notCompletedInTime, `The agent logged "pre-connect audio received but not completed in time"${heldMs !== undefined ? `: the client kept the stream open ${sec(heldMs)}` : ''} (limit ${sec(PRECONNECT_TIMEOUT_MS)} from the header).`, [f.sent, late, f.closed].filter((e): e is TraceEvent => !!e).sort((a, b) => a.t - b.t)));
    } else if (heldMs !== undefined && heldMs > PRECONNECT_TIMEOUT_MS && !(f.log && f.pushed)) {
      const why = f.closed?.data['reason'] ? ` (closed on ${str(f.closed.data['reason'])})` : '';
      out.push(finding(PRECONNECT.notCompletedInTime, `The client kept the buffer stream open ${sec(heldMs)}${why}; the agent discards a stream not finished ${sec(PRECONNECT_TIMEOUT_MS)} after its header. ${f.log ? '' : noLog}`.trim(), [f.sent!, f.closed!]));
    }
    return out;
  },
};

/** What the agent's log says about the buffer. */
const agentSide: Rule = {
  id: 'preconnect.agent',
  codes: [PRECONNECT.handlerRegisteredLate, PRECONNECT.noHandler, PRECONNECT.agentUnsupported, PRECONNECT.bufferTooOld, PRECONNECT.timeoutWaiting],
  check(t, ctx) {
    const f = facts(t);
    if (!attempted(t, f)) return [];
    const out: Finding[] = [];
    const ignored = t.ofKind('log.preconnect.ignored');
    const lateReg = t.ofKind('log.preconnect.registered-late');
    const node = nodeAgent(t);

    if (node && (f.sent || f.flagged || ignored.length)) {
      const ev = [f.sent, node, ...ignored.filter((e) => e !== node)].filter((e): e is TraceEvent => !!e);
      out.push(finding(PRECONNECT.agentUnsupported, `The agent runs agents-js (Node), which has no pre-connect audio handler${ignored.length ? ': rtc-node dropped the stream ("ignoring incoming byte stream due to no handler")' : ''}. The words said while it joined are lost.`, ev));
    }
    const pyIgnored = ignored.filter((e) => e.data['framework'] !== 'node');
    if (lateReg.length) {
      const consumed = !!f.pushed && preconnectCtx(ctx).transcriptMatched !== false; // as the outcome rule decides
      const detail = `The agent logged "pre-connect audio handler registered after room connection" ${lateReg.length}×: ctx.connect() ran before session.start().${pyIgnored.length ? ' A buffer arrived before the handler and was dropped ("ignoring byte stream… no callback attached").' : ''}${consumed ? " This run's buffer was still used: the race exists, this run won it." : ''}`;
      out.push(finding(PRECONNECT.handlerRegisteredLate, detail, [lateReg[0]!, ...pyIgnored, ...(f.pushed ? [f.pushed] : [])].sort((a, b) => a.t - b.t), consumed ? { severity: 'warning' } : {}));
    } else if (pyIgnored.length && !node) {
      out.push(finding(PRECONNECT.noHandler, `The agent dropped the buffer: "ignoring byte stream with topic 'lk.agent.pre-connect-audio-buffer', no callback attached". pre_connect_audio is off, audio input is disabled, or the buffer arrived before RoomIO started.`, pyIgnored));
    }
    for (const e of t.ofKind('log.preconnect.too-old')) {
      const dt = e.data['deltaTime'];
      const snap = f.closed?.data['reason'] === 'snapshot' ? ' The client sent a one-shot snapshot, which finishes before the agent subscribes.' : '';
      out.push(finding(PRECONNECT.bufferTooOld, `The agent dropped the buffer as too old${typeof dt === 'number' ? `: it had been complete for ${dt.toFixed(2)} s (limit 1.0 s)` : ''}.${snap}`, [f.closed, e].filter((x): x is TraceEvent => !!x)));
    }
    const timeouts = t.ofKind('log.preconnect.timeout');
    if (timeouts.length) {
      const causes: string[] = [];
      if (t.has('log.preconnect.no-track-id')) causes.push('the buffer had no trackId (preconnect/missing-track-id)');
      if (lateReg.length || pyIgnored.length) causes.push('the buffer arrived before the handler (see the handler findings)');
      if (t.has('log.preconnect.not-completed')) causes.push('the stream did not finish in time');
      if (!causes.length && f.sent && !f.received) causes.push(`the buffer was sent${f.sent.data['trackId'] ? ` with trackId ${str(f.sent.data['trackId'])}` : ''} but never arrived as one the agent could match (wrong trackId, or sent to another participant)`);
      if (!causes.length && f.received && f.received.t > timeouts[0]!.t) causes.push(`the buffer arrived ${sec(f.received.t - timeouts[0]!.t)} too late${t.ofKind('client.fault').some((e) => e.data['name'] === 'delay-send') ? ' (--delay-send)' : ''}`);
      if (!causes.length && !f.sent && !f.received) causes.push(f.log && !t.events.some((e) => e.kind.startsWith('client.')) ? 'no buffer arrived for the flagged track (the client did not send one, or sent it elsewhere); a re-subscription of a flagged track also waits again' : 'no buffer arrived for the flagged track');
      out.push(finding(PRECONNECT.timeoutWaiting, `The agent waited ${sec(PRECONNECT_TIMEOUT_MS)} for the buffer ${timeouts.length}× and gave up: ${causes.join('; ')}. Live audio queued meanwhile and reached the model late.`, timeouts.slice(0, 10)));
    }
    return out;
  },
};

/** The reply to the buffered words was cancelled when live speech reached the model. */
const interrupted: Rule = {
  id: 'preconnect.interrupted',
  codes: [PRECONNECT.interruptedByLiveAudio],
  check(t) {
    const f = facts(t);
    const anchor = f.pushed ?? f.received ?? f.closed;
    if (!anchor) return [];
    const completedBefore = (at: number) =>
      t.openai('response.done', 'server').some((d) => d.t > anchor.t && d.t < at && responseOf(d)?.status === 'completed') ||
      t.ofKind('session.item').some((i) => i.t > anchor.t && i.t < at && i.data['role'] === 'assistant' && i.data['interrupted'] !== true);
    const c = speechCancels(t).find((c) => {
      if (c.cancel.t < anchor.t || c.cancel.t - anchor.t > FIRST_REPLY_WINDOW_MS) return false;
      if (completedBefore(c.cancel.t)) return false; // an earlier reply to the buffer was spoken
      // The speech that cancelled it is the live audio: after the reply to the buffer had started.
      const replyStart = c.created?.t ?? replySigns(t).find((r) => r.t >= anchor.t && r.t <= c.speech.t + 50)?.t;
      return c.speech.t >= (replyStart ?? anchor.t) - 50;
    });
    if (!c) return [];
    const live = t.first('client.live.started');
    const parts = [
      `The buffer reached the agent (${anchor.kind}) at +0 ms.`,
      c.created ? `A response to it was created at +${ms(c.created.t - anchor.t)}.` : '',
      live ? `Live audio started on the track ${live.t >= anchor.t ? `at +${ms(live.t - anchor.t)}` : `${ms(anchor.t - live.t)} before that`}.` : '',
      `The user was detected speaking again at +${ms(c.speech.t - anchor.t)} (${c.speech.kind}), and the reply was cancelled ${ms(c.gapMs)} later (${c.how === 'client-cancel' ? 'the agent sent response.cancel' : c.how === 'turn-detected' ? 'server VAD, turn_detected' : 'assistant item interrupted'}).`,
      c.audioBefore ? '' : 'None of the reply had been produced: the user got no answer to the buffered words.',
    ];
    const evidence = [anchor, ...(c.created ? [c.created] : []), ...(live ? [live] : []), c.speech, c.cancel, ...(c.done && c.done !== c.cancel ? [c.done] : [])];
    return [finding(PRECONNECT.interruptedByLiveAudio, parts.filter(Boolean).join(' '), [...new Set(evidence)].sort((a, b) => a.t - b.t))];
  },
};

export const PRECONNECT_RULES: readonly Rule[] = [outcome, agentPresence, clientSide, agentSide, interrupted];
export { PRECONNECT_LOG_HINT };
