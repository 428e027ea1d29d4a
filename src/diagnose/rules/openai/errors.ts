import { errorOf, responseOf, statusDetails, type Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { OPENAI, type ApiErrorData, type TruncateWhy } from './codes.js';
import { API_ERROR_FINDINGS, type ApiCode, answeredEvent, apiCodeFor, apiCodeOfError, apiErrorCodeInText, itemIdOf, reportApi, type OE } from './shared.js';

/** What the API says it got ("… but got null instead."), or null. */
function gotOf(message: string | undefined): string {
  return /but got (.+?) instead/.exec(message ?? '')?.[1] ?? 'null';
}

/** Why a truncate was rejected, as far as the events tell. */
function explainTruncate(t: Timeline, e: OE, answered: OE | undefined): { why?: TruncateWhy; evidence: OE[] } {
  // livekit-agents sends its truncate without an event_id: take the last one shortly before the error.
  const truncate =
    answered?.kind === 'openai.conversation.item.truncate'
      ? answered
      : t
          .openai('conversation.item.truncate', 'client')
          .filter((c) => c.t <= e.t && e.t - c.t <= 5_000)
          .at(-1);
  const err = errorOf(e);
  const nullEnd = err?.param === 'audio_end_ms' && err.code === 'invalid_type';
  if (!truncate) return nullEnd ? { why: { kind: 'null-end', itemId: '', got: gotOf(err.message) }, evidence: [] } : { evidence: [] };
  const itemId = String(truncate.data.event['item_id'] ?? '');
  const rawEnd: unknown = truncate.data.event['audio_end_ms'];
  if (nullEnd || rawEnd === null || rawEnd === undefined || (typeof rawEnd === 'number' && !Number.isFinite(rawEnd)))
    return {
      why: { kind: 'null-end', itemId, got: rawEnd === undefined ? 'absent' : rawEnd === null ? gotOf(err?.message) : String(rawEnd) },
      evidence: [truncate],
    };
  const endMs = Number(rawEnd);
  if (/already shorter than/.test(errorOf(e)?.message ?? '')) return { why: { kind: 'past-end', itemId, endMs }, evidence: [truncate] };
  if (endMs === 0) return { why: { kind: 'zero', itemId }, evidence: [truncate] };
  // A reconnect in between: the item came back as a text item replayed by the agent.
  const sessions = t.openai('session.created', 'server').filter((c) => c.t <= truncate.t);
  const session = sessions.at(-1);
  const generated = t.openai('response.output_item.added', 'server').find((c) => itemIdOf(c) === itemId);
  const replayed = session
    ? [...t.openai('conversation.item.create', 'client'), ...t.openai('conversation.item.added', 'server')].find(
        (c) => itemIdOf(c) === itemId && c.t >= session.t && c.t <= truncate.t,
      )
    : undefined;
  const reconnected = session !== undefined && (sessions.length >= 2 || (generated !== undefined && generated.t < session.t));
  if (session && replayed && reconnected && (!generated || generated.t < session.t)) {
    const sessionAt = new Date(session.t).toISOString().slice(11, 23);
    return {
      why: { kind: 'replayed', itemId, endMs, sessionAt, replayedType: replayed.data.event.type, replayedBeforeMs: truncate.t - replayed.t },
      evidence: [...(generated ? [generated] : []), session, replayed, truncate],
    };
  }
  const created = t.openai('conversation.item.create', 'client').find((c) => itemIdOf(c) === itemId && c.t <= truncate.t);
  if (created && !generated) return { why: { kind: 'self-created', itemId, endMs }, evidence: [created, truncate] };
  return { why: { kind: 'plain', itemId, endMs }, evidence: [truncate] };
}

/**
 * An error answering a chat-context item: the conversation.item.create it names, livekit-agents' event id for
 * one (`chat_ctx_create_…`, the plugin's update_chat_ctx), or a param inside the item.
 */
function isChatItemError(err: NonNullable<ReturnType<typeof errorOf>>, answered: OE | undefined): boolean {
  if (answered) return answered.kind === 'openai.conversation.item.create';
  return (typeof err.event_id === 'string' && err.event_id.startsWith('chat_ctx_create_')) || (typeof err.param === 'string' && err.param.startsWith('item.'));
}

/**
 * The API error an unrecoverable error's record names ("AgentSession is closing due to unrecoverable error: … error
 * type: insufficient_quota"), one finding per code, unless an `error` event or a failed response.done in the log
 * already names that code (a debug log: those rules report it).
 */
function fatalApiErrors(t: Timeline): Finding[] {
  const named = new Set<ApiCode | undefined>([
    ...t.openaiErrors().map(apiCodeOfError),
    ...t.openai('response.done', 'server').map((d) => {
      const r = responseOf(d);
      const err = r?.status === 'failed' ? statusDetails(r).error : undefined;
      return apiCodeFor(err?.code ?? err?.type ?? '');
    }),
  ]);
  const out: Finding[] = [];
  const fatal = t.events.filter((e) => e.kind === 'agent.fatal' || (e.kind === 'agent.error' && e.data.recoverable === false));
  for (const e of fatal) {
    const text = e.kind === 'agent.fatal' ? (e.data.error ?? e.data.message) : e.kind === 'agent.error' ? e.data.message : '';
    const found = apiErrorCodeInText(text);
    if (!found || named.has(found.code)) continue;
    named.add(found.code);
    out.push(reportApi(found.code, { via: 'error', error: { code: found.errorCode, message: text } }, [e]));
  }
  return out;
}

/** Every `error` event the API sent, explained. */
export const errors = defineRule({
  id: 'openai.errors',
  codes: [...API_ERROR_FINDINGS, OPENAI.temperatureOutOfRange, OPENAI.sessionUpdateRejected, OPENAI.chatItemRejected],
  check(t) {
    const out: Finding[] = [];
    const items: OE[] = [];
    for (const e of t.openaiErrors()) {
      const err = errorOf(e);
      if (!err) continue;
      const answered = answeredEvent(t, e);
      const evidence: TraceEvent[] = answered ? [answered, e] : [e];
      const closeAfter = t.ofKind('probe.close').find((c) => c.t >= e.t);
      const closedBy = closeAfter && closeAfter.data['by'] === 'server' ? closeAfter : undefined;
      if (closedBy) evidence.push(closedBy);
      const error = { code: err.code, type: err.type, message: err.message };
      const data: ApiErrorData = { via: 'error', error, ...(closedBy ? { closedWith: String(closedBy.data['code']) } : {}) };
      const code = apiCodeOfError(e);
      if (code === 'activeResponseConflict') {
        // The rejected request is named in the detail; the close (if any) is not.
        const { closedWith: _, ...rest } = data;
        out.push(
          report(
            OPENAI.activeResponseConflict,
            { ...rest, ...(err.event_id !== undefined && err.event_id !== null ? { rejectedId: err.event_id } : {}) },
            evidence,
          ),
        );
      } else if (code === 'truncateRejected') {
        const { why, evidence: because } = explainTruncate(t, e, answered);
        out.push(report(OPENAI.truncateRejected, { ...data, ...(why ? { truncate: why } : {}) }, [...new Set([...because, ...evidence])]));
      } else if (code) {
        out.push(reportApi(code, data, evidence));
      } else if (isChatItemError(err, answered)) {
        items.push(e);
        if (answered) items.push(answered);
        continue;
      }
      if (code === 'betaShapeDisabled' || code === 'invalidModel') continue;
      if (answered?.kind === 'openai.session.update') {
        out.push(report(OPENAI.sessionUpdateRejected, { error, updateId: String(answered.data.event.event_id) }, evidence));
      } else if (
        !answered &&
        typeof err.param === 'string' &&
        err.param.startsWith('session.') &&
        /^(unknown_parameter|missing_required_parameter|invalid_value|invalid_type)$/.test(err.code ?? '')
      ) {
        // No session.update in the log (an INFO-level log): the parameter it names is a session field, which only session.update sets.
        const id = err.event_id;
        out.push(
          report(OPENAI.sessionUpdateRejected, { error, updateId: typeof id === 'string' && id !== '' ? id : '(no event id)', param: err.param }, evidence),
        );
      }
    }
    const itemErrors = items.filter((e) => e.kind === 'openai.error');
    if (itemErrors.length > 0) {
      const err = errorOf(itemErrors[0]!)!;
      const id = err.event_id;
      out.push(
        report(
          OPENAI.chatItemRejected,
          {
            error: { code: err.code, type: err.type, message: err.message },
            ...(typeof id === 'string' && id !== '' ? { eventId: id } : {}),
            ...(typeof err.param === 'string' ? { param: err.param } : {}),
            count: itemErrors.length,
          },
          items.slice(0, 4),
        ),
      );
    }
    // A beta session.update carrying an out-of-range temperature, whatever the API answered.
    for (const e of t.openai('session.update', 'client')) {
      const session = e.data.event['session'];
      const s = session && typeof session === 'object' ? session : undefined;
      const temp = s && 'temperature' in s ? s.temperature : undefined;
      const beta = !s || !('type' in s) || s.type === undefined;
      if (beta && typeof temp === 'number' && (temp < 0.6 || temp > 1.2)) {
        out.push(report(OPENAI.temperatureOutOfRange, { via: 'update', temperature: temp }, [e]));
      }
    }
    out.push(...fatalApiErrors(t));
    return out;
  },
});
