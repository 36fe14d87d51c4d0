/**
 * Published community heads on disk: `<dir>/reward-head-v<N>.json`, written whole and then
 * renamed, so a reader never sees half a file. The highest N is the latest. The folder holds only
 * artifacts (no bundle, no donor, no trust report), and the collector serves it read-only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommunityRewardHead } from '../../workers/shared/community-artifact';

const NAME = /^reward-head-v(\d+)\.json$/;

export function artifactFileName(version: number): string {
  return `reward-head-v${version}.json`;
}

/** The latest published artifact's file and text, or undefined when none was published. */
export function latestArtifactFile(dir: string): { file: string; version: number; text: string } | undefined {
  if (!existsSync(dir)) return undefined;
  let best: { file: string; version: number } | undefined;
  for (const name of readdirSync(dir)) {
    const match = NAME.exec(name);
    if (!match) continue;
    const version = Number(match[1]);
    if (!best || version > best.version) best = { file: path.join(dir, name), version };
  }
  return best && { ...best, text: readFileSync(best.file, 'utf8') };
}

export function readLatestArtifact(dir: string): CommunityRewardHead | null {
  const latest = latestArtifactFile(dir);
  return latest ? (JSON.parse(latest.text) as CommunityRewardHead) : null;
}

export function publishArtifact(dir: string, artifact: CommunityRewardHead): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, artifactFileName(artifact.version));
  if (existsSync(file)) throw new Error(`${file} exists already; versions are never overwritten`);
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(artifact)}\n`);
  renameSync(partial, file);
  return file;
}
