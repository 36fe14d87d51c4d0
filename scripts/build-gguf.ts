/**
 * Writes a preset's chat model as a llama.cpp GGUF (q8_0), from the same seed as its ONNX files,
 * for the benchmark's wllama path (d). Not part of the app: nothing it serves is GGUF.
 *
 *   npx tsx scripts/build-gguf.ts [--preset tiny|smollm2-135m-shape] [--out DIR] [--if-missing]
 *
 * Writes DIR/<model name>/model-q8_0.gguf (default DIR: .tmp/gguf) and a build-info.json beside it.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILDER_VERSION, isPresetName, PRESETS, type PresetName } from './onnx/build.ts';
import { writeLlamaGguf, type SpmTokenizerJson } from './onnx/llama-gguf.ts';
import { makeLlamaWeights } from './onnx/llama.ts';
import { seedFor } from './onnx/rng.ts';
import { chatTokenizer } from './onnx/tokenizer.ts';

export const GGUF_FILE = 'model-q8_0.gguf';
export const DEFAULT_GGUF_DIR = '.tmp/gguf';

interface GgufBuildInfo {
  builder_version: number;
  preset: string;
  seed: number;
  bytes: number;
}

/** Builds (or with `ifMissing` reuses) the GGUF of a preset's chat model; returns its path. */
export function buildGguf(preset: PresetName, outDir = DEFAULT_GGUF_DIR, ifMissing = false): { path: string; bytes: number; skipped: boolean } {
  const p = PRESETS[preset];
  const spec = p.models.find((m) => m.kind === 'chat');
  if (!spec || spec.kind !== 'chat') throw new Error(`preset ${preset} has no chat model`);
  if (spec.shape?.tokenizer) throw new Error(`${spec.name}: only the LLaMA-2 SentencePiece vocabulary is written as GGUF`);
  const dir = join(outDir, spec.name);
  const path = join(dir, GGUF_FILE);
  const seed = seedFor(p.seed, spec.name);
  const infoPath = join(dir, 'build-info.json');
  if (ifMissing && existsSync(infoPath) && existsSync(path)) {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as GgufBuildInfo;
    if (info.builder_version === BUILDER_VERSION && info.seed === seed && statSync(path).size === info.bytes) {
      return { path, bytes: info.bytes, skipped: true };
    }
  }
  mkdirSync(dir, { recursive: true });
  const weights = makeLlamaWeights(spec.dims, seed);
  const bytes = writeLlamaGguf(path, spec.name, spec.dims, weights, chatTokenizer().tokenizer as SpmTokenizerJson);
  const info: GgufBuildInfo = { builder_version: BUILDER_VERSION, preset, seed, bytes };
  writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
  return { path, bytes, skipped: false };
}

function main(): number {
  const { values } = parseArgs({
    options: { preset: { type: 'string', default: 'tiny' }, out: { type: 'string' }, 'if-missing': { type: 'boolean', default: false } },
  });
  if (!isPresetName(values.preset!)) {
    console.error(`unknown preset: ${values.preset}; known: ${Object.keys(PRESETS).join(', ')}`);
    return 2;
  }
  const started = performance.now();
  const built = buildGguf(values.preset, values.out, values['if-missing']);
  const how = built.skipped ? 'up to date' : `built in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  console.log(`${built.path}: ${(built.bytes / 1e6).toFixed(1)} MB, ${how}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
