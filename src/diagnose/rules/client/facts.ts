import type { EventOf } from '../../../events/index.js';
import type { Timeline } from '../../timeline.js';

/** Above this, a seam gap is reported (the issue's measurement with livekit-client 2.23.0: ~120 ms). */
export const MAX_SEAM_GAP_MS = 100;

export interface ClientFacts {
  listening: EventOf<'mockagent.state'> | undefined;
  mic: EventOf<'mockagent.mic.published'> | undefined;
  /** The stream the agent (not its avatar) took; else the first one. */
  opened: EventOf<'mockagent.stream.opened'> | undefined;
  closed: EventOf<'mockagent.stream.closed'> | undefined;
  checked: EventOf<'mockagent.stream.checked'> | undefined;
  wait: EventOf<'mockagent.wait.started'> | undefined;
  seam: EventOf<'mockagent.seam'> | undefined;
  fault: EventOf<'mockagent.fault'> | undefined;
}

/** The mock agent's observations, as the client/* rules read them. */
export function clientFacts(t: Timeline): ClientFacts {
  const streams = t.ofKind('mockagent.stream.opened');
  const opened = streams.find((e) => e.data.receiverRole === 'agent' && !e.data.dropped) ?? streams[0];
  const id = opened?.data.streamId;
  return {
    listening: t.ofKind('mockagent.state').find((e) => e.data.state === 'listening'),
    mic: t.first('mockagent.mic.published'),
    opened,
    closed: t.ofKind('mockagent.stream.closed').find((e) => e.data.streamId === id),
    checked: t.ofKind('mockagent.stream.checked').find((e) => e.data.streamId === id),
    wait: t.first('mockagent.wait.started'),
    seam: t.first('mockagent.seam'),
    fault: t.first('mockagent.fault'),
  };
}
