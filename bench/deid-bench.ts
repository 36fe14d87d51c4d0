/**
 * Evaluates the donation de-identifier (src/donation/deid): first how much it removes from the
 * hand-labelled set bench/deid-data/labelled.jsonl (recall per category and group, and the share
 * of clean messages left unchanged, against the targets of issue 16), then how fast it is on
 * generated text (deid-eval/speed.ts). It is an evaluation, not a test: it exits 0 whatever the
 * figures; only bad arguments or an unreadable data file exit 2.
 *
 *   npm run bench:deid                          recall table, then speed
 *   npm run bench:deid -- --misses              also every miss, partial removal and changed clean message
 *   npm run bench:deid -- --json out.json       also the figures and misses as JSON
 *   npm run bench:deid -- --data other.jsonl    another labelled file of the same format
 *   npm run bench:deid -- --no-speed            recall only
 *   npm run bench:deid -- --speed-only --mb 1 --seed 7
 */
import path from 'node:path';
import { createDeidentifier } from '../src/donation/deid';
import { LABELLED_SET_PATH, loadLabelledSet, type LabelledMessage } from './deid-eval/labelled-set';
import { printMisses, printSummary, writeJsonReport } from './deid-eval/report';
import { evaluate, summarise } from './deid-eval/score';
import { DEFAULT_SPEED_OPTIONS, measureSpeed, type SpeedOptions } from './deid-eval/speed';

const USAGE = 'usage: deid-bench.ts [--misses] [--json FILE] [--data FILE] [--no-speed | --speed-only] [--mb N] [--seed N]';
const EXIT_BAD_INPUT = 2;

interface Options {
  misses: boolean;
  json?: string;
  data: string;
  recall: boolean;
  speed: boolean;
  speedOptions: SpeedOptions;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { misses: false, data: LABELLED_SET_PATH, recall: true, speed: true, speedOptions: { ...DEFAULT_SPEED_OPTIONS } };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const value = () => {
      const next = args[(i += 1)];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--misses') options.misses = true;
    else if (arg === '--json') options.json = value();
    else if (arg === '--data') options.data = value();
    else if (arg === '--no-speed') options.speed = false;
    else if (arg === '--speed-only') options.recall = false;
    else if (arg === '--mb' || arg === '--seed') {
      const number = Number(value());
      if (arg === '--mb' && number > 0) options.speedOptions.mb = number;
      else if (arg === '--seed' && Number.isInteger(number)) options.speedOptions.seed = number;
      else throw new Error(`bad value for ${arg}`);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (!options.recall && !options.speed) throw new Error('--no-speed and --speed-only leave nothing to do');
  return options;
}

function main(): number {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`deid-bench: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  if (options.recall) {
    let messages: LabelledMessage[];
    try {
      messages = loadLabelledSet(options.data);
    } catch (error) {
      process.stderr.write(`deid-bench: ${(error as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    const evaluation = evaluate(messages, () => createDeidentifier());
    const summary = summarise(evaluation);
    const shownPath = path.relative(process.cwd(), options.data);
    printSummary(summary, evaluation, shownPath);
    if (options.misses) printMisses(evaluation);
    else console.log('\n(--misses lists what was missed and which clean messages changed)');
    if (options.json !== undefined) {
      writeJsonReport(options.json, summary, evaluation, shownPath);
      console.log(`wrote ${options.json}`);
    }
  }
  if (options.speed) {
    if (options.recall) console.log('');
    measureSpeed(options.speedOptions);
  }
  return 0;
}

process.exitCode = main();
