// GPT-Live wordings of livekit-agents 1.8.9 in `trace log` (src/sources/logs/tables/live.ts) and the live rules on them.
// The lines are the real plugin's, captured from GPTLiveModel runs against the simulator (test/e2e/py/sim_gpt_live.py
// --json-log, livekit-agents' production JsonFormatter): a forbidden voice, session.closed expired then close_requested,
// a refused upgrade retried three times (pid dropped, paths and exc_info shortened).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/engine.js';
import { LIVE_RULES } from '../../src/diagnose/rules/live/index.js';
import type { TraceEvent } from '../../src/diagnose/types.js';
import { fieldsOf } from '../../src/events/index.js';
import { parseLogStream } from '../../src/sources/logs/index.js';

const CAPTURED = [
  '{"message": "gpt-live returned an error", "level": "ERROR", "name": "livekit.agents", "lk.pii.error": {"type": "invalid_request_error", "code": "forbidden", "message": "The voice \'marin\' is not available for this session.", "param": "session.audio.output.voice", "client_event_id": "session_start_b35fc4b60df8"}, "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_handle_error", "code.line.number": 1020, "timestamp": "2026-12-01T20:21:49.681258+00:00"}',
  '{"message": "gpt-live session closed", "level": "DEBUG", "name": "livekit.agents", "reason": "expired", "session_id": "sess_vFNyyO5m9xkadRC2g5QNw", "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_handle_session_closed", "code.line.number": 986, "timestamp": "2026-12-01T20:22:02.624038+00:00"}',
  '{"message": "gpt-live session closed", "level": "DEBUG", "name": "livekit.agents", "reason": "close_requested", "session_id": "sess_53iGS56ij3ZfjLsJy64xL", "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_handle_session_closed", "code.line.number": 986, "timestamp": "2026-12-01T20:22:04.162191+00:00"}',
  '{"message": "OpenAI Live API connection failed, retrying in 0.1s", "level": "WARNING", "name": "livekit.agents", "exc_info": "Traceback (most recent call last):\\n  \\u2026\\nlivekit.agents._exceptions.APIConnectionError: OpenAI Live API connection error", "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_main_task", "code.line.number": 549, "timestamp": "2026-12-01T20:22:14.320057+00:00"}',
  '{"message": "OpenAI Live API connection failed, retrying in 2.0s", "level": "WARNING", "name": "livekit.agents", "exc_info": "Traceback (most recent call last):\\n  \\u2026\\nlivekit.agents._exceptions.APIConnectionError: OpenAI Live API connection error", "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_main_task", "code.line.number": 549, "timestamp": "2026-12-01T20:22:14.431053+00:00"}',
  '{"message": "OpenAI Live API connection failed, retrying in 2.0s", "level": "WARNING", "name": "livekit.agents", "exc_info": "Traceback (most recent call last):\\n  \\u2026\\nlivekit.agents._exceptions.APIConnectionError: OpenAI Live API connection error", "code.file.path": "\\u2026/livekit/agents/llm/_realtime/gpt_live.py", "code.function.name": "_main_task", "code.line.number": 549, "timestamp": "2026-12-01T20:22:16.438340+00:00"}',
];

async function parse(text: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for await (const e of parseLogStream(Readable.from([Buffer.from(text)]), {})) events.push(e);
  return events;
}

describe('GPT-Live plugin log lines (livekit-agents 1.8.9)', () => {
  it('map to log.live.* with their fields', async () => {
    const events = (await parse(`${CAPTURED.join('\n')}\n`)).filter((e) => e.kind.startsWith('log.live.'));
    const pick = (e: TraceEvent) => {
      const { level, logger, message, line, ...rest } = fieldsOf(e) as Record<string, unknown>;
      return [e.kind, level, rest];
    };
    expect(events.map(pick)).toEqual([
      [
        'log.live.error',
        'error',
        {
          code: 'forbidden',
          type: 'invalid_request_error',
          errorMessage: "The voice 'marin' is not available for this session.",
          param: 'session.audio.output.voice',
        },
      ],
      ['log.live.session-closed', 'debug', { reason: 'expired', sessionId: expect.stringMatching(/^sess_/) }],
      ['log.live.session-closed', 'debug', { reason: 'close_requested', sessionId: expect.stringMatching(/^sess_/) }],
      ['log.live.connection-failed', 'warning', { final: false, retryInS: 0.1 }],
      ['log.live.connection-failed', 'warning', { final: false, retryInS: 2 }],
      ['log.live.connection-failed', 'warning', { final: false, retryInS: 2 }],
    ]);
  });

  it('the live rules on them: forbidden voice, expired, retrying (the give-up is only in a traceback)', async () => {
    const findings = diagnose(await parse(`${CAPTURED.join('\n')}\n`), LIVE_RULES, { command: 'trace log' });
    expect(findings.map((f) => `${f.severity}:${f.code}`).sort()).toEqual([
      'error:live/forbidden-voice',
      'warning:live/connect-retrying',
      'warning:live/session-expired',
    ]);
  });

  it('a healthy close (close_requested) alone is silent', async () => {
    const findings = diagnose(await parse(`${CAPTURED[2]}\n`), LIVE_RULES, { command: 'trace log' });
    expect(findings).toEqual([]);
  });
});
