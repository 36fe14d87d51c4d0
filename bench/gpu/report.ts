/** The markdown summary of a GPU bench run: one row per graph, WebGPU beside WASM, and their ratio. */
import type { Dtype, MeasureResult } from './measure';
import type { AdapterReport } from './webgpu-in-node';

export interface StepOutcome {
  backend: 'webgpu' | 'wasm';
  dtype: Dtype;
  ok: boolean;
  result?: MeasureResult;
  error?: string;
  wallMs: number;
}

export interface ReportInput {
  title: string;
  machine: string;
  adapter: AdapterReport | null;
  webgpuDiagnosis: string;
  steps: StepOutcome[];
}

const fixed = (n: number | undefined, digits = 1) => (n === undefined ? '—' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : '—');

export function markdownReport(input: ReportInput): string {
  const dtypes = [...new Set(input.steps.map((s) => s.dtype))];
  const pick = (backend: 'webgpu' | 'wasm', dtype: Dtype) => input.steps.find((s) => s.backend === backend && s.dtype === dtype)?.result;
  const a = input.adapter;
  const lines = [
    input.title,
    `Machine: ${input.machine}`,
    `WebGPU adapter: ${a ? `${a.vendor} ${a.architecture} ${a.device} ${a.description}`.replace(/\s+/g, ' ').trim() + (a.isFallbackAdapter ? ' (fallback adapter)' : '') : 'none'}`,
    `WebGPU status: ${input.webgpuDiagnosis}`,
    '',
    '| graph | GPU TTFT ms | GPU prefill tok/s | GPU decode tok/s | CPU TTFT ms | CPU prefill tok/s | CPU decode tok/s | prefill GPU÷CPU | decode GPU÷CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...dtypes.map((dtype) => {
      const g = pick('webgpu', dtype);
      const c = pick('wasm', dtype);
      return `| ${dtype} | ${fixed(g?.ttftMs)} | ${fixed(g?.prefillTokensPerSecond)} | ${fixed(g?.decodeTokensPerSecond)} | ${fixed(c?.ttftMs)} | ${fixed(c?.prefillTokensPerSecond)} | ${fixed(c?.decodeTokensPerSecond)} | ${ratio(g?.prefillTokensPerSecond, c?.prefillTokensPerSecond)} | ${ratio(g?.decodeTokensPerSecond, c?.decodeTokensPerSecond)} |`;
    }),
  ];
  const failed = input.steps.filter((s) => !s.ok);
  if (failed.length) {
    lines.push('', 'Failed steps:');
    for (const s of failed) lines.push(`- ${s.backend} ${s.dtype}: ${(s.error ?? 'unknown').split('\n')[0]}`);
  }
  return `${lines.join('\n')}\n`;
}
