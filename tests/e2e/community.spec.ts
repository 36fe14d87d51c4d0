import { expect, test, type Request } from '@playwright/test';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { publishArtifact } from '../../collector/community/artifact-files';
import { formatBytes } from '../../src/render/format-bytes';
import { sealArtifact } from '../../workers/shared/community-artifact';
import { closePanels, lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';
import { COLLECTOR_COMMUNITY_DIR, COLLECTOR_URL } from './collector';

/**
 * Issue 21 in the app: Settings → "Start from the community's preferences" downloads the head
 * the local collector publishes (size first, checksum verified), the reward model starts from it,
 * the user's ratings teach it on top, it survives a reload, and Look inside shows both parts.
 * Nothing but the artifact request reaches the collector.
 */

/** A community head for the demo encoder that likes every reply a little (bias +2), so its effect shows. */
async function publishCommunityHead(): Promise<number> {
  const config = JSON.parse(readFileSync(path.join('public/models/demo-encoder-tiny/config.json'), 'utf8')) as { hidden_size: number };
  const featureSize = 3 * config.hidden_size;
  const artifact = await sealArtifact({
    format: 'community-reward-head',
    formatVersion: 1,
    version: 1,
    encoderId: 'demo-encoder-tiny',
    featureVersion: 1,
    featureSize,
    weights: new Array<number>(featureSize).fill(0),
    bias: 2,
    mean: new Array<number>(featureSize).fill(0),
    invStd: new Array<number>(featureSize).fill(1),
    donors: 7,
    ratings: 120,
    minTrust: 0.5,
    createdAt: new Date().toISOString(),
  });
  rmSync(COLLECTOR_COMMUNITY_DIR, { recursive: true, force: true });
  const file = publishArtifact(COLLECTOR_COMMUNITY_DIR, artifact);
  return Buffer.byteLength(readFileSync(file, 'utf8'));
}

test('adopt the community head: size first, then it scores replies, learns on top, and survives a reload', async ({ page }) => {
  test.setTimeout(240_000);
  const bytes = await publishCommunityHead();
  const toCollector: string[] = [];
  page.on('request', (request: Request) => {
    if (request.url().startsWith(COLLECTOR_URL)) toCollector.push(`${request.method()} ${new URL(request.url()).pathname}${request.postData() ? ' with a body' : ''}`);
  });

  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await openSettings(page);
  const community = page.getByTestId('community-prior');
  // The collector address is Donate's; set here without opting in to donation.
  await community.getByText('Change the collector address').click();
  await community.getByLabel('Collector address').fill(COLLECTOR_URL);
  await community.getByRole('button', { name: 'Save address' }).click();
  await expect(community.getByText('Saved', { exact: true })).toBeVisible();
  await community.getByRole('button', { name: "Start from the community's preferences…" }).click();
  await expect(community.getByTestId('community-size')).toHaveText(`Download size: ${formatBytes(bytes)}.`);
  await community.getByRole('button', { name: 'Download and start from it' }).click();
  await expect(community.getByTestId('community-summary')).toContainText("Starting from the community's preferences: version 1, learned from 120 ratings by 7 donors.");
  await expect(community.getByRole('status').filter({ hasText: 'checksum' })).toHaveText(/^Downloaded \d+(\.\d)? KB; checksum verified\.$/);
  await closePanels(page);

  // Before any rating of the user's, the community's opinion scores the reply.
  await sendMessage(page, 'Hello there');
  const reply = lastBotMessage(page);
  await expect(reply).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(reply.getByTestId('reward-badge')).toContainText(/Good reply 8[0-9]%/);
  await reply.getByRole('button', { name: 'Look inside' }).click();
  await expect(reply.getByTestId('look-inside')).toContainText('Community (version 1): leans good (+2.00) · Your ratings: none yet');

  // The user's own rating is learned on top of it.
  await reply.getByRole('button', { name: 'Bad reply' }).click();
  await openSettings(page);
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 1 rating', { timeout: 60_000 });
  await expect(community.getByTestId('community-summary')).toBeVisible();

  await page.reload();
  await openSettings(page);
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 1 rating', { timeout: 60_000 });
  await expect(page.getByTestId('community-prior').getByTestId('community-summary')).toContainText('version 1');

  // Reset to the community's preferences: the rating is forgotten, the community head stays.
  await page.getByRole('button', { name: "Reset to the community's preferences" }).click();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 0 ratings');
  await expect(page.getByTestId('community-prior').getByTestId('community-summary')).toContainText('version 1');

  // Stop using it: back to the user's own (empty) model.
  await page.getByRole('button', { name: 'Stop using it' }).click();
  await expect(page.getByTestId('community-prior').getByTestId('community-summary')).toHaveCount(0);

  // The collector saw the size check and the download, nothing else: no ratings, no chat, no body.
  expect(toCollector).toEqual(['HEAD /community/reward-head/latest', 'GET /community/reward-head/latest']);
});
