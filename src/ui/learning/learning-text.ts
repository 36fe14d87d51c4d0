/**
 * How the personal generation adapter reads in the UI (issue 18): the Settings line and the
 * Look inside line. Pure functions, unit-tested.
 */
import type { AdapterEffect } from '../../../workers/shared/learning-protocol';
import type { LearnerStatus } from '../../learning/adapter-learner';

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(then: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** The Settings line: what the model learned from, and when; or why it learns nothing. */
export function learningSummary(status: LearnerStatus, enabled: boolean, now: number): string {
  if (!enabled) return 'Off: your ratings do not change the replies.';
  const busy = status.waiting > 0 || status.training ? ' · learning…' : '';
  if (status.ratings === 0) return `Nothing learned yet: rate replies to teach it.${busy}`;
  const what = `${status.ratings} rated ${status.ratings === 1 ? 'reply' : 'replies'}`;
  const when = status.updatedAt !== null ? ` · ${timeAgo(status.updatedAt, now)}` : '';
  return `Learned from ${what}${when}${busy}`;
}

/** A probability as a percentage with two significant digits ("31%", "4.2%", "0.0063%"), never in exponent form. */
function percent(p: number): string {
  const value = p * 100;
  if (value >= 10) return `${Math.round(value)}%`;
  if (value < 0.0001) return '<0.0001%';
  return `${Number(value.toPrecision(2)).toLocaleString('en', { maximumSignificantDigits: 2, maximumFractionDigits: 6 })}%`;
}

/**
 * Look inside: how much the adapter moved this reply, as how much likelier (or less likely) it made
 * the reply's tokens on average, and the two average probabilities (geometric means per token).
 */
export function adapterEffectText(effect: AdapterEffect): string {
  const ratio = effect.meanProbWithout > 0 ? effect.meanProbWith / effect.meanProbWithout : 1;
  const learned = `learned from ${effect.ratings} rated ${effect.ratings === 1 ? 'reply' : 'replies'}`;
  return `Its tokens ${ratio.toFixed(2)}× as likely with what it learned (${percent(effect.meanProbWith)} vs ${percent(effect.meanProbWithout)} a token; ${learned})`;
}
