/** Mean and sample standard deviation, as the other evals print them (`mean ± sd`). */
export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

export function meanSd(values: readonly number[], digits = 3): string {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return '—';
  return `${mean(finite).toFixed(digits)} ± ${sd(finite).toFixed(digits)}`;
}

/** Accumulated wall time per named phase, milliseconds. */
export class PhaseTimer {
  readonly ms = new Map<string, number>();

  async time<T>(phase: string, run: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.ms.set(phase, (this.ms.get(phase) ?? 0) + performance.now() - started);
    }
  }

  add(other: PhaseTimer): void {
    for (const [phase, ms] of other.ms) this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
  }

  summary(): string {
    return [...this.ms].map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`).join(', ');
  }
}
