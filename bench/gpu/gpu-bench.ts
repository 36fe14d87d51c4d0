/**
 * Decode and prefill of the chat model on a GPU server, in Node, with no browser (issue 7, item 4):
 * onnxruntime-web's WebGPU EP on Dawn (the `webgpu` package) against onnxruntime-web's WASM EP
 * with all cores on the same machine, in the raw greedy loop of bench/runtime/greedy-loop.ts.
 * Bundled by bench/gpu/pack.sh; run by bench/gpu/run-on-server.sh (see bench/gpu/README.md).
 *
 *   node gpu-bench.mjs --runtime DIR --out DIR [--model smollm2-135m-shape|tiny] [--dtypes q8,q4,fp32]
 *        [--backends webgpu,wasm] [--prompt 128] [--tokens 64] [--runs 3] [--threads N]
 *        [--time-limit-s 450] [--system-info FILE]
 *   node gpu-bench.mjs --build-only --models-dir DIR [--model ...]
 *
 * Each measurement runs in a child process of this same script (see measure.ts for why); a
 * child that hangs or crashes costs its step, not the run, and the JSON is rewritten after
 * every step so that a run cut short still reports what it measured.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPreset, type PresetName } from '../../scripts/onnx/build.ts';
import { GRAPH_FILE, measure, probe, type Backend, type Dtype, type MeasureResult, type MeasureSpec } from './measure';
import { markdownReport, type StepOutcome } from './report';
import type { AdapterReport } from './webgpu-in-node';

const MODELS: Record<string, { preset: PresetName; name: string }> = {
  'smollm2-135m-shape': { preset: 'smollm2-135m-shape', name: 'bench-chat-smollm2-135m-shape' },
  tiny: { preset: 'tiny', name: 'demo-chat-tiny' },
};
const DTYPES: readonly Dtype[] = ['q8', 'q4', 'fp32'];
const BACKENDS: readonly Backend[] = ['webgpu', 'wasm'];
/** onnxruntime-web with one thread starves Node's macrotasks and Dawn's promises never settle. */
const MIN_GPU_THREADS = 2;

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    runtime: { type: 'string', default: here },
    out: { type: 'string', default: 'gpu-bench-out' },
    'models-dir': { type: 'string' },
    model: { type: 'string', default: 'smollm2-135m-shape' },
    dtypes: { type: 'string', default: DTYPES.join(',') },
    backends: { type: 'string', default: BACKENDS.join(',') },
    prompt: { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'gpu-threads': { type: 'string', default: '4' },
    'time-limit-s': { type: 'string', default: '450' },
    'system-info': { type: 'string' },
    'build-only': { type: 'boolean', default: false },
    'child-measure': { type: 'string' },
    'child-probe': { type: 'boolean', default: false },
    result: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  return n;
}

function listOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  const items = (value ?? '').split(',').filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) fail(`--${name}: ${item} is not one of ${allowed.join(', ')}`);
  return items as T[];
}

/** Ends a child after its result is on disk: onnxruntime-web's threads make process.exit hang. */
function finishChild(resultFile: string, payload: unknown): never {
  writeFileSync(resultFile, JSON.stringify(payload));
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message}${error.stack ? `\n${error.stack}` : ''}` : String(error);
}

async function childMain(): Promise<void> {
  const resultFile = args.result ?? fail('--result is required in a child');
  try {
    if (args['child-probe']) finishChild(resultFile, { ok: true, adapter: await probe(args.runtime!) });
    const spec = JSON.parse(args['child-measure']!) as MeasureSpec;
    finishChild(resultFile, { ok: true, result: await measure(spec) });
  } catch (error) {
    finishChild(resultFile, { ok: false, error: errorText(error) });
  }
}

interface ChildOutcome<T> {
  ok: boolean;
  value?: T;
  error?: string;
  stderrTail: string;
  wallMs: number;
}

/** Runs this script as a child with `childArgs`; kills it at `timeoutMs`. Never throws. */
function runChild<T>(label: string, childArgs: string[], timeoutMs: number, resultFile: string): Promise<ChildOutcome<T>> {
  rmSync(resultFile, { force: true });
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...childArgs, '--result', resultFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const forward = (chunk: Buffer) => {
      const text = chunk.toString();
      process.stderr.write(text.replace(/^(?=.)/gm, `  [${label}] `));
      tail = (tail + text).slice(-3000);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (existsSync(resultFile)) {
        const parsed = JSON.parse(readFileSync(resultFile, 'utf8')) as { ok: boolean; result?: T; adapter?: T; error?: string };
        done({ ok: parsed.ok, value: parsed.result ?? parsed.adapter, error: parsed.error, stderrTail: tail, wallMs });
      } else {
        const why = timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exited (code ${code}, signal ${signal}) without a result`;
        done({ ok: false, error: why, stderrTail: tail, wallMs });
      }
    });
  });
}

