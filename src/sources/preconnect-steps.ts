import type { TraceEvent } from '../diagnose/types.js';
import type { Step } from '../report/report.js';

/** send-preconnect timings, each measured from t=0 (the user starts speaking / recording starts). */
export function preconnectSteps(events: readonly TraceEvent[]): Step[] {
  const t0 = events.find((e) => e.kind === 'client.recording.started')?.t ?? events[0]?.t ?? 0;
  const first = (pred: (e: TraceEvent) => boolean) => events.find(pred);
  const step = (name: string, e: TraceEvent | undefined, detail?: string): Step =>
    e ? { name, ms: Math.round(e.t - t0), ok: true, status: 'ok', ...(detail ? { detail } : {}) } : { name, ok: false, status: 'skipped' };
  const opened = first((e) => e.kind === 'client.preconnect.opened');
  const closed = first((e) => e.kind === 'client.preconnect.closed');
  const states = events.filter((e) => e.kind === 'room.agent.state');
  const pub = first((e) => e.kind === 'client.track.published');
  const steps = [
    step('connect', first((e) => e.kind === 'client.connected')),
    step('publish', pub, pub ? `features: ${((pub.data['features'] as string[]) ?? []).join(', ') || 'none'}` : undefined),
    step('dispatch', first((e) => e.kind === 'server.dispatch.created')),
    step('agent-joined', first((e) => e.kind === 'client.agent.joined')),
    step('agent-active', first((e) => e.kind === 'client.agent.active')),
    step('buffer-opened', opened, opened ? `trackId=${String(opened.data['trackId'])} sampleRate=${String(opened.data['sampleRate'])} channels=${String(opened.data['channels'])}` : undefined),
    step('buffer-closed', closed, closed ? `${String(closed.data['bytes'])} bytes, ${(Number(closed.data['audioMs']) / 1000).toFixed(2)} s of audio (${String(closed.data['reason'])})` : undefined),
    step('agent-subscribed', first((e) => e.kind === 'client.agent.subscribed')),
    ...states.slice(0, 4).map((e) => step(`agent-state:${String(e.data['state'])}`, e)),
    step('first-user-transcript', first((e) => e.kind === 'room.transcription' && e.data['role'] === 'user'), undefined),
    step('first-agent-audio', first((e) => e.kind === 'room.agent.audio')),
  ];
  const transcript = first((e) => e.kind === 'room.transcription' && e.data['role'] === 'user');
  if (transcript) steps.find((s) => s.name === 'first-user-transcript')!.detail = JSON.stringify(String(transcript.data['text']).slice(0, 80));
  return steps.filter((s) => s.status === 'ok' || !['dispatch'].includes(s.name));
}
