/** Switching the chat model and falling back when it fails (src/inference/model-switch.ts). */
import { describe, expect, it } from 'vitest';
import { switchModel, type SwitchSteps } from '../../src/inference/model-switch';

type Model = { label: string };
const demo: Model = { label: 'Demo' };
const qwen: Model = { label: 'Qwen' };
const llama: Model = { label: 'Llama' };

function steps(failures: Record<string, string>, options: { cancelled?: boolean } = {}) {
  const log: string[] = [];
  const s: SwitchSteps<Model> = {
    load: async (m) => {
      log.push(`load ${m.label}`);
      return failures[m.label] ?? null;
    },
    purge: async (m, cancelled) => void log.push(`purge ${m.label}${cancelled ? ' (cancelled)' : ''}`),
    freshWorker: () => void log.push('fresh worker'),
    save: async () => void log.push('save'),
    cancelled: () => options.cancelled ?? false,
    same: (a, b) => a.label === b.label,
  };
  return { s, log };
}

describe('switching models', () => {
  it('loads the new model and remembers it', async () => {
    const { s, log } = steps({});
    const outcome = await switchModel({ to: qwen, previous: demo, demo, fresh: false }, s);
    expect(outcome).toEqual({ ok: true, inUse: qwen, error: null, notice: null });
    expect(log).toEqual(['load Qwen', 'save']);
  });

  it('a fresh download that fails is purged, a fresh worker loads the previous model, and the error says both', async () => {
    const { s, log } = steps({ Qwen: 'The file onnx/model_q4f16.onnx is damaged.' });
    const outcome = await switchModel({ to: qwen, previous: llama, demo, fresh: true }, s);
    expect(log).toEqual(['load Qwen', 'purge Qwen', 'fresh worker', 'load Llama', 'save']);
    expect(outcome).toMatchObject({ ok: false, inUse: llama, notice: null });
    expect(outcome.error).toBe('The file onnx/model_q4f16.onnx is damaged. Nothing of it was kept. Llama is loaded again.');
  });

  it('falls back to the demo when the model that failed is the one that ran before', async () => {
    const { s } = steps({ Qwen: 'Out of memory.' });
    const outcome = await switchModel({ to: qwen, previous: qwen, demo, fresh: false }, s);
    expect(outcome.inUse).toBe(demo);
    expect(outcome.error).toBe('Out of memory. Demo is loaded again.');
  });

  it('a cancelled download is a notice, not an error, and keeps the worker', async () => {
    const { s, log } = steps({ Qwen: 'cancelled' }, { cancelled: true });
    const outcome = await switchModel({ to: qwen, previous: demo, demo, fresh: true }, s);
    expect(log).not.toContain('fresh worker');
    expect(log).toContain('purge Qwen (cancelled)');
    expect(outcome).toMatchObject({ ok: false, inUse: demo, error: null, notice: 'Download of Qwen cancelled; nothing of it was kept. Demo is loaded again.' });
  });

  it('says so when the fallback fails too', async () => {
    const { s } = steps({ Qwen: 'Damaged.', Llama: 'Gone.' });
    const outcome = await switchModel({ to: qwen, previous: llama, demo, fresh: false }, s);
    expect(outcome.error).toBe('Damaged. Loading Llama failed too: Gone.');
  });
});
