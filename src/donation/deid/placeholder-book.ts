import type { EntityType } from '../bundle-types';
import { formatPlaceholder } from './placeholders';
import { valueKey } from './value-key';

/**
 * Hands out placeholders for one bundle: the first e-mail is [EMAIL_1], the next different one
 * [EMAIL_2], and the first again is [EMAIL_1] wherever it reappears. The book lives in memory
 * only and is never written into the bundle, so placeholders cannot be mapped back.
 */
export class PlaceholderBook {
  readonly #numbers = new Map<string, number>();
  readonly #lastNumber = new Map<EntityType, number>();

  placeholderFor(type: EntityType, written: string): string {
    const key = `${type}\u0000${valueKey(type, written)}`;
    let n = this.#numbers.get(key);
    if (n === undefined) {
      n = (this.#lastNumber.get(type) ?? 0) + 1;
      this.#lastNumber.set(type, n);
      this.#numbers.set(key, n);
    }
    return formatPlaceholder(type, n);
  }
}
