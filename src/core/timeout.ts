/**
 * @module core/timeout — waiting for a promise at most so long: `'timeout'` when the time runs out first (the
 * promise goes on; its result is ignored), its value or rejection otherwise. The timer is cleared either way.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
