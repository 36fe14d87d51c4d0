/** Command-line options of `npm run eval:learn` (see the header of bench/eval-learn.ts). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainOptions } from '../../workers/learning/adapter-trainer';
import { EVAL_MODELS, type EvalModelName } from './models';

export const PREFERENCES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../preferences');
export const DEFAULT_PREFERENCE = 'no-common-words.json';

export interface EvalArgs {
  models: EvalModelName[];
  /** Preference files (paths). */
  preferences: string[];
  seeds: number;
  ks: number[];
  trainEvery: number;
  /** Held-out prompts per checkpoint; null: the model's default. */
  prompts: number | null;
  /** Null: the model's default. */
  maxNewTokens: number | null;
  json: string | null;
  /** Passed to trainOn (the defaults where absent). */
  train: TrainOptions;
  verbose: boolean;
  /** Experiments (see learner.ts): the end-of-turn token in every sparse row; positives without it. */
  stopInRows: boolean;
  positiveStop: boolean;
  /** Experiment: kept logits per row of a rated reply (null: the app's LEARN_TOP_K). */
  rowsK: number | null;
  /** Control: random thumbs, this share down (null: the simulated user's own). */
  placeboDown: number | null;
}

const USAGE =
  'usage: eval-learn.ts [--model demo|135m|demo,135m] [--preference FILE.json[,FILE.json…]|all] [--seeds N] ' +
  '[--ks 0,10,25,50,100] [--train-every N] [--prompts N] [--max-new-tokens N] [--json out.json] ' +
  '[--lr X] [--l2 X] [--epochs N] [--eps X] [--no-balance] [--verbose] [--stop-in-rows] [--no-positive-stop] [--rows-k N] [--placebo SHARE_DOWN]';

function positiveInt(value: string | undefined, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got ${value}. ${USAGE}`);
  return n;
}

function positiveNumber(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new Error(`${flag} must be a non-negative number, got ${value}. ${USAGE}`);
  return n;
}

function shippedPreferences(): string[] {
  return readdirSync(PREFERENCES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(PREFERENCES_DIR, f));
}

export function parseArgs(argv: string[]): EvalArgs {
  const args: EvalArgs = {
    models: ['demo'],
    preferences: [path.join(PREFERENCES_DIR, DEFAULT_PREFERENCE)],
    seeds: 3,
    ks: [0, 10, 25, 50, 100],
    trainEvery: 1,
    prompts: null,
    maxNewTokens: null,
    json: null,
    train: {},
    verbose: false,
    stopInRows: false,
    positiveStop: true,
    rowsK: null,
    placeboDown: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    if (flag === '--model') {
      args.models = value().split(',').map((m) => {
        if (!(m in EVAL_MODELS)) throw new Error(`--model must be ${Object.keys(EVAL_MODELS).join(', ')} (comma-separated), got ${m}.`);
        return m as EvalModelName;
      });
    } else if (flag === '--preference') {
      const v = value();
      args.preferences = v === 'all' ? shippedPreferences() : v.split(',').map((p) => path.resolve(p));
    } else if (flag === '--seeds') args.seeds = positiveInt(value(), flag);
    else if (flag === '--ks') {
      args.ks = [...new Set(value().split(',').map((k) => positiveInt(k, flag, 0)))].sort((a, b) => a - b);
    } else if (flag === '--train-every') args.trainEvery = positiveInt(value(), flag);
    else if (flag === '--prompts') args.prompts = positiveInt(value(), flag);
    else if (flag === '--max-new-tokens') args.maxNewTokens = positiveInt(value(), flag);
    else if (flag === '--json') args.json = path.resolve(value());
    else if (flag === '--lr') args.train.learningRate = positiveNumber(value(), flag);
    else if (flag === '--l2') args.train.l2 = positiveNumber(value(), flag);
    else if (flag === '--epochs') args.train.epochs = positiveInt(value(), flag);
    else if (flag === '--no-balance') args.train.balance = false;
    else if (flag === '--eps') args.train.epsilon = positiveNumber(value(), flag);
    else if (flag === '--verbose') args.verbose = true;
    else if (flag === '--stop-in-rows') args.stopInRows = true;
    else if (flag === '--no-positive-stop') args.positiveStop = false;
    else if (flag === '--rows-k') args.rowsK = positiveInt(value(), flag);
    else if (flag === '--placebo') {
      args.placeboDown = positiveNumber(value(), flag);
      if (args.placeboDown > 1) throw new Error(`--placebo is the share of random thumbs-down, 0 to 1. ${USAGE}`);
    }
    else throw new Error(`Unknown argument ${flag}. ${USAGE}`);
  }
  // K = 0 is the reference the log-probability change is measured against.
  if (!args.ks.includes(0)) args.ks.unshift(0);
  return args;
}
