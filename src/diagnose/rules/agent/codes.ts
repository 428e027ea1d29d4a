import { ERROR_CORRELATION, GENERATE_REPLY, atLeast } from '../../../facts/versions.js';
import { ms, plural, sec } from '../../../format/index.js';
import { defineCode } from '../kit.js';
import { LOG_DEBUG_HINT } from '../queries.js';

const GR = GENERATE_REPLY;
const TIMEOUT_S = `${GR.timeoutMs / 1000} s`;
const OLD_TIMEOUT_S = `${GR.oldTimeoutMs / 1000} s`;

/** One reason a generate_reply timed out, with the numbers that show it. */
export type TimeoutCause =
  | { kind: 'socket'; errors: number; firstError: string }
  | { kind: 'rejected'; afterMs: number; auto?: { responseId: string; beforeMs: number } }
  | { kind: 'slow'; afterMs: number; afterGaveUp: boolean }
  | { kind: 'unmatched'; afterMs: number; clientEventId: string; got: string }
  | { kind: 'old-timeout'; waitedMs: number }
  | { kind: 'late-discard' };

/** Why the trace cannot tell the cause. */
export type MissingEvidence = 'no-realtime' | 'no-create' | 'nothing-found';

export type GenerateReplyTimeoutData =
  | { via: 'logged'; message: string; createBeforeMs?: number; causes: TimeoutCause[]; missing: MissingEvidence }
  | { via: 'inferred'; rejected: boolean; clientEventId: string; causes: TimeoutCause[]; missing: MissingEvidence }
  | { via: 'states'; gapMs: number; old: boolean }
  /** agents-js before its plugin's timeout (GR.jsSince): the reply waited, it did not time out (a warning). */
  | { via: 'untimed'; version: string; clientEventId: string; rejected: boolean; createdAfterMs?: number; causes: TimeoutCause[] };

function causeText(c: TimeoutCause): string {
  switch (c.kind) {
    case 'socket':
      return `The Realtime socket was not up or was reconnecting: ${c.errors ? `${c.errors} connection error(s) ("${c.firstError}")` : 'the agent was (re)connecting'} around the request, so response.create could not be answered in time.`;
    case 'rejected':
      return `response.create was rejected at once (conversation_already_has_active_response, ${ms(c.afterMs)} later): a response was already active${c.auto ? ` — the server-VAD auto-response ${c.auto.responseId} created ${ms(c.auto.beforeMs)} before` : ''}. This livekit-agents version did not match the error to the request, so it waited the full timeout (also reported as openai/active-response-conflict).`;
    case 'slow':
      return `The server was slow: the matching response.created came ${sec(c.afterMs)} after response.create${c.afterGaveUp ? ', after the agent had given up' : ''}.`;
    case 'unmatched':
      return `response.created arrived ${ms(c.afterMs)} after response.create but without the metadata echo (client_event_id ${c.clientEventId}; got ${c.got}): the agent could not match it and timed out while the reply played as a separate speech (also openai/metadata-not-echoed). A gateway or proxy is dropping response.metadata.`;
    case 'old-timeout':
      return `The agent gave up ${sec(c.waitedMs)} after response.create: the ${OLD_TIMEOUT_S} timeout of livekit-agents ≤ ${GR.pyOldUpTo} (${TIMEOUT_S} since ${GR.pySince}). Upgrade.`;
    case 'late-discard':
      return 'The response arrived after the agent had timed out ("discarding response that arrived after it was timed out…"): the server (or the path to it) was slow.';
  }
}

/** ", the server-VAD auto-response … created N ms before" when the rejection's cause names one. */
function autoText(causes: readonly TimeoutCause[]): string {
  const r = causes.find((c): c is Extract<TimeoutCause, { kind: 'rejected' }> => c.kind === 'rejected');
  return r?.auto ? `: the server-VAD auto-response ${r.auto.responseId} was created ${ms(r.auto.beforeMs)} before` : '';
}

function missingText(m: MissingEvidence): string {
  switch (m) {
    case 'no-realtime':
      return `Only the log line is there; the Realtime events that tell the causes apart (response.create, response.created and its metadata, errors) are missing: ${LOG_DEBUG_HINT}.`;
    case 'no-create':
      return 'No response.create was found before it in the Realtime events (were client events logged? LK_OPENAI_DEBUG=1 logs both directions at DEBUG level).';
    case 'nothing-found':
      return 'The Realtime events show no rejection, no late or unmatched response.created and no reconnect: look at the agent host (blocked event loop, CPU) and the network path.';
  }
}

