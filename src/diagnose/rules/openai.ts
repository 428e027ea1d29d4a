import { finding } from '../engine.js';
import { errorOf, responseOf, statusDetails, type OpenAIEventData, type Timeline } from '../timeline.js';
import type { Finding, FindingMeta, Rule, RuleContext, TraceEvent } from '../types.js';
import { OPENAI } from './openai-codes.js';

type OE = TraceEvent<OpenAIEventData>;

/** livekit-agents ≥ 1.5 and agents-js ≥ 1.4.11 fail generate_reply after this long. */
export const GENERATE_REPLY_TIMEOUT_MS = 10_000;
/** livekit-agents ≤ 1.4.x used 5 s. */
export const OLD_GENERATE_REPLY_TIMEOUT_MS = 5_000;

/** A new session.created this soon after a logged connection error is the agent's reconnect. */
const RECONNECT_WINDOW_MS = 30_000;

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Error codes of the Realtime API → the finding that explains them. */
const ERROR_CODES: Record<string, FindingMeta> = {
  invalid_api_key: OPENAI.invalidApiKey,
  beta_api_shape_disabled: OPENAI.betaShapeDisabled,
  invalid_model: OPENAI.invalidModel,
  missing_model: OPENAI.invalidModel,
  model_not_found: OPENAI.modelNotFound,
  insufficient_quota: OPENAI.quotaExceeded,
  rate_limit_exceeded: OPENAI.rateLimited,
  inference_rate_limit_exceeded: OPENAI.rateLimited,
  session_expired: OPENAI.sessionExpired,
  conversation_already_has_active_response: OPENAI.activeResponseConflict,
  unsupported_content_type: OPENAI.truncateRejected,
};

/** What each --check expects to see, and what proving it means for a LiveKit agent. */
const CHECKS: Record<string, { meta: FindingMeta; proven: string }> = {
  'double-response': {
    meta: OPENAI.activeResponseConflict,
    proven:
      'Proven: a second response.create while one is active is rejected at once with conversation_already_has_active_response. In a LiveKit agent this is the server-VAD auto-response racing generate_reply; livekit-agents ≤ 1.5.7 and 1.6.0–1.6.11 report it only as "generate_reply timed out" after 10 s.',
  },
  'truncate-zero': {
    meta: OPENAI.truncateRejected,
    proven:
      'Proven: truncating an assistant item at audio_end_ms=0 before its first audio delta is rejected ("Only model output audio messages can be truncated"). A LiveKit agent does exactly this on a barge-in before playback starts unless it runs livekit-agents ≥ 1.6.5 / agents-js plugin ≥ 1.6.3.',
  },
  'barge-in': {
    meta: OPENAI.responseCancelled,
    proven:
      'Proven: user speech during a response makes server VAD (interrupt_response=true) cancel it with reason turn_detected. A LiveKit agent hears nothing back when echo or noise does this; interrupt_response=False or echo cancellation prevents it.',
  },
};

function truncateError(e: OE): boolean {
  const err = errorOf(e);
  const msg = err?.message ?? '';
  return err?.code === 'unsupported_content_type' || msg.includes('can be truncated') || /already shorter than/.test(msg);
}

function metaForError(e: OE): FindingMeta | undefined {
  const err = errorOf(e);
  if (!err) return undefined;
  if (truncateError(e)) return OPENAI.truncateRejected;
  if (err.param === 'session.temperature' && /decimal_(below_min|above_max)_value/.test(err.code ?? '')) return OPENAI.temperatureOutOfRange;
  return err.code ? ERROR_CODES[err.code] : undefined;
}

/** The client event an error answers (error.event_id is the client's event id). */
function answeredEvent(t: Timeline, e: OE): OE | undefined {
  const id = errorOf(e)?.event_id;
  if (!id) return undefined;
  return t.openai(undefined, 'client').find((c) => c.data.event.event_id === id && c.t <= e.t);
}

const itemIdOf = (e: OE): string | undefined => {
  const item = e.data.event['item'] as Record<string, unknown> | undefined;
  return typeof item?.['id'] === 'string' ? item['id'] : undefined;
};

