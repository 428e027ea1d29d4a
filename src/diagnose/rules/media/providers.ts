import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { GEMINI, STT } from './codes.js';

/** STT connection closes and Gemini Live close codes the agent log shows. */
export const providers = defineRule({
  id: 'media.providers',
  codes: [STT.connectionClosed, GEMINI.closed1007, GEMINI.closed1008, GEMINI.closed1011],
  check(t) {
    const out: Finding[] = [];
    const stt = t.ofKind('log.stt.connection-closed');
    if (stt.length > 0) out.push(report(STT.connectionClosed, { count: stt.length, exception: stt[0]!.data.exception }, stt.slice(0, 3)));
    for (const [code, meta] of [
      [1007, GEMINI.closed1007],
      [1008, GEMINI.closed1008],
      [1011, GEMINI.closed1011],
    ] as const) {
      const closed = t.ofKind('log.gemini.closed').filter((e) => e.data.code === code);
      if (closed.length > 0) out.push(report(meta, { reason: closed[0]!.data.reason, count: closed.length }, closed.slice(0, 3)));
    }
    return out;
  },
});
