/**
 * Points transformers.js at the folder where the builder put a model, for the Node-side
 * benchmarks: the demo in public/models, the test fixtures in .tmp/fixture-models, the 135M
 * shape in bench/models (scripts/onnx/build.ts). Nothing is fetched from a hub.
 */
import { env } from '@huggingface/transformers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The folder that holds `modelId`'s folder. */
export function localModelRoot(modelId: string): string {
  const folder = modelId === 'demo-chat-tiny' ? 'public/models' : modelId.startsWith('fixture-') ? '.tmp/fixture-models' : 'bench/models';
  return path.join(REPO_ROOT, folder);
}

export function useLocalModelFolderFor(modelId: string): void {
  env.allowRemoteModels = false;
  env.localModelPath = `${localModelRoot(modelId)}/`;
}
