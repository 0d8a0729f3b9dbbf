/** Runs `call` with `concurrency` in flight for `durationMs` after a warm-up; latencies in ms. */
export async function closedLoop(
  call: () => Promise<unknown>,
  opts: { concurrency: number; warmupMs: number; durationMs: number },
): Promise<{ rps: number; p50: number; p99: number; calls: number; errors: number }> {
  const run = async (ms: number, record: boolean) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            await call();
            if (record) latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    return { latencies, errors, elapsed: performance.now() - started };
  };
  await run(opts.warmupMs, false);
  const { latencies, errors, elapsed } = await run(opts.durationMs, true);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: (latencies.length / elapsed) * 1000, p50: q(0.5), p99: q(0.99), calls: latencies.length, errors };
}
