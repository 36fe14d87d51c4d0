/**
 * The on-device de-identifier for data donation (DESIGN.md §8), Presidio-style: recognizers →
 * merged spans → typed, consistent placeholders. The app and `npm run deid` both use this file.
 * docs/deidentification.md says what is found, what is kept on purpose, and the known limits.
 */
import type { DeidentificationReport, EntityType } from '../bundle-types';
import { createEntityFinder } from './entity-finder';
import type { FoundEntity } from './found-entity';
import { PlaceholderBook } from './placeholder-book';

export type { FoundEntity } from './found-entity';

export const DEID_METHOD = 'feedback-chat-deid';
/** Raise when a change can make the same text come out differently. */
export const DEID_METHOD_VERSION = '2';

export interface RedactionResult {
  redacted: string;
  /** Spans in the INPUT text that were replaced. */
  entities: FoundEntity[];
  /** Where each placeholder landed in `redacted` (same order as entities). */
  placeholders: FoundEntity[];
}

export interface DeidOptions {
  declaredTerms?: readonly string[];
}

export interface Deidentifier {
  /** Replaces every entity with a typed placeholder like [EMAIL_1]; the same value gets the same placeholder for the life of this Deidentifier (one bundle). */
  redact(text: string): RedactionResult;
  /** Counts of replaced spans per type so far, with DEID_METHOD / DEID_METHOD_VERSION. */
  report(): DeidentificationReport;
}

export function createDeidentifier(options: DeidOptions = {}): Deidentifier {
  const find = createEntityFinder(options.declaredTerms);
  const book = new PlaceholderBook();
  const counts: Partial<Record<EntityType, number>> = {};

  return {
    redact(text) {
      const entities = find(text);
      const placeholders: FoundEntity[] = [];
      let redacted = '';
      let copiedUpTo = 0;
      for (const entity of entities) {
        redacted += text.slice(copiedUpTo, entity.start);
        const placeholder = book.placeholderFor(entity.type, text.slice(entity.start, entity.end));
        placeholders.push({ type: entity.type, start: redacted.length, end: redacted.length + placeholder.length });
        redacted += placeholder;
        copiedUpTo = entity.end;
        counts[entity.type] = (counts[entity.type] ?? 0) + 1;
      }
      redacted += text.slice(copiedUpTo);
      return { redacted, entities, placeholders };
    },
    report() {
      return { method: DEID_METHOD, methodVersion: DEID_METHOD_VERSION, counts: { ...counts } };
    },
  };
}

/** The merged spans alone (what the CLI reports). */
export function findEntities(text: string, options: DeidOptions = {}): FoundEntity[] {
  return createEntityFinder(options.declaredTerms)(text);
}