function machineLine(): string {
  return `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
}

/** How many leading tokens two runs share: greedy decoding of the same graph should agree. */
function agreement(a: number[] | undefined, b: number[] | undefined): string | null {
  if (!a?.length || !b?.length) return null;
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  return `${same}/${Math.min(a.length, b.length)}`;
}

function ortVersion(runtimeDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(runtimeDir, 'manifest.json'), 'utf8')) as { onnxruntimeWeb?: string }).onnxruntimeWeb ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function parentMain(): Promise<void> {
  const deadline = performance.now() + positiveInt('time-limit-s', args['time-limit-s']) * 1000;
  const modelKey = args.model!;
  const model = MODELS[modelKey] ?? fail(`--model must be one of ${Object.keys(MODELS).join(', ')}`);
  const runtimeDir = resolve(args.runtime!);
  const modelsDir = resolve(args['models-dir'] ?? join(runtimeDir, 'models'));
  const dtypes = listOf('dtypes', args.dtypes, DTYPES);
  const backends = listOf('backends', args.backends, BACKENDS);
  const promptTokens = positiveInt('prompt', args.prompt);
  const newTokens = positiveInt('tokens', args.tokens);
  const runs = positiveInt('runs', args.runs);
  const cpuThreads = positiveInt('threads', args.threads);
  const gpuThreads = Math.max(MIN_GPU_THREADS, positiveInt('gpu-threads', args['gpu-threads']));
  const outDir = resolve(args.out!);
  mkdirSync(outDir, { recursive: true });

  console.error(`building ${model.name} into ${modelsDir} (skipped when up to date)…`);
  const builtAt = performance.now();
  const [built] = buildPreset(model.preset, modelsDir, { ifMissing: true, only: model.name });
  if (!built) fail(`the builder produced no ${model.name}`);
  const buildMs = performance.now() - builtAt;
  console.error(`model ready in ${(buildMs / 1000).toFixed(1)} s: ${built.dir}`);

  const title = `GPU bench: ${modelKey}, onnxruntime-web ${ortVersion(runtimeDir)} (asyncify build) in Node, raw greedy loop, prompt ${promptTokens} → ${newTokens} new tokens, median of ${runs}; GPU = WebGPU EP on Dawn (webgpu npm, Vulkan), CPU = WASM EP with ${cpuThreads} threads`;
  const steps: StepOutcome[] = [];
  let adapter: AdapterReport | null = null;
  let webgpuDiagnosis = 'not tried';
  const probeLog: { ok: boolean; error?: string; stderrTail: string } = { ok: false, stderrTail: '' };
  const systemInfo = args['system-info'] && existsSync(args['system-info']) ? readFileSync(args['system-info'], 'utf8') : null;
  const remaining = () => deadline - performance.now();

  const write = () => {
    const report = markdownReport({ title, machine: machineLine(), adapter, webgpuDiagnosis, steps });
    const json = {
      kind: 'gpu-bench',
      model: modelKey,
      measuredAt: new Date().toISOString(),
      machine: machineLine(),
      runtime: `onnxruntime-web ${ortVersion(runtimeDir)}, asyncify build, Node ${process.version}`,
      promptTokens,
      newTokens,
      runs,
      cpuThreads,
      gpuThreads,
      modelBuildMs: buildMs,
      graphs: Object.fromEntries(dtypes.map((d) => [d, GRAPH_FILE[d]])),
      webgpu: { adapter, diagnosis: webgpuDiagnosis, probe: probeLog },
      results: steps.map(({ result, ...rest }) => ({ ...rest, ...(result ? { result: { ...result, tokens: undefined } } : {}) })),
      tokenAgreement: Object.fromEntries(
        dtypes.map((d) => [
          d,
          agreement(
            steps.find((s) => s.dtype === d && s.backend === 'webgpu')?.result?.tokens,
            steps.find((s) => s.dtype === d && s.backend === 'wasm')?.result?.tokens,
          ),
        ]),
      ),
      systemInfo,
      markdown: report,
    };
    writeFileSync(join(outDir, 'gpu-bench.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(outDir, 'gpu-bench.md'), report);
    return report;
  };

  if (backends.includes('webgpu')) {
    const outcome = await runChild<AdapterReport | null>('probe', ['--child-probe', '--runtime', runtimeDir], Math.min(60_000, remaining()), join(outDir, '.probe.json'));
    Object.assign(probeLog, { ok: outcome.ok, error: outcome.error, stderrTail: outcome.stderrTail });
    adapter = outcome.value ?? null;
    if (!outcome.ok) webgpuDiagnosis = `dawn.node failed to load or probe: ${(outcome.error ?? '').split('\n')[0]}`;
    else if (!adapter) {
      const vulkan = /Couldn't load Vulkan[^\n]*/.exec(outcome.stderrTail)?.[0];
      webgpuDiagnosis = `no WebGPU adapter: ${vulkan ?? 'Dawn found no usable Vulkan device (is the NVIDIA Vulkan ICD present? see systemInfo)'}`;
    } else webgpuDiagnosis = adapter.isFallbackAdapter ? 'fallback (software) adapter only' : 'ok';
    console.error(`WebGPU: ${webgpuDiagnosis}`);
  }
  write();

  for (const dtype of dtypes) {
    for (const backend of backends) {
      if (backend === 'webgpu' && !adapter) {
        steps.push({ backend, dtype, ok: false, error: `skipped: ${webgpuDiagnosis}`, wallMs: 0 });
        continue;
      }
      if (remaining() < 15_000) {
        steps.push({ backend, dtype, ok: false, error: 'skipped: out of time', wallMs: 0 });
        continue;
      }
      const spec: MeasureSpec = {
        backend,
        dtype,
        modelDir: built.dir,
        runtimeDir,
        threads: backend === 'webgpu' ? gpuThreads : cpuThreads,
        promptTokens,
        newTokens,
        runs,
      };
      console.error(`measuring ${backend} ${dtype} (${spec.threads} threads)…`);
      const outcome = await runChild<MeasureResult>(`${backend} ${dtype}`, ['--child-measure', JSON.stringify(spec), '--runtime', runtimeDir], remaining() - 5_000, join(outDir, '.step.json'));
      steps.push({
        backend,
        dtype,
        ok: outcome.ok,
        result: outcome.value,
        error: outcome.ok ? undefined : `${outcome.error ?? ''}\n--- stderr tail ---\n${outcome.stderrTail}`,
        wallMs: outcome.wallMs,
      });
      write();
    }
  }
  rmSync(join(outDir, '.probe.json'), { force: true });
  rmSync(join(outDir, '.step.json'), { force: true });
  console.log(write());
}

async function buildOnly(): Promise<void> {
  const model = MODELS[args.model!] ?? fail(`--model must be one of ${Object.keys(MODELS).join(', ')}`);
  const dir = resolve(args['models-dir'] ?? 'models');
  const started = performance.now();
  const [built] = buildPreset(model.preset, dir, { ifMissing: true, only: model.name });
  console.log(`${built?.dir}: ${built?.skipped ? 'up to date' : 'built'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (args['child-measure'] || args['child-probe']) await childMain();
else if (args['build-only']) await buildOnly();
else await parentMain();
