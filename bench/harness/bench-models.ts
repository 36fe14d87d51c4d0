/** The chat models the browser benchmarks run, by the name their `--model(s)` flags take. */
import type { PresetName } from '../../scripts/onnx/build';

export interface BenchModel {
  /** transformers.js folder name, served to the raw pages under /models/. */
  folder: string;
  dir: string;
  /** npm arguments that build it when it is missing. */
  build: string[];
  /** The builder preset it comes from: path (d) and the levers rebuild from the same seed. */
  preset: PresetName;
  /** The app gets it from a mirror host under this repo id; absent for the built-in demo model. */
  hostedRepo?: string;
}

export const BENCH_MODELS: Record<string, BenchModel> = {
  tiny: { folder: 'demo-chat-tiny', dir: 'public/models/demo-chat-tiny', build: ['run', 'models'], preset: 'tiny' },
  'smollm2-135m-shape': {
    folder: 'bench-chat-smollm2-135m-shape',
    dir: 'bench/models/bench-chat-smollm2-135m-shape',
    build: ['run', 'models:bench'],
    preset: 'smollm2-135m-shape',
    hostedRepo: 'bench/smollm2-135m-shape',
  },
};
