/**
 * Measures the two UI figures of issue 7 against a served build and prints them:
 *   main thread while a reply streams (target: no task over 50 ms for 500 tokens), and
 *   time to see the conversation list with 10 and 1,000 conversations (target: ratio ≤ 1.5).
 *
 *   DIST_DIR=$PWD/dist-x PORT=4320 node scripts/serve.mjs &
 *   APP_URL=http://127.0.0.1:4320 npx tsx bench/app/check-ui.ts [--tokens 500] [--runs 5] [--skip-stream] [--skip-list] [--cold-fonts]
 */
import { chromium, type Page } from '@playwright/test';
import { openReadyApp } from '../../tests/e2e/app';
import { seedConversations, timeToOpenConversationList, type ListOpenTiming } from './conversation-list';
import { longestTaskWhileStreaming } from './main-thread';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const baseURL = process.env.APP_URL ?? 'http://127.0.0.1:4320';
const tokens = option('tokens', 500);
const runs = option('runs', 5);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Times opening the list with `counts` conversations, interleaved run by run (seed, time, next
 * count), so a busy machine's drift falls on every count alike; returns the median per count.
 */
async function measureListOpen(page: Page, counts: number[]): Promise<Map<number, { ms: number; rendered: number; conversations: number; all: number[] }>> {
  const timings = new Map<number, ListOpenTiming[]>(counts.map((count) => [count, []]));
  for (let run = 0; run < runs; run++) {
    for (const count of counts) {
      await seedConversations(page, count);
      timings.get(count)!.push(await timeToOpenConversationList(page));
    }
  }
  return new Map(counts.map((count) => {
    const all = timings.get(count)!;
    return [count, { ms: median(all.map((t) => t.ms)), rendered: all[0]!.rendered, conversations: all[0]!.conversations, all: all.map((t) => t.ms) }];
  }));
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  console.log(`app ${baseURL}: backend ${await openReadyApp(page)}`);

  if (!args.includes('--skip-stream')) {
    // The demo model has random weights and may stop at EOS early: send until `tokens` streamed.
    let streamed = 0;
    let longest = 0;
    let over = 0;
    let streamMs = 0;
    for (let message = 0; message < 8 && streamed < tokens; message++) {
      const figures = await longestTaskWhileStreaming(page, { tokens, warmFontsFrom: args.includes('--cold-fonts') ? false : undefined });
      console.log(`  message ${message + 1}:`, JSON.stringify(figures));
      streamed += figures.streamedTokens;
      longest = Math.max(longest, figures.longestTaskMs);
      over += figures.tasksOver50ms;
      streamMs += figures.streamMs;
    }
    console.log(`streaming ${streamed} tokens in ${streamMs} ms: longest main-thread task ${longest} ms, ${over} tasks ≥ 50 ms (target: none)`);
  }

  if (!args.includes('--skip-list')) {
    const byCount = await measureListOpen(page, [10, 1000]);
    const few = byCount.get(10)!;
    const many = byCount.get(1000)!;
    console.log(`list open, 10 conversations: ${few.ms} ms (runs ${few.all.join(', ')}), ${few.rendered} rows rendered of ${few.conversations}`);
    console.log(`list open, 1000 conversations: ${many.ms} ms (runs ${many.all.join(', ')}), ${many.rendered} rows rendered of ${many.conversations}`);
    console.log(`ratio 1000 ÷ 10: ${(many.ms / few.ms).toFixed(2)} (target ≤ 1.5)`);
  }
  await context.close();
} finally {
  await browser.close();
}