/** Why a truncate was rejected, as far as the events tell, and what to change. */
function explainTruncate(t: Timeline, e: OE, answered: OE | undefined): { detail: string; evidence: OE[]; fix?: string } {
  // livekit-agents sends its truncate without an event_id: take the last one shortly before the error.
  const truncate =
    answered?.kind === 'openai.conversation.item.truncate'
      ? answered
      : t.openai('conversation.item.truncate', 'client').filter((c) => c.t <= e.t && e.t - c.t <= 5_000).at(-1);
  if (!truncate) return { detail: '', evidence: [] };
  const id = String(truncate.data.event['item_id'] ?? '');
  const end = Number(truncate.data.event['audio_end_ms']);
  if (/already shorter than/.test(errorOf(e)?.message ?? '')) {
    return {
      detail: `\nThe agent truncated ${id} at ${end} ms, past the audio the model generated for it.`,
      evidence: [truncate],
      fix: 'The reported playback position is wrong (an avatar or custom audio output reporting more than was played): clamp audio_end_ms to the generated audio, and report it with the agent versions.',
    };
  }
  if (end === 0) {
    return { detail: `\nThe agent truncated ${id} at audio_end_ms=0: the user barged in after the reply declared audio but before its first frame played.`, evidence: [truncate] };
  }
  // A reconnect in between: the item came back as a text item replayed by the agent.
  const sessions = t.openai('session.created', 'server').filter((c) => c.t <= truncate.t);
  const session = sessions.at(-1);
  const generated = t.openai('response.output_item.added', 'server').find((c) => itemIdOf(c) === id);
  const replayed = session
    ? [...t.openai('conversation.item.create', 'client'), ...t.openai('conversation.item.added', 'server')].find((c) => itemIdOf(c) === id && c.t >= session.t && c.t <= truncate.t)
    : undefined;
  const reconnected = session !== undefined && (sessions.length >= 2 || (generated !== undefined && generated.t < session.t));
  if (session && replayed && reconnected && (!generated || generated.t < session.t)) {
    const at = new Date(session.t).toISOString().slice(11, 23);
    return {
      detail:
        `\nThe agent truncated ${id} at ${end} ms while it was still playing it, but the connection that generated that audio had closed; ` +
        `the agent reconnected (session.created ${at}) and replayed the conversation, so ${id} came back as a text item (${replayed.data.event.type} ${Math.round(truncate.t - replayed.t)} ms before the truncate). ` +
        'Only audio the model generated in the current connection can be truncated. The session goes on, but the model keeps the full text of a reply the user heard only in part.',
      evidence: [...(generated ? [generated] : []), session, replayed, truncate],
      fix:
        'Nothing in the agent code causes this: livekit-agents (Python, still in 1.8.9) truncates items replayed after a reconnect, while @livekit/agents-plugin-openai ≥ 1.0.36 (Node) skips them. Avoid reconnects during speech: fix what closed the session (see openai/connection-closed; for the 60-minute limit, end or restart sessions between turns).',
    };
  }
  const created = t.openai('conversation.item.create', 'client').find((c) => itemIdOf(c) === id && c.t <= truncate.t);
  if (created && !generated) {
    return {
      detail: `\nThe agent truncated ${id} at ${end} ms, but it created that item itself (conversation.item.create) as a text item; the model never generated audio for it.`,
      evidence: [created, truncate],
      fix: 'Truncate only assistant items the model generated with audio in this connection (agents-js keeps that set, audioCapableItemIds; livekit-agents does not), or send the shortened text instead.',
    };
  }
  return { detail: `\nThe agent truncated ${id} at ${end} ms.`, evidence: [truncate] };
}

