import { afterEach, describe, expect, it, vi } from 'vitest';
import { onInterrupt } from '../../src/commands/runner.js';

describe('onInterrupt: the one SIGINT/SIGTERM owner', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['SIGINT', 'SIGTERM'] as const)('aborts on the first %s with the notice, exits 130 on the second', (sig) => {
    const before = process.listenerCount(sig);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const i = onInterrupt('writing the report');
    expect(process.listenerCount(sig)).toBe(before + 1);
    process.emit(sig);
    expect(i.signal.aborted).toBe(true);
    expect(String(err.mock.calls.at(-1)?.[0])).toContain('interrupted: writing the report (Ctrl-C again to quit at once)');
    expect(exit).not.toHaveBeenCalled();
    process.emit(sig);
    expect(exit).toHaveBeenCalledWith(130);
    i.release();
    expect(process.listenerCount(sig)).toBe(before);
  });

  it('writes nothing without a notice and stops listening once released', () => {
    const counts = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = counts();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const i = onInterrupt();
    process.emit('SIGTERM');
    expect(i.signal.aborted).toBe(true);
    expect(err).not.toHaveBeenCalled();
    i.release();
    expect(counts()).toEqual(before);
  });
});
