import type { Page } from '@playwright/test';
import { lastBotMessage, sendMessage, setMaxNewTokens } from '../../tests/e2e/app';

export interface StreamingLongTasks {
  /** The longest main-thread task while the reply streamed, in ms; 0 when none reached 50 ms. */
  longestTaskMs: number;
  /** Main-thread tasks of 50 ms or more while the reply streamed (the browser reports no shorter ones). */
  tasksOver50ms: number;
  /** Tokens the model really generated (the reply's metrics): a random-weight model may stop early at EOS. */
  streamedTokens: number;
  /** From the first streamed text to the finished reply, in ms. */
  streamMs: number;
}

/** What the page records; installed by `watchLongTasks`, read back after the reply. */
interface LongTaskLog {
  tasks: { start: number; duration: number }[];
  firstTextAt: number | null;
  /** When the reply stopped streaming (its status changed): later tasks are not "while streaming". */
  streamEndedAt: number | null;
}

/** Asks for a long reply, so the tokens streamed are mostly what the model allows, not what it chooses. */
const LONG_REPLY_PROMPT = 'Write a long story about a lighthouse keeper, with a list of the ships she saw, some `code` and a table.';

export interface StreamingOptions {
  /** Max new tokens for the reply. */
  tokens: number;
  /**
   * A tokenizer.json whose vocabulary is laid out once before measuring (default: the demo
   * model's), or false. A random-weight model writes tokens from every script; the first layout
   * of a script the page has not shown yet waits on the system's font fallback (measured here:
   * ~100 ms for a line of mixed scripts, ~1 ms once seen). That is a one-off cost per character
   * that real replies rarely meet, and it would hide what the app itself does per token.
   */
  warmFontsFrom?: string | false;
}

const DEMO_TOKENIZER = '/models/demo-chat-tiny/tokenizer.json';

/**
 * Sends one message with `Max new tokens` set to `opts.tokens` and reports the main-thread long
 * tasks (PerformanceObserver 'longtask') seen between the first streamed text and the end of
 * the reply. The page must be open with a model ready (tests/e2e/app.ts `openReadyApp`).
 */
export async function longestTaskWhileStreaming(page: Page, opts: StreamingOptions): Promise<StreamingLongTasks> {
  const warmFrom = opts.warmFontsFrom ?? DEMO_TOKENIZER;
  if (warmFrom) await warmFontFallback(page, warmFrom);
  await setMaxNewTokens(page, opts.tokens);
  const repliesBefore = await page.locator('article[data-role="assistant"]').count();
  await watchLongTasks(page);
  await sendMessage(page, LONG_REPLY_PROMPT);

  const reply = lastBotMessage(page);
  await page.locator('article[data-role="assistant"]').nth(repliesBefore).waitFor();
  // Finished: no longer streaming (complete, partial or error), with its metrics shown when it worked.
  await page.waitForFunction(
    (index) => {
      const article = document.querySelectorAll('article[data-role="assistant"]')[index];
      const status = article?.getAttribute('data-status');
      return status !== undefined && status !== null && status !== 'streaming';
    },
    repliesBefore,
    { timeout: 10 * 60_000, polling: 250 },
  );
  const endedAt = await page.evaluate(() => performance.now());
  const log = await page.evaluate(() => (window as unknown as { __longTaskLog: LongTaskLog }).__longTaskLog);
  const metricsText = (await reply.getByTestId('metrics').textContent({ timeout: 5_000 }).catch(() => null)) ?? '';
  const streamedTokens = Number(/(\d+) tokens \(/.exec(metricsText)?.[1] ?? 0);

  const from = log.firstTextAt ?? endedAt;
  const to = log.streamEndedAt ?? endedAt;
  // A task that started before the first text but ran into the stream still blocked it; one that
  // started once the stream had ended (reward scoring, saving) did not.
  const during = log.tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
  return {
    longestTaskMs: Math.round(during.reduce((longest, t) => Math.max(longest, t.duration), 0)),
    tasksOver50ms: during.filter((t) => t.duration >= 50).length,
    streamedTokens,
    streamMs: Math.round(to - from),
  };
}

/** Lays out every character of a tokenizer's vocabulary once, off screen, so fallback fonts are found before measuring. */
async function warmFontFallback(page: Page, tokenizerUrl: string): Promise<void> {
  await page.evaluate(async (url) => {
    const tokenizer = (await (await fetch(url)).json()) as { model?: { vocab?: Record<string, number> | [string, number][] } };
    const vocab = tokenizer.model?.vocab ?? {};
    const pieces = Array.isArray(vocab) ? vocab.map(([piece]) => piece) : Object.keys(vocab);
    const characters = [...new Set(pieces.join(''))].join(' ');
    const probe = document.createElement('div');
    probe.style.cssText = 'position:fixed;left:-10000px;top:0;width:40rem;overflow-wrap:anywhere';
    probe.textContent = characters;
    document.body.append(probe);
    void probe.offsetHeight;
    probe.remove();
  }, tokenizerUrl);
}

/**
 * Starts recording long tasks in the page (buffered, so none is missed between install and send)
 * and the moment the new reply first shows text.
 */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: LongTaskLog = { tasks: [], firstTextAt: null, streamEndedAt: null };
    (window as unknown as { __longTaskLog: LongTaskLog }).__longTaskLog = log;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) log.tasks.push({ start: entry.startTime, duration: entry.duration });
    });
    observer.observe({ type: 'longtask', buffered: true });
    const existing = document.querySelectorAll('article[data-role="assistant"]').length;
    const chat = document.querySelector('main') ?? document.body;
    const textWatch = new MutationObserver(() => {
      const reply = document.querySelectorAll('article[data-role="assistant"]')[existing];
      if (reply && (reply.querySelector('.content')?.textContent ?? '').replace('▍', '').length > 0) {
        log.firstTextAt = performance.now();
        textWatch.disconnect();
      }
    });
    textWatch.observe(chat, { childList: true, subtree: true, characterData: true });
    const endWatch = new MutationObserver(() => {
      const reply = document.querySelectorAll('article[data-role="assistant"]')[existing];
      const status = reply?.getAttribute('data-status');
      if (status && status !== 'streaming') {
        log.streamEndedAt = performance.now();
        endWatch.disconnect();
      }
    });
    endWatch.observe(chat, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
  });
}
