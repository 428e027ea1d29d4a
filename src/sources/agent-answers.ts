/**
 * Follows the agent's turns from the events a participant sees, one event at a time (no re-scan of the
 * trace): an answer is a `speaking` period of lk.agent.state. Waiters are settled as events arrive.
 */
import type { TraceEvent } from '../diagnose/types.js';
import { within } from './clock.js';

export interface AgentAnswer {
  /** lk.agent.state became speaking. */
  start: number;
  /** It left speaking. */
  end: number;
}

interface Waiter {
  after: number;
  resolve: (a: AgentAnswer | undefined) => void;
}

export class AgentAnswers {
  readonly answers: AgentAnswer[] = [];
  /** The first audible frame of agent audio was seen. */
  heardAudio = false;
  private speakingSince: number | undefined;
  private waiters: Waiter[] = [];

  observe(e: TraceEvent): void {
    if (e.kind === 'room.agent.audio') this.heardAudio = true;
    // lk.agent.state as the room shows it (the same fact decoded from lk.agent.session is not counted twice)
    if (e.kind !== 'agent.state' || e.source !== 'room') return;
    const state = e.data.to;
    if (state === 'speaking') {
      this.speakingSince ??= e.t;
      return;
    }
    if (this.speakingSince === undefined) return;
    const answer = { start: this.speakingSince, end: e.t };
    this.speakingSince = undefined;
    this.answers.push(answer);
    this.waiters = this.waiters.filter((w) => {
      if (answer.start < w.after) return true;
      w.resolve(answer);
      return false;
    });
  }

  /** The agent is speaking now, and began at or after `after`. */
  speakingAfter(after: number): boolean {
    return this.speakingSince !== undefined && this.speakingSince >= after;
  }

  /** The first answer that began at or after `after` (epoch ms). */
  answeredAfter(after: number): AgentAnswer | undefined {
    return this.answers.find((a) => a.start >= after);
  }

  /** Waits for an answer that begins at or after `after`; undefined when the bound or the signal ends the wait. */
  async waitForAnswer(after: number, boundMs: number, signal: AbortSignal): Promise<AgentAnswer | undefined> {
    const done = this.answeredAfter(after);
    if (done) return done;
    let waiter: Waiter | undefined;
    const answered = new Promise<AgentAnswer | undefined>((resolve) => {
      waiter = { after, resolve };
      this.waiters.push(waiter);
    });
    try {
      return await within(answered, boundMs, signal);
    } finally {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    }
  }
}
