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

/** `p`, or undefined after `ms` — whichever comes first; the timer never outlives the race (it would hold the process open). */
export async function within<T>(p: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  const timer = new AbortController();
  const onAbort = () => timer.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([p, sleep(ms, timer.signal).then(() => undefined)]);
  } finally {
    timer.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}
