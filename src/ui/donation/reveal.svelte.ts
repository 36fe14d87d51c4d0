/**
 * How much of a long list to put in the page: entries worth `first` at once, then `step` more
 * each frame, so that no single task grows with the list. A 5 MB bundle made into DOM in one go
 * held the page for about a second; in steps, the page answers between them (issue 16, item 7).
 * An entry's worth is 1 unless `weight` says otherwise (a conversation: its messages).
 * Create it while a component initialises: it follows `source` with an effect, and starts over
 * whenever `source` gives a new list (a rebuilt preview).
 */
export class GradualReveal<T> {
  count = $state(0);

  constructor(
    private readonly source: () => readonly T[],
    private readonly options: { first: number; step: number; weight?: (entry: T) => number },
  ) {
    this.count = this.advance(source(), 0, options.first);
    $effect(() => {
      const list = this.source();
      // A local count: reading `this.count` here would make the effect start over on every step.
      let shown = this.advance(list, 0, this.options.first);
      this.count = shown;
      let frame = 0;
      const grow = () => {
        shown = this.advance(list, shown, this.options.step);
        this.count = shown;
        if (shown < list.length) frame = requestAnimationFrame(grow);
      };
      if (shown < list.length) frame = requestAnimationFrame(grow);
      return () => cancelAnimationFrame(frame);
    });
  }

  /** True until every entry is in the page (for aria-busy). */
  get pending(): boolean {
    return this.count < this.source().length;
  }

  /** The count after adding entries from `from` worth `budget` (always at least one). */
  private advance(list: readonly T[], from: number, budget: number): number {
    let count = from;
    let spent = 0;
    while (count < list.length && (count === from || spent < budget)) {
      spent += this.options.weight?.(list[count]!) ?? 1;
      count += 1;
    }
    return count;
  }
}
