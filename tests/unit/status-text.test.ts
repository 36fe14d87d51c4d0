import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/storage/schema';
import { latestDecodeRate, loadPercent, rateText } from '../../src/ui/status/status-text';

const reply = (modelId: string, rate: unknown, role: 'assistant' | 'user' = 'assistant') =>
  ({ id: Math.random().toString(), role, modelId, metrics: { decodeTokensPerSecond: rate } }) as unknown as StoredMessage;

describe('the one-line model status', () => {
  it('shows the speed of the newest reply by the model in use, skipping other models and damaged figures', () => {
    const thread = [reply('demo', 30), reply('other', 12), reply('demo', Number.NaN), reply('x', 5, 'user')];
    expect(latestDecodeRate(thread, 'demo')).toBe(30);
    expect(latestDecodeRate(thread, 'other')).toBe(12);
    expect(latestDecodeRate(thread, 'none')).toBeNull();
    expect(latestDecodeRate([], 'demo')).toBeNull();
  });

  it('reads speeds as whole tokens per second, with a decimal below 10', () => {
    expect(rateText(44.4)).toBe('44 tok/s');
    expect(rateText(7.25)).toBe('7.3 tok/s');
  });

  it('adds the loading files up to one percentage, counting a finished file whole', () => {
    expect(loadPercent([])).toBeNull();
    expect(loadPercent([{ file: 'a', loaded: 0, total: 0, done: false }])).toBeNull();
    expect(loadPercent([
      { file: 'config.json', loaded: 10, total: 100, done: true },
      { file: 'model.onnx', loaded: 150, total: 300, done: false },
    ])).toBe(62);
  });
});
