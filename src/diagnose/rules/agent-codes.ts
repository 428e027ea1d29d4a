import type { FindingMeta } from '../types.js';

/** Findings about the agent's turn taking (AgentSession, RealtimeSession). docs/findings.md is generated from these. */
export const AGENT = {
  generateReplyTimeout: {
    code: 'agent/generate-reply-timeout',
    severity: 'error',
    title: 'generate_reply timed out: the agent never got its response.created',
    cause:
      'LiveKit sends response.create and fails the reply when no matching response.created arrives within 10 s (livekit-agents ≥ 1.5, agents-js plugin ≥ 1.4.11; 5 s in livekit-agents ≤ 1.4.x). Causes, in order of frequency: the Realtime socket was not up or was reconnecting; the API rejected response.create because a response was already active (server VAD auto-responded while the agent called generate_reply — livekit-agents ≤ 1.5.7 and 1.6.0–1.6.11 do not match that error to the request); a gateway or proxy dropped response.metadata so the response.created could not be matched; the API was slow; an old version with the 5 s timeout.',
    evidence:
      'The ERROR line "failed to generate a reply: generate_reply timed out." (log.agent.generate-reply-failed); the response.create it waited for and what followed it (openai.error, openai.response.created and its metadata, log.openai.connection-error / connecting, log.openai.late-response); without a log, agent state thinking → listening about 10 s later with no speech in between.',
    fix:
      'Depends on the sub-cause named in the detail: reconnecting → fix the connection errors first; active response → upgrade to livekit-agents ≥ 1.7.0 and do not call generate_reply while server VAD responds (turn_detection create_response=False, or wait for the current reply); metadata not echoed → let the proxy pass response.metadata through; slow server → check region, egress and the agent host; 5 s → upgrade livekit-agents to ≥ 1.5. To tell them apart, run the agent with LK_OPENAI_DEBUG=1 at DEBUG log level.',
  },
  responseCancelledByUserSpeech: {
    code: 'agent/response-cancelled-by-user-speech',
    severity: 'warning',
    title: 'A reply was cancelled because the user started speaking',
    cause:
      'With server turn detection and interrupt_response=true the API cancels the response itself when it hears speech (reason turn_detected); otherwise LiveKit sends response.cancel when the input speech starts (AgentActivity.interrupt()). Barge-in is intended behaviour, but echo, room noise or the user\'s own trailing words cancel replies the user never heard.',
    evidence:
      'input_audio_buffer.speech_started, or the user state turning to speaking (log.agent.user-state, session.user-state), followed within about 1.5 s by a client response.cancel, or response.done cancelled with reason turn_detected (also log.openai.response-not-complete).',
    fix:
      'If the user did not mean to interrupt: use echo cancellation or headphones, raise the VAD threshold or min_interruption_duration, or set turn_detection interrupt_response=False (and allow_interruptions=False where appropriate). If the cancelled reply had not played any audio yet, the user heard nothing at all: look at what made the input speech start.',
  },
  replyNeverSpoken: {
    code: 'agent/reply-never-spoken',
    severity: 'error',
    title: 'The user finished a turn and the agent never replied',
    cause:
      'A user turn was committed but no response was created, no audio was produced and the agent never reached the speaking state: generate_reply failed or timed out, the reply was skipped (current speech not interruptible), the model answered in text, or the agent\'s pipeline is stuck.',
    evidence:
      'input_audio_buffer.committed, log.agent.turn-committed or a user conversation item (session.item role user), then within 15 s no response.created, output audio, assistant item or agent speaking state.',
    fix: 'Read the findings next to this one for the cause (generate-reply timeout, cancellation, fatal error). With only room events, add --agent-log FILE (DEBUG level, LK_OPENAI_DEBUG=1) to see it.',
  },
  falseInterruption: {
    code: 'agent/false-interruption',
    severity: 'warning',
    title: 'The agent paused for an interruption that was not one',
    cause:
      'Voice activity (noise, echo, a cough, a backchannel) paused the agent\'s speech, but no words followed, so AgentSession treated it as a false interruption: with resume_false_interruption it resumed after false_interruption_timeout, otherwise the reply was lost.',
    evidence: 'log.agent.false-interruption ("resumed false interrupted speech") or session.false-interruption {resumed}.',
    fix: 'Reduce echo and noise (echo cancellation, noise cancellation), raise min_interruption_duration / min_interruption_words, keep resume_false_interruption=True.',
  },
  fatalError: {
    code: 'agent/fatal-error',
    severity: 'error',
    title: 'The agent session closed on an unrecoverable error',
    cause: 'An error the session cannot retry (invalid API key, quota, a model or plugin failure marked unrecoverable) closed the AgentSession; the agent stops answering.',
    evidence: '"AgentSession is closing due to unrecoverable error" (log.agent.fatal), or session.error with recoverable=false.',
    fix: 'Read the error it names; the openai/* findings next to this one explain Realtime API errors.',
  },
  latencySummary: {
    code: 'agent/latency-summary',
    severity: 'info',
    title: 'Reply latencies reported by the agent',
    cause: 'AgentSession attaches metrics to conversation items: end-of-turn delay (user stopped → turn committed), LLM time to first token, and end-to-end latency (user stopped → agent audio).',
    evidence: 'session.item events carrying metrics (endOfTurnDelay, ttft / llmNodeTtft, e2eLatency, in seconds).',
    fix: 'Nothing to fix. Above ~1.5 s end to end, look at the largest part: end-of-turn delay (endpointing settings), time to first token (model, region).',
  },
} as const satisfies Record<string, FindingMeta>;
