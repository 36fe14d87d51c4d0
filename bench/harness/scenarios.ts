/**
 * The app scenarios of issue 7 beyond single replies, each driven through the UI: time to first
 * token over a long conversation (with the KV cache reused, and with it lost every turn), and
 * best-of-4 against a single reply.
 */
import type { Page } from '@playwright/test';
import { configureReplies, measureReply, openConversation, startNewConversation } from './app-path';
import { median, type BestOfResult, type KvReuseResult, type TurnSeries } from './figures';

const TOPICS = ['music', 'rivers', 'bread', 'chess', 'trains', 'gardens', 'clouds', 'maps', 'bridges', 'tea', 'owls', 'glass'];

/**
 * `turns` turns in one conversation, `repeats` times; each turn's figures are the median over
 * the repeats (single turns are noisy on a 2-core machine shared by two workers). Without reuse,
 * every turn after the first is preceded by a turn in a second conversation: the worker keeps
 * the cache of one conversation only, so the next turn of the first has to prefill it all again —
 * which is what a lost cache costs.
 */
export async function timeToFirstTokenOverTurns(page: Page, turns: number, newTokens: number, repeats: number): Promise<KvReuseResult> {
  // Sampled: the untrained models' greedy reply is one token repeated, often invisible whitespace.
  await configureReplies(page, { temperature: 0.7, maxNewTokens: newTokens, bestOfN: 1 });
  const run = async (label: string, interleave: boolean): Promise<TurnSeries> => {
    const series: TurnSeries = { ttftMs: [], workerTtftMs: [], prefillTokens: [], promptTokens: [] };
    await startNewConversation(page);
    const title = `${label} conversation`;
    for (let turn = 1; turn <= turns; turn++) {
      if (interleave && turn > 1) {
        await startNewConversation(page);
        await measureReply(page, `Meanwhile, a word about ${TOPICS[turn % TOPICS.length]}.`);
        await openConversation(page, title);
      }
      const topic = TOPICS[(turn - 1) % TOPICS.length];
      const text = turn === 1 ? `${title}: tell me about ${topic}.` : `Turn ${turn}: and what about ${topic}?`;
      const reply = await measureReply(page, text);
      series.ttftMs.push(reply.ttftMs);
      series.workerTtftMs.push(reply.worker.ttftMs);
      series.prefillTokens.push(reply.prefillTokens);
      series.promptTokens.push(reply.promptTokens);
    }
    return series;
  };
  const withReuse: TurnSeries[] = [];
  const withoutReuse: TurnSeries[] = [];
  for (let i = 0; i < repeats; i++) {
    withReuse.push(await run(`Reuse ${i + 1}`, false));
    withoutReuse.push(await run(`Cold ${i + 1}`, true));
  }
  return { turns, repeats, withReuse: medianPerTurn(withReuse), withoutReuse: medianPerTurn(withoutReuse) };
}

function medianPerTurn(runs: TurnSeries[]): TurnSeries {
  const at = (key: keyof TurnSeries) => runs[0]![key].map((_, turn) => median(runs.map((r) => r[key][turn]!)));
  return { ttftMs: at('ttftMs'), workerTtftMs: at('workerTtftMs'), prefillTokens: at('prefillTokens'), promptTokens: at('promptTokens') };
}

/** The same question answered with one sampled reply and with best-of-4, alternating, `runs` times each. */
export async function bestOfFourAgainstSingle(page: Page, runs: number, newTokens: number, question: string): Promise<BestOfResult> {
  const singleMs: number[] = [];
  const bestOf4Ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const bestOfN of [1, 4]) {
      await configureReplies(page, { temperature: 0.7, maxNewTokens: newTokens, bestOfN });
      await startNewConversation(page);
      const reply = await measureReply(page, question);
      (bestOfN === 1 ? singleMs : bestOf4Ms).push(reply.totalMs);
    }
  }
  await configureReplies(page, { temperature: 0.7, maxNewTokens: newTokens, bestOfN: 1 });
  return { newTokens, singleMs, bestOf4Ms };
}
