import type { EntityType } from '../bundle-types';

/** UTF-16 offsets into the text that was searched; end exclusive. Sorted, non-overlapping. */
export interface FoundEntity {
  type: EntityType;
  start: number;
  end: number;
}

/** One recognizer: every candidate span of its type, in any order, overlaps allowed. */
export type Recognizer = (text: string) => FoundEntity[];
