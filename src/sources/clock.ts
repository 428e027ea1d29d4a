/** Epoch milliseconds with sub-millisecond resolution (monotonic within a process). */
export const now = (): number => performance.timeOrigin + performance.now();
