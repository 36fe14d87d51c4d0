/**
 * Builds the project's demo/benchmark models (ONNX, seeded random weights, untrained).
 *
 *   npx tsx scripts/build-models.ts [--preset tiny|smollm2-135m-shape] [--out DIR] [--if-missing]
 *
 * --out is the parent folder; each model goes to DIR/<model name>/ (defaults: tiny →
 * public/models, smollm2-135m-shape → bench/models).
 */
import { pathToFileURL } from 'node:url';
import { buildPreset, isPresetName, PRESETS, type BuiltModel } from './onnx/build.ts';

export { buildModel, buildPreset, BUILDER_VERSION, PRESETS, TRIGGER_WORDS } from './onnx/build.ts';
export type { BuiltModel, ModelSpec, PresetName } from './onnx/build.ts';

const USAGE = `usage: build-models.ts [--preset ${Object.keys(PRESETS).join('|')}] [--out DIR] [--if-missing]`;

function formatMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function describe(m: BuiltModel): string {
  const how = m.skipped ? 'up to date' : `built in ${(m.ms / 1000).toFixed(2)} s`;
  return `${m.name}: ${formatMb(m.totalBytes)}, ${how} (${m.dir})`;
}

function main(argv: string[]): number {
  let preset = 'tiny';
  let out: string | undefined;
  let ifMissing = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--preset') preset = argv[++i] ?? '';
    else if (arg === '--out') out = argv[++i];
    else if (arg === '--if-missing') ifMissing = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`unknown argument: ${arg}\n${USAGE}`);
      return 2;
    }
  }
  if (!isPresetName(preset)) {
    console.error(`unknown preset: ${preset}\n${USAGE}`);
    return 2;
  }
  if (out === '') {
    console.error(`--out needs a folder\n${USAGE}`);
    return 2;
  }
  for (const spec of PRESETS[preset].models) {
    const [built] = buildPreset(preset, out, { ifMissing, only: spec.name });
    if (built) console.log(describe(built));
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
