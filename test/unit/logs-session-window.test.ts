import { describe, expect, it } from 'vitest';
import type { EventKind } from '../../src/diagnose/types.js';
import { SESSION_LOG_MARGIN_MS, inSessionWindow } from '../../src/sources/logs/index.js';
import { partialEvent } from '../helpers/events.js';

describe("inSessionWindow: this session's part of a worker log", () => {
  const from = 1_700_000_000_000;
  const keep = inSessionWindow(from);
  const ev = (dt: number, kind: EventKind = 'log.preconnect.received') => partialEvent(from + dt, 'log', kind);
  it('keeps events from the margin before the session on, and drops older ones', () => {
    expect(keep(ev(0))).toBe(true);
    expect(keep(ev(-SESSION_LOG_MARGIN_MS))).toBe(true);
    expect(keep(ev(-SESSION_LOG_MARGIN_MS - 1))).toBe(false);
  });
  it('always keeps the lines that identify the worker (framework, version)', () => {
    expect(keep(ev(-3_600_000, 'log.framework'))).toBe(true);
  });
});