/** The response a dropped connection cut off: created before the drop, never done before the reconnect. */
function lostReply(t: Timeline, dropAt: number, reconnectAt: number): { detail: string; evidence: TraceEvent[] } | undefined {
  const created = t.openai('response.created', 'server').filter((c) => c.t <= dropAt).at(-1);
  const id = created ? responseOf(created)?.id : undefined;
  if (!created || !id || t.openai('response.done', 'server').some((d) => d.t >= created.t && d.t <= reconnectAt && responseOf(d)?.id === id)) return undefined;
  const of = (type: string) => t.openai(type, 'server').filter((d) => d.t >= created.t && d.t <= dropAt && d.data.event['response_id'] === id);
  const deltas = of('response.output_audio.delta').length;
  const words = of('response.output_audio_transcript.delta').map((d) => String(d.data.event['delta'] ?? '')).join('');
  const got = deltas || words ? ` after ${deltas ? `${deltas} audio delta(s)` : ''}${deltas && words ? ' and ' : ''}${words ? `the words "${words.trim()}"` : ''}` : ' before any of its audio';
  return { detail: `\nThe reply in progress was lost: ${id} (created ${Math.round(dropAt - created.t)} ms before the drop) was cut off${got}, and no response.done ever came for it.`, evidence: [created] };
}

