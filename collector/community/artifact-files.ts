/**
 * Published community artifacts on disk: `<dir>/reward-head-v<N>.json` and, per chat model,
 * `<dir>/adapter-<model>-v<N>.json`, each written whole and then renamed, so a reader never sees
 * half a file. The highest N is the latest. The folder holds only artifacts (no bundle, no donor,
 * no trust report), and the collector serves it read-only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommunityAdapter, CommunityRewardHead } from '../../workers/shared/community-artifact';

const HEAD_PREFIX = 'reward-head';

/** A model id as a file-name part: `HuggingFaceTB/SmolLM2-135M-Instruct` → `HuggingFaceTB_SmolLM2-135M-Instruct`. */
export function adapterPrefix(modelId: string): string {
  return `adapter-${modelId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

export function artifactFileName(version: number, prefix = HEAD_PREFIX): string {
  return `${prefix}-v${version}.json`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The latest published artifact's file and text (the reward head, or another prefix's), or undefined. */
export function latestArtifactFile(dir: string, prefix = HEAD_PREFIX): { file: string; version: number; text: string } | undefined {
  if (!existsSync(dir)) return undefined;
  const pattern = new RegExp(`^${escape(prefix)}-v(\\d+)\\.json$`);
  let best: { file: string; version: number } | undefined;
  for (const name of readdirSync(dir)) {
    const match = pattern.exec(name);
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

/** The version the next adapter of `modelId` gets. */
export function nextAdapterVersion(dir: string, modelId: string): number {
  return (latestArtifactFile(dir, adapterPrefix(modelId))?.version ?? 0) + 1;
}

export function publishAdapter(dir: string, artifact: CommunityAdapter): string {
  return publish(dir, artifactFileName(artifact.version, adapterPrefix(artifact.modelId)), artifact);
}

export function publishArtifact(dir: string, artifact: CommunityRewardHead): string {
  return publish(dir, artifactFileName(artifact.version), artifact);
}

function publish(dir: string, name: string, artifact: CommunityRewardHead | CommunityAdapter): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  if (existsSync(file)) throw new Error(`${file} exists already; versions are never overwritten`);
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(artifact)}\n`);
  renameSync(partial, file);
  return file;
}
