/** Epoch milliseconds with sub-millisecond resolution (monotonic within a process). */
export const now = (): number => performance.timeOrigin + performance.now();

/** Waits `ms`, or less when `signal` aborts (every wait in lkdiag is bounded and interruptible). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