const body = (causes: readonly TimeoutCause[], missing: MissingEvidence): string[] =>
  causes.length ? causes.map((c) => `• ${causeText(c)}`) : [missingText(missing)];

/** Which event showed the user starting to speak. */
export type SpeechSeenBy = 'vad' | 'session' | 'log';
const SPEECH_SEEN_BY: Record<SpeechSeenBy, string> = {
  vad: 'server VAD speech_started',
  session: 'user state → speaking (session event)',
  log: 'user state → speaking (agent log)',
};

export interface CancelledByUserSpeechData {
  how: 'client-cancel' | 'turn-detected' | 'interrupted-item';
  gapMs: number;
  speech: SpeechSeenBy;
  responseId?: string;
  /** What the user heard of the reply: part of it (a barge-in), nothing, or unknown. */
  heard: 'part' | 'nothing' | 'unknown';
}

export type ReplyNeverSpokenData =
  | { via: 'cut-short'; waitedMs: number; boundMs: number }
  | { via: 'unanswered'; kinds: string[]; waitedMs: number; closed?: { afterMs: number; kind: string }; onlyRoom: boolean };

export interface FalseInterruptionData {
  count: number;
  resumed: number;
  lost: number;
}
export interface FatalErrorData {
  message: string;
}
export interface ReportWithoutEventsData {
  jobId?: string;
  sdkVersion?: string;
  messages: number;
}
export interface LatencySummaryData {
  metrics: Array<{ label: string; p50: number; max: number; n: number }>;
}

