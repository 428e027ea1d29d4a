import type { Finding } from '../../types.js';
import { defineRule, report } from '../kit.js';
import { TTS } from './codes.js';

/** Text-to-speech failures the framework logged. */
export const ttsFailures = defineRule({
  id: 'media.tts',
  codes: [TTS.synthesisFailed],
  check(t) {
    const failed = t.ofKind('log.tts.failed');
    if (failed.length === 0) return [];
    const retried = failed.every((e) => e.data.retrying);
    const reason = failed.find((e) => e.data.reason)?.data.reason;
    const tts = failed.find((e) => e.data.tts)?.data.tts;
    const data = { attempts: failed.length, retried, ...(tts ? { tts } : {}), ...(reason ? { reason } : {}) };
    // every failure was followed by a retry: a later attempt may have worked, so a warning
    const out: Finding[] = [report(TTS.synthesisFailed, data, failed.slice(0, 5), retried ? { severity: 'warning' } : {})];
    return out;
  },
});