/** Connection-level facts: connect errors, upgrade statuses, closes, timeouts. */
const connection: Rule = {
  id: 'openai.connection',
  codes: [OPENAI.connectFailed, OPENAI.upgradeRejected, OPENAI.invalidApiKey, OPENAI.rateLimited, OPENAI.sessionExpired, OPENAI.connectionClosed, OPENAI.stepTimeout, OPENAI.modelNotFound],
  check(t) {
    const out: Finding[] = [];
    for (const e of t.ofKind('probe.connect.error')) {
      out.push(finding(OPENAI.connectFailed, `${String(e.data['code'])}: ${String(e.data['message'])}`, [e]));
    }
    for (const e of t.ofKind('probe.upgrade.response')) {
      const status = Number(e.data['status']);
      if (status === 101) continue;
      const body = String(e.data['body'] ?? '').slice(0, 300);
      if (status === 401) {
        out.push(finding(OPENAI.invalidApiKey, `The upgrade was refused with HTTP 401 (unauthorized).${body ? ` Body: ${body}` : ''}`, [e]));
        continue;
      }
      out.push(finding(OPENAI.upgradeRejected, `HTTP ${status}${e.data['statusMessage'] ? ` ${String(e.data['statusMessage'])}` : ''} on the WebSocket upgrade.${body ? ` Body: ${body}` : ''}`, [e]));
      if (status === 429) out.push(finding(OPENAI.rateLimited, 'The upgrade answered HTTP 429: too many connections or requests.', [e]));
    }
    const explainedByError = t.openaiErrors().some((e) => metaForError(e) !== undefined);
    for (const e of t.ofKind('probe.close')) {
      if (e.data['by'] !== 'server' || String(e.data['reason'] ?? '').startsWith('HTTP ')) continue;
      const code = Number(e.data['code']);
      if (code === 1001) out.push(finding(OPENAI.sessionExpired, `The server closed the session with 1001: ${String(e.data['reason'] ?? '')}`, [e]));
      else if (!explainedByError) out.push(finding(OPENAI.connectionClosed, `Closed by the server with ${code}${e.data['reason'] ? ` (${String(e.data['reason'])})` : ''}.`, [e]));
    }
    // From an agent log: the socket closed under a running session and the agent reconnected.
    let lastIncident = -Infinity;
    for (const e of t.ofKind('log.openai.connection-error')) {
      if (e.t - lastIncident < RECONNECT_WINDOW_MS) continue;
      const again = t.openai('session.created', 'server').find((c) => c.t > e.t && c.t - e.t <= RECONNECT_WINDOW_MS);
      if (!again) continue; // no new session: the fatal-error finding tells the rest
      lastIncident = e.t;
      const logged = t.ofKind('log.openai.connection-error').filter((c) => c.t >= e.t && c.t <= again.t);
      const first = String(logged.map((c) => c.data['message']).find((m) => /closed unexpectedly/.test(String(m))) ?? e.data['message'] ?? '');
      const line = /(?:[A-Za-z]+ )?Realtime API connection (?:closed unexpectedly|failed[^\n(]*)/.exec(first)?.[0]?.trim() ?? first.split('\n')[0];
      out.push(
        finding(
          OPENAI.connectionClosed,
          `The agent logged "${line}" and reconnected ${Math.round(again.t - e.t)} ms later (new session.created). On a reconnect LiveKit replays the conversation as text items and discards a reply in progress; audio it already received keeps playing.${lostReply(t, e.t, again.t)?.detail ?? ''}`,
          [...logged, ...(lostReply(t, e.t, again.t)?.evidence ?? []), again],
          {
            severity: 'warning',
            fix: 'Find what closed the socket — the agent log does not show the close code: a proxy or gateway idle timeout, the network, or the server\'s session limit (60 min; livekit-agents recycles its session earlier, max_session_duration, 20 min by default). `lkdiag probe-openai` from the agent host shows close codes.',
          },
        ),
      );
    }
    for (const e of t.ofKind('probe.timeout')) {
      out.push(finding(OPENAI.stepTimeout, `${String(e.data['step'])} did not happen within ${sec(Number(e.data['boundMs']))}.`, [e]));
    }
    for (const e of t.ofKind('probe.models.check')) {
      if (e.data['found'] === false) out.push(finding(OPENAI.modelNotFound, `The REST model list has no ${String(e.data['model'])} for this key (HTTP ${String(e.data['status'])}).`, [e]));
    }
    return out;
  },
};

/** Every `error` event the API sent, explained. */
const errors: Rule = {
  id: 'openai.errors',
  codes: [OPENAI.invalidApiKey, OPENAI.betaShapeDisabled, OPENAI.invalidModel, OPENAI.quotaExceeded, OPENAI.rateLimited, OPENAI.sessionExpired, OPENAI.activeResponseConflict, OPENAI.truncateRejected, OPENAI.temperatureOutOfRange, OPENAI.sessionUpdateRejected],
  check(t) {
    const out: Finding[] = [];
    for (const e of t.openaiErrors() as OE[]) {
      const err = errorOf(e)!;
      const answered = answeredEvent(t, e);
      const evidence: TraceEvent[] = answered ? [answered, e] : [e];
      const closeAfter = t.ofKind('probe.close').find((c) => c.t >= e.t);
      const closeNote = closeAfter && closeAfter.data['by'] === 'server' ? ` The server then closed the socket with ${String(closeAfter.data['code'])}.` : '';
      if (closeAfter && closeNote) evidence.push(closeAfter);
      const what = `${err.code ?? err.type ?? 'error'}: ${err.message ?? ''}`.trim();
      const meta = metaForError(e);
      if (meta === OPENAI.activeResponseConflict) {
        out.push(finding(meta, `${what}\nThe rejected response.create was ${err.event_id ?? '(no event id)'}. An agent on livekit-agents ≤ 1.5.7 or 1.6.0–1.6.11 would log only "generate_reply timed out" 10 s later.`, evidence));
      } else if (meta === OPENAI.truncateRejected) {
        const why = explainTruncate(t, e, answered);
        const all = [...new Set([...why.evidence, ...evidence])];
        out.push(finding(meta, `${what}${why.detail}${closeNote}`, all, why.fix ? { fix: why.fix } : {}));
      } else if (meta) {
        out.push(finding(meta, `${what}${closeNote}`, evidence));
      }
      if (answered?.kind === 'openai.session.update' && meta !== OPENAI.betaShapeDisabled && meta !== OPENAI.invalidModel) {
        out.push(finding(OPENAI.sessionUpdateRejected, `${what}\nThe update ${String(answered.data.event.event_id)} was ignored as a whole: instructions, voice, turn detection and tools in it did not apply.`, evidence));
      }
    }
    // A beta session.update carrying an out-of-range temperature, whatever the API answered.
    for (const e of t.openai('session.update', 'client')) {
      const temp = (e.data.event['session'] as Record<string, unknown> | undefined)?.['temperature'];
      const beta = (e.data.event['session'] as Record<string, unknown> | undefined)?.['type'] === undefined;
      if (beta && typeof temp === 'number' && (temp < 0.6 || temp > 1.2)) {
        out.push(finding(OPENAI.temperatureOutOfRange, `session.update sets temperature ${temp}; the beta interface accepts 0.6–1.2.`, [e]));
      }
    }
    return out;
  },
};

/** Pairs each client response.create with the response.created it got (by the metadata echo, else the next one). */
function pairResponses(t: Timeline): Array<{ create: OE; id?: string; created?: OE; echoed: boolean; rejected?: OE }> {
  const creates = t.openai('response.create', 'client');
  const createds = t.openai('response.created', 'server');
  const errs = t.openaiErrors();
  return creates.map((create, i) => {
    const id = (create.data.event['response'] as Record<string, unknown> | undefined)?.['metadata'] as Record<string, unknown> | undefined;
    const cid = typeof id?.['client_event_id'] === 'string' ? (id['client_event_id'] as string) : undefined;
    const rejected = errs.find((e) => errorOf(e)?.event_id === create.data.event.event_id);
    const echoedMatch = cid ? createds.find((c) => responseOf(c)?.metadata?.['client_event_id'] === cid) : undefined;
    if (echoedMatch) return { create, id: cid, created: echoedMatch, echoed: true, ...(rejected ? { rejected } : {}) };
    const nextCreate = creates[i + 1]?.t ?? Infinity;
    const cancel = t.openai('response.cancel', 'client').find((c) => c.t > create.t)?.t ?? Infinity;
    const next = rejected ? undefined : createds.find((c) => c.t >= create.t && c.t < Math.min(nextCreate, cancel));
    return { create, ...(cid ? { id: cid } : {}), ...(next ? { created: next } : {}), echoed: false, ...(rejected ? { rejected } : {}) };
  });
}

/** Latency of response.created, and whether LiveKit could correlate it. */
const responseTiming: Rule = {
  id: 'openai.response-timing',
  codes: [OPENAI.generateReplyTimeoutRisk, OPENAI.metadataNotEchoed],
  check(t) {
    const out: Finding[] = [];
    for (const p of pairResponses(t)) {
      if (p.rejected) continue;
      if (p.created) {
        const ms = p.created.t - p.create.t;
        if (ms > GENERATE_REPLY_TIMEOUT_MS) {
          out.push(finding(OPENAI.generateReplyTimeoutRisk, `response.created took ${sec(ms)}: a LiveKit agent's generate_reply would time out — 10 s since livekit-agents 1.5, 5 s before.`, [p.create, p.created]));
        } else if (ms > OLD_GENERATE_REPLY_TIMEOUT_MS) {
          out.push(finding(OPENAI.generateReplyTimeoutRisk, `response.created took ${sec(ms)}: within today's 10 s, but livekit-agents ≤ 1.4.x (5 s) would time out, and there is little headroom.`, [p.create, p.created], { severity: 'warning' }));
        }
        if (p.id && !p.echoed) {
          const got = JSON.stringify(responseOf(p.created)?.metadata ?? null);
          out.push(finding(OPENAI.metadataNotEchoed, `response.create sent metadata.client_event_id=${p.id}; response.created came back with metadata ${got}. LiveKit cannot match it, so generate_reply times out after 10 s while the reply still plays.`, [p.create, p.created]));
        }
      } else {
        const timeout = t.ofKind('probe.timeout').find((e) => e.data['step'] === 'response.created' && e.t >= p.create.t);
        if (timeout && Number(timeout.data['boundMs']) >= GENERATE_REPLY_TIMEOUT_MS) {
          out.push(finding(OPENAI.generateReplyTimeoutRisk, `No response.created within ${sec(Number(timeout.data['boundMs']))}: a LiveKit agent's generate_reply would time out — 10 s since livekit-agents 1.5, 5 s before.`, [p.create, timeout]));
        }
      }
    }
    return out;
  },
};

/** Whether audio output was requested at time t: the last session event that set the modalities. */
function audioWanted(t: Timeline): (at: number) => boolean {
  const changes = [...t.openai('session.update', 'client'), ...t.openai('session.updated', 'server'), ...t.openai('session.created', 'server')]
    .map((e) => {
      const s = e.data.event['session'] as Record<string, unknown> | undefined;
      const mods = (s?.['output_modalities'] ?? s?.['modalities']) as unknown;
      return Array.isArray(mods) ? { t: e.t, audio: mods.includes('audio') } : undefined;
    })
    .filter((c): c is { t: number; audio: boolean } => !!c)
    .sort((a, b) => a.t - b.t);
  return (at) => {
    let audio = true;
    for (const c of changes) {
      if (c.t > at) break;
      audio = c.audio;
    }
    return audio;
  };
}

/** How each response ended. */
const responseOutcome: Rule = {
  id: 'openai.response-outcome',
  codes: [OPENAI.responseCancelled, OPENAI.responseIncomplete, OPENAI.responseFailed, OPENAI.modelNotFound, OPENAI.quotaExceeded, OPENAI.rateLimited, OPENAI.noAudioOutput],
  check(t, ctx) {
    const out: Finding[] = [];
    const wantsAudio = audioWanted(t);
    const audioResponses = new Set(t.openai('response.output_audio.delta', 'server').map((a) => a.data.event['response_id']));
    const createdById = new Map(t.openai('response.created', 'server').map((c) => [responseOf(c)?.id, c] as const));
    for (const done of t.openai('response.done', 'server')) {
      const r = responseOf(done);
      const d = statusDetails(r);
      const created = createdById.get(r?.id);
      const evidence = created ? [created, done] : [done];
      switch (r?.status) {
        case 'cancelled': {
          const reason = d.reason ?? 'unknown';
          const cancel = t.openai('response.cancel', 'client').filter((c) => c.t <= done.t).at(-1);
          const speech = t.openai('input_audio_buffer.speech_started', 'server').filter((c) => c.t <= done.t).at(-1);
          const why =
            reason === 'turn_detected'
              ? `server VAD heard speech${speech ? ` (speech_started ${Math.round(done.t - speech.t)} ms before)` : ''} while interrupt_response was on`
              : reason === 'client_cancelled'
                ? `the client sent response.cancel${cancel ? ` ${Math.round(done.t - cancel.t)} ms before` : ''}`
                : `reason ${reason}`;
          if (speech && reason === 'turn_detected') evidence.unshift(speech);
          if (cancel && reason === 'client_cancelled') evidence.unshift(cancel);
          out.push(finding(OPENAI.responseCancelled, `Response ${r.id ?? ''} was cancelled (${reason}): ${why}.`, evidence, ctx.command === 'probe-openai' ? {} : { severity: 'warning' }));
          break;
        }
        case 'incomplete':
          out.push(finding(OPENAI.responseIncomplete, `Response ${r.id ?? ''} ended incomplete (${d.reason ?? 'unknown reason'}).`, evidence));
          break;
        case 'failed': {
          const code = d.error?.code ?? d.error?.type ?? 'unknown';
          const meta = ERROR_CODES[code] ?? OPENAI.responseFailed;
          out.push(finding(meta, `Response ${r.id ?? ''} failed: ${code}${d.error?.message ? ` — ${d.error.message}` : ''}`, evidence));
          break;
        }
        case 'completed': {
          if (!wantsAudio(done.t)) break;
          const audio = audioResponses.has(r.id);
          const parts = (r.output ?? []).flatMap((o) => o.content ?? []).map((c) => c.type);
          if (!audio) out.push(finding(OPENAI.noAudioOutput, `Response ${r.id ?? ''} completed without a single audio delta${parts.length ? ` (content: ${parts.join(', ')})` : ''}.`, evidence));
          break;
        }
      }
    }
    return out;
  },
};

/** A --check run: the expected failure is proof (info); its absence is a warning. */
export function applyCheck(findings: Finding[], ctx: RuleContext, events: readonly TraceEvent[]): Finding[] {
  const spec = ctx.check ? CHECKS[ctx.check] : undefined;
  if (!spec) return findings;
  const expected = findings.filter((f) => f.code === spec.meta.code && (ctx.check !== 'barge-in' || f.detail.includes('turn_detected')));
  const rest = findings.filter((f) => !expected.includes(f));
  if (expected.length === 0) {
    return [
      ...rest,
      finding(OPENAI.checkNotReproduced, `--check ${ctx.check} expected ${spec.meta.code}, but the API did not show it.`, events.filter((e) => e.kind.startsWith('openai.') && e.data['direction'] === 'server').slice(-5)),
    ];
  }
  const first = expected[0]!;
  return [{ ...first, severity: 'info', title: `Reproduced: ${first.title}`, detail: `${spec.proven}\n${first.detail}` }, ...rest];
}

export const OPENAI_RULES: readonly Rule[] = [connection, errors, responseTiming, responseOutcome];
