/**
 * Runs a de-identifier over the labelled set and turns what survived into recall per category
 * and group and the share of clean messages left alone (issue 16, item 9).
 */
import type { Deidentifier } from '../../src/donation/deid';
import { CATEGORIES, CLEAN_UNCHANGED_TARGET, GROUPS, groupOf, type Category, type LabelledMessage } from './labelled-set';
import { leaks, partlyKept } from './leak';

export interface IdentifierOutcome {
  messageId: string;
  text: string;
  category: Category;
  removed: boolean;
  /** Removed as a whole, but some of its letters or digits were left beside the placeholder. */
  partial: boolean;
  redacted: string;
}

export interface ChangedCleanMessage {
  id: string;
  text: string;
  redacted: string;
}

export interface Evaluation {
  messages: number;
  outcomes: IdentifierOutcome[];
  cleanTotal: number;
  changedClean: ChangedCleanMessage[];
}

/**
 * A fresh de-identifier per message. The app uses one per donation bundle (bundle-builder.ts),
 * but these messages are unrelated, and a shared one would make a message's result depend on
 * which messages happened to come before it in the file.
 */
export function evaluate(messages: readonly LabelledMessage[], newDeidentifier: () => Deidentifier): Evaluation {
  const outcomes: IdentifierOutcome[] = [];
  const changedClean: ChangedCleanMessage[] = [];
  for (const message of messages) {
    const { redacted, entities } = newDeidentifier().redact(message.text);
    if (message.clean && redacted !== message.text) changedClean.push({ id: message.id, text: message.text, redacted });
    for (const identifier of message.identifiers) {
      const removed = !leaks(identifier.text, redacted);
      const partial = removed && partlyKept(identifier.text, message.text, entities);
      outcomes.push({ messageId: message.id, text: identifier.text, category: identifier.category, removed, partial, redacted });
    }
  }
  return { messages: messages.length, outcomes, cleanTotal: messages.filter((message) => message.clean).length, changedClean };
}

export interface Row {
  name: string;
  total: number;
  /** Removed identifiers, or for the clean row, messages left unchanged. */
  passed: number;
  partial: number;
  /** NaN when there is nothing to measure. */
  share: number;
  target: number;
  met: boolean;
}

export interface Summary {
  categories: Row[];
  groups: Row[];
  clean: Row;
}

function row(name: string, outcomes: readonly IdentifierOutcome[], target: number): Row {
  const passed = outcomes.filter((outcome) => outcome.removed).length;
  const share = outcomes.length === 0 ? Number.NaN : passed / outcomes.length;
  const partial = outcomes.filter((outcome) => outcome.partial).length;
  // A category the set does not cover cannot meet a target; it must not look as if it did.
  return { name, total: outcomes.length, passed, partial, share, target, met: share >= target };
}

export function summarise(evaluation: Evaluation): Summary {
  const of = (categories: readonly Category[]) => evaluation.outcomes.filter((outcome) => categories.includes(outcome.category));
  const unchanged = evaluation.cleanTotal - evaluation.changedClean.length;
  const cleanShare = evaluation.cleanTotal === 0 ? Number.NaN : unchanged / evaluation.cleanTotal;
  return {
    categories: CATEGORIES.map((category) => row(category, of([category]), groupOf(category).target)),
    groups: GROUPS.map((group) => row(group.name, of(group.categories), group.target)),
    clean: {
      name: 'clean unchanged',
      total: evaluation.cleanTotal,
      passed: unchanged,
      partial: 0,
      share: cleanShare,
      target: CLEAN_UNCHANGED_TARGET,
      met: cleanShare >= CLEAN_UNCHANGED_TARGET,
    },
  };
}
