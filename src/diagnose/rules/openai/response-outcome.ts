import { responseOf, statusDetails, type Timeline } from '../../timeline.js';
import type { Finding, TraceEvent } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { OPENAI } from './codes.js';
import { API_ERROR_FINDINGS, apiCodeFor, reportApi } from './shared.js';

/** Whether audio output was requested at time t: the last session event that set the modalities. */
function audioWanted(t: Timeline): (at: number) => boolean {
  const changes = [...t.openai('session.update', 'client'), ...t.openai('session.updated', 'server'), ...t.openai('session.created', 'server')]
    .map((e) => {
      const s = e.data.event['session'];
      const session = s && typeof s === 'object' ? s : undefined;
      const mods =
        session && 'output_modalities' in session && session.output_modalities != null
          ? session.output_modalities
          : session && 'modalities' in session
            ? session.modalities
            : undefined;
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
export const responseOutcome = defineRule({
  id: 'openai.response-outcome',
  codes: [
    OPENAI.responseCancelled,
    OPENAI.responseIncomplete,
    OPENAI.responseFailed,
    OPENAI.noAudioOutput,
    // a failed response whose error code another finding explains
    ...API_ERROR_FINDINGS,
  ],
  check(t, ctx) {
    const out: Finding[] = [];
    const wantsAudio = audioWanted(t);
    const audioResponses = new Set(t.openai('response.output_audio.delta', 'server').map((a) => a.data.event['response_id']));
    const createdById = new Map(t.openai('response.created', 'server').map((c) => [responseOf(c)?.id, c] as const));
    for (const done of t.openai('response.done', 'server')) {
      const r = responseOf(done);
      const d = statusDetails(r);
      const created = createdById.get(r?.id);
      const evidence: TraceEvent[] = created ? [created, done] : [done];
      const responseId = r?.id ?? '';
      switch (r?.status) {
        case 'cancelled': {
          const reason = d.reason ?? 'unknown';
          const cancel = t
            .openai('response.cancel', 'client')
            .filter((c) => c.t <= done.t)
            .at(-1);
          const speech = t
            .openai('input_audio_buffer.speech_started', 'server')
            .filter((c) => c.t <= done.t)
            .at(-1);
          if (speech && reason === 'turn_detected') evidence.unshift(speech);
          if (cancel && reason === 'client_cancelled') evidence.unshift(cancel);
          const data = {
            responseId,
            reason,
            ...(speech ? { speechBeforeMs: done.t - speech.t } : {}),
            ...(cancel ? { cancelBeforeMs: done.t - cancel.t } : {}),
          };
          out.push(report(OPENAI.responseCancelled, data, evidence, ctx.command === 'probe-openai' ? {} : { severity: 'warning' }));
          break;
        }
        case 'incomplete':
          out.push(report(OPENAI.responseIncomplete, { responseId, reason: d.reason }, evidence));
          break;
        case 'failed': {
          const errorCode = d.error?.code ?? d.error?.type ?? 'unknown';
          const data = { via: 'response' as const, responseId, errorCode, message: d.error?.message };
          const code = apiCodeFor(errorCode);
          out.push(code ? reportApi(code, data, evidence) : report(OPENAI.responseFailed, data, evidence));
          break;
        }
        case 'completed': {
          if (!wantsAudio(done.t)) break;
          const parts = (r.output ?? []).flatMap((o) => o.content ?? []).map((c) => c.type);
          if (!audioResponses.has(r.id)) out.push(report(OPENAI.noAudioOutput, { responseId, parts }, evidence));
          break;
        }
      }
    }
    return out;
  },
});