/** Findings about the agent's turn taking (AgentSession, RealtimeSession). docs/findings.md is generated from these. */
export const AGENT = {
  generateReplyTimeout: defineCode<GenerateReplyTimeoutData>({
    code: 'agent/generate-reply-timeout',
    severity: 'error',
    title: 'generate_reply timed out: the agent never got its response.created',
    cause: `LiveKit sends response.create and fails the reply when no matching response.created arrives within ${TIMEOUT_S} (livekit-agents ${atLeast(GR.pySince)}, agents-js plugin ${atLeast(GR.jsSince)}; ${OLD_TIMEOUT_S} in livekit-agents ≤ ${GR.pyOldUpTo}). Causes, in order of frequency: the Realtime socket was not up or was reconnecting; the API rejected response.create because a response was already active (server VAD auto-responded while the agent called generate_reply — livekit-agents ${ERROR_CORRELATION.pyGap} do not match that error to the request); a gateway or proxy dropped response.metadata so the response.created could not be matched; the API was slow; an old version with the ${OLD_TIMEOUT_S} timeout.`,
    evidence:
      'The ERROR line "failed to generate a reply: generate_reply timed out." (agent.generate-reply-failed); the response.create it waited for and what followed it (openai.error, openai.response.created and its metadata, log.openai.connection-error / connecting, log.openai.late-response); without a log, agent state thinking → listening about 10 s later with no speech in between.',
    fix: `Depends on the sub-cause named in the detail: reconnecting → fix the connection errors first; active response → upgrade to livekit-agents ${atLeast(ERROR_CORRELATION.pyFixed)} and do not call generate_reply while server VAD responds (turn_detection create_response=False, or wait for the current reply); metadata not echoed → let the proxy pass response.metadata through; slow server → check region, egress and the agent host; ${OLD_TIMEOUT_S} → upgrade livekit-agents to ${atLeast(GR.pySince)}. To tell them apart, run the agent with LK_OPENAI_DEBUG=1 at DEBUG log level.`,
    fixFor: (d) =>
      d.via === 'untimed'
        ? `Upgrade @livekit/agents and @livekit/agents-plugin-openai to ${atLeast(GR.jsSince)} (a generateReply then fails after ${TIMEOUT_S} instead of waiting without a bound), and remove the delay's cause: a slow API path (region, egress, proxy) or a generateReply called while server VAD's own response is active.`
        : undefined,
    detail: (d) => {
      switch (d.via) {
        case 'logged':
          return [
            `The agent logged "${d.message}"${d.createBeforeMs !== undefined ? ` ${sec(d.createBeforeMs)} after its response.create` : ''}.`,
            ...body(d.causes, d.missing),
          ].join('\n');
        case 'inferred': {
          const head = d.rejected
            ? `generate_reply's response.create (${d.clientEventId}) was rejected and never answered: livekit-agents ${ERROR_CORRELATION.pyGap} time out ${TIMEOUT_S} later, ${atLeast(ERROR_CORRELATION.pyFixed)} fail at once with the error code (inferred from the Realtime events; the agent's own ERROR line was not in the trace).`
            : `generate_reply's response.create (${d.clientEventId}) got no matching response.created within ${TIMEOUT_S}: the agent times out here (inferred from the Realtime events; the agent's own ERROR line was not in the trace).`;
          return [head, ...body(d.causes, d.missing)].join('\n');
        }
        case 'untimed': {
          const none = `@livekit/agents ${d.version} has no generateReply timeout (agents-js plugin < ${GR.jsSince}: CreateResponseHandle waits without a bound), so nothing timed out`;
          const head =
            d.createdAfterMs !== undefined
              ? `${none}: generate_reply's response.create (${d.clientEventId}) was answered ${sec(d.createdAfterMs)} later — a slow reply, which ${atLeast(GR.jsSince)} would have failed after ${TIMEOUT_S}.`
              : d.rejected
                ? `${none}: generate_reply's response.create (${d.clientEventId}) was rejected (conversation_already_has_active_response${autoText(d.causes)}) and never answered, and this version keeps waiting — the reply is lost without an error (also openai/active-response-conflict).`
                : `${none}: generate_reply's response.create (${d.clientEventId}) got no matching response.created within ${TIMEOUT_S}, and this version keeps waiting (unconfirmed: the log ends or moves on before any answer).`;
          // the causes that do not presume a timeout (a socket down, a response.created without the metadata echo)
          return [head, ...d.causes.filter((c) => c.kind === 'socket' || c.kind === 'unmatched').map((c) => `• ${causeText(c)}`)].join('\n');
        }
        case 'states':
          return `The agent went thinking → listening ${sec(d.gapMs)} later with nothing spoken in between: the signature of a generate_reply timeout (${d.old ? `${OLD_TIMEOUT_S}: livekit-agents ≤ ${GR.pyOldUpTo}` : TIMEOUT_S}). Only the agent's log confirms it and tells the cause: ${LOG_DEBUG_HINT}.`;
      }
    },
  }),
  responseCancelledByUserSpeech: defineCode<CancelledByUserSpeechData>({
    code: 'agent/response-cancelled-by-user-speech',
    severity: 'warning',
    title: 'A reply was cancelled because the user started speaking',
    cause:
      "With server turn detection and interrupt_response=true the API cancels the response itself when it hears speech (reason turn_detected); otherwise LiveKit sends response.cancel when the input speech starts (AgentActivity.interrupt()). Barge-in is intended behaviour, but echo, room noise or the user's own trailing words cancel replies the user never heard.",
    evidence:
      'input_audio_buffer.speech_started, or the user state turning to speaking (user.state, from the log or the session), followed within about 1.5 s by a client response.cancel, or response.done cancelled with reason turn_detected (also log.openai.response-not-complete).',
    fix: 'If the user did not mean to interrupt: use echo cancellation or headphones, raise the VAD threshold or min_interruption_duration, or set turn_detection interrupt_response=False (and allow_interruptions=False where appropriate). If the cancelled reply had not played any audio yet, the user heard nothing at all: look at what made the input speech start.',
    detail: (d) => {
      const by = SPEECH_SEEN_BY[d.speech];
      const what =
        d.how === 'client-cancel'
          ? `The agent sent response.cancel ${ms(d.gapMs)} after the user started speaking (${by}).`
          : d.how === 'turn-detected'
            ? `The API cancelled the response itself (turn_detected: server VAD with interrupt_response on) ${ms(d.gapMs)} after the user started speaking (${by}).`
            : `An assistant reply was marked interrupted ${ms(d.gapMs)} after the user started speaking (${by}).`;
      const heard =
        d.heard === 'part'
          ? 'Part of the reply had already been produced: an ordinary barge-in.'
          : d.heard === 'nothing'
            ? 'No audio of it had been produced yet: the user heard nothing of this reply.'
            : '';
      return [`${what}${d.responseId ? ` Response ${d.responseId}.` : ''}`, heard].filter(Boolean).join('\n');
    },
  }),
  replyNeverSpoken: defineCode<ReplyNeverSpokenData>({
    code: 'agent/reply-never-spoken',
    severity: 'error',
    title: 'The user finished a turn and the agent never replied',
    cause:
      "A user turn was committed but no response was created, no audio was produced and the agent never reached the speaking state: generate_reply failed or timed out, the reply was skipped (current speech not interruptible), the model answered in text, or the agent's pipeline is stuck.",
    evidence:
      'input_audio_buffer.committed, agent.turn-committed or a user conversation item (conversation.item role user), then within 15 s no response.created, output audio, assistant item or agent speaking state.',
    fix: 'Read the findings next to this one for the cause (generate-reply timeout, cancellation, fatal error). With only room events, add --agent-log FILE (DEBUG level, LK_OPENAI_DEBUG=1) to see it.',
    detail: (d) =>
      d.via === 'cut-short'
        ? `A user turn was committed and nothing answered it in the ${sec(d.waitedMs)} the trace still covers (bound ${sec(d.boundMs)}); the trace may have been cut short.`
        : `A user turn was committed (${d.kinds.join(', ')}) and within ${sec(d.waitedMs)} no response was created, no audio produced and the agent never spoke.${d.closed ? ` The session closed ${sec(d.closed.afterMs)} later (${d.closed.kind}).` : ''}${d.onlyRoom ? ` The cause is in the agent's log: ${LOG_DEBUG_HINT}.` : ''}`,
  }),
  falseInterruption: defineCode<FalseInterruptionData>({
    code: 'agent/false-interruption',
    severity: 'warning',
    title: 'The agent paused for an interruption that was not one',
    cause:
      "Voice activity (noise, echo, a cough, a backchannel) paused the agent's speech, but no words followed, so AgentSession treated it as a false interruption: with resume_false_interruption it resumed after false_interruption_timeout, otherwise the reply was lost.",
    evidence: 'agent.false-interruption ("resumed false interrupted speech" in the log, or {resumed} from the session).',
    fix: 'Reduce echo and noise (echo cancellation, noise cancellation), raise min_interruption_duration / min_interruption_words, keep resume_false_interruption=True.',
    detail: (d) =>
      `${d.count} false interruption(s): the agent paused its speech on voice activity that was not an interruption${d.resumed ? `; ${d.resumed} resumed` : ''}${d.lost ? `; ${d.lost} not resumed (that reply was lost)` : ''}.`,
  }),
  fatalError: defineCode<FatalErrorData>({
    code: 'agent/fatal-error',
    severity: 'error',
    title: 'The agent session closed on an unrecoverable error',
    cause:
      'An error the session cannot retry (invalid API key, quota, a model or plugin failure marked unrecoverable) closed the AgentSession; the agent stops answering.',
    evidence: '"AgentSession is closing due to unrecoverable error" (agent.fatal), or agent.error with recoverable=false.',
    fix: 'Read the error it names; the openai/* findings next to this one explain Realtime API errors.',
    detail: (d) => `The session closed on an unrecoverable error${d.message ? `: ${d.message}` : ''}.`,
  }),
  reportWithoutEvents: defineCode<ReportWithoutEventsData>({
    code: 'agent/report-without-events',
    severity: 'warning',
    title: 'The session report holds no events: the verdict is unconfirmed',
    cause:
      "The session_report.json has an empty events list, so its states, errors and close are unknown: @livekit/agents records a session's events only when recording is on (AgentSession.emit pushes to _recordedEvents only if _enableRecording, 1.9.0), and nothing else was given to read. A healthy-looking result proves nothing.",
    evidence: 'agent.session-report with events 0, and no event from any other source (no agent log, room or lk.agent.session read with it).',
    fix: 'Pass the agent log of the same session with the report (`lkdiag trace log session_report.json agent.log`), or produce the report with recording on (console mode `--record`, LiveKit Cloud session recording).',
    detail: (d) =>
      `The session report${d.jobId ? ` of ${d.jobId}` : ''}${d.sdkVersion ? ` (written by ${d.sdkVersion})` : ''} holds no events, only ${d.messages} chat message(s): errors and the close are not in it, so "no error" is unconfirmed.`,
  }),
  latencySummary: defineCode<LatencySummaryData>({
    code: 'agent/latency-summary',
    severity: 'info',
    title: 'Reply latencies reported by the agent',
    cause:
      'AgentSession attaches metrics to conversation items: end-of-turn delay (user stopped → turn committed), LLM time to first token, and end-to-end latency (user stopped → agent audio).',
    evidence: 'conversation.item events carrying metrics (endOfTurnDelay, ttft / llmNodeTtft, e2eLatency, in seconds).',
    fix: 'Nothing to fix. Above ~1.5 s end to end, look at the largest part: end-of-turn delay (endpointing settings), time to first token (model, region).',
    detail: (d) => d.metrics.map((m) => `${m.label}: median ${ms(m.p50)}, max ${ms(m.max)} (${plural(m.n, 'turn')})`).join('\n'),
  }),
};
