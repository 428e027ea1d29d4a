import type { EventKind, EventOf, TraceEvent } from '../diagnose/types.js';
import type { Step } from '../report/report.js';

/** send-preconnect timings, each measured from t=0 (the user starts speaking / recording starts). */
export function preconnectSteps(events: readonly TraceEvent[]): Step[] {
  const t0 = events.find((e) => e.kind === 'client.recording.started')?.t ?? events[0]?.t ?? 0;
  const first = (pred: (e: TraceEvent) => boolean) => events.find(pred);
  const firstOf = <K extends EventKind>(kind: K, pred: (e: EventOf<K>) => boolean = () => true) =>
    events.find((e): e is EventOf<K> => e.kind === kind && pred(e as EventOf<K>));
  const step = (name: string, e: TraceEvent | undefined, detail?: string): Step =>
    e ? { name, ms: Math.round(e.t - t0), ok: true, status: 'ok', ...(detail ? { detail } : {}) } : { name, ok: false, status: 'skipped' };
  const opened = firstOf('client.preconnect.opened');
  const closed = firstOf('client.preconnect.closed');
  // lk.agent.state as the room shows it
  const states = events.filter((e): e is TraceEvent<'agent.state'> => e.kind === 'agent.state' && e.source === 'room');
  const pub = firstOf('client.track.published');
  const userTranscript = firstOf('user.transcript', (e) => e.source === 'room');
  const steps = [
    step(
      'connect',
      first((e) => e.kind === 'client.connected'),
    ),
    step('publish', pub, pub ? `features: ${(pub.data.features ?? []).join(', ') || 'none'}` : undefined),
    step(
      'dispatch',
      first((e) => e.kind === 'server.dispatch.created'),
    ),
    step(
      'agent-joined',
      first((e) => e.kind === 'client.agent.joined'),
    ),
    step(
      'agent-active',
      first((e) => e.kind === 'client.agent.active'),
    ),
    step(
      'buffer-opened',
      opened,
      opened ? `trackId=${String(opened.data.trackId)} sampleRate=${String(opened.data.sampleRate)} channels=${String(opened.data.channels)}` : undefined,
    ),
    step(
      'buffer-closed',
      closed,
      closed ? `${String(closed.data.bytes)} bytes, ${(Number(closed.data.audioMs) / 1000).toFixed(2)} s of audio (${String(closed.data.reason)})` : undefined,
    ),
    step(
      'agent-subscribed',
      first((e) => e.kind === 'client.agent.subscribed'),
    ),
    ...states.slice(0, 4).map((e) => step(`agent-state:${String(e.data.to)}`, e)),
    step('first-user-transcript', userTranscript, undefined),
    step(
      'first-agent-audio',
      first((e) => e.kind === 'room.agent.audio'),
    ),
  ];
  const transcriptStep = steps.find((s) => s.name === 'first-user-transcript');
  if (userTranscript && transcriptStep) transcriptStep.detail = JSON.stringify(String(userTranscript.data.transcript).slice(0, 80));
  return steps.filter((s) => s.status === 'ok' || !['dispatch'].includes(s.name));
}
