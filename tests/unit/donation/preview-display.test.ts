import { describe, expect, it } from 'vitest';
import { KeptSources } from '../../../src/donation/kept-sources';
import { segmentPreview } from '../../../src/donation/preview';
import type { RemainingRisk } from '../../../src/donation/remaining-risks';
import { removedLabel } from '../../../src/ui/donation/format';
import { chunkSegments } from '../../../src/ui/donation/json-chunks';
import { contextParts, riskReasons } from '../../../src/ui/donation/risk-format';

describe('chunkSegments', () => {
  const json = JSON.stringify({ conversations: Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, text: `Hi [PERSON_${i}], call [PHONE_1] about ${'x'.repeat(i * 7)}` })) }, null, 2);

  it('cuts the JSON into chunks of whole lines that join to it exactly', () => {
    const chunks = chunkSegments(segmentPreview(json), 256);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.flatMap((chunk) => chunk.segments.map((s) => s.text)).join('')).toBe(json);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.segments.at(-1)!.text.endsWith('\n')).toBe(true);
    for (const chunk of chunks) expect(chunk.chars).toBe(chunk.segments.reduce((n, s) => n + s.text.length, 0));
  });

  it('never cuts a placeholder, and keeps each one marked', () => {
    const chunks = chunkSegments(segmentPreview(json), 64);
    const marked = chunks.flatMap((chunk) => chunk.segments.filter((s) => s.entity !== undefined).map((s) => s.text));
    expect(marked).toEqual(segmentPreview(json).filter((s) => s.entity !== undefined).map((s) => s.text));
  });

  it('keeps a small bundle in one chunk', () => {
    expect(chunkSegments(segmentPreview('{\n  "a": 1\n}'))).toHaveLength(1);
    expect(chunkSegments([])).toEqual([]);
  });
});

describe('KeptSources', () => {
  it('reads once per key, lets the previous key go, and does not keep a failed read', async () => {
    const kept = new KeptSources<string[]>();
    let reads = 0;
    const read = (value: string) => () => {
      reads += 1;
      return Promise.resolve([value]);
    };
    expect(await kept.get('a', read('first'))).toEqual(['first']);
    expect(await kept.get('a', read('second'))).toEqual(['first']);
    expect(await kept.get('b', read('third'))).toEqual(['third']);
    expect(await kept.get('a', read('fourth'))).toEqual(['fourth']);
    expect(reads).toBe(3);

    await expect(kept.get('c', () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await kept.get('c', read('again'))).toEqual(['again']);
  });
});

describe('how a remaining risk is shown', () => {
  const risk: RemainingRisk = {
    text: 'Springfield',
    reasons: [{ kind: 'after-cue', cue: 'I live in' }, { kind: 'recurring', texts: 3 }],
    context: '…and I live in Springfield, IL…',
  };

  it('says why it is listed, in words', () => {
    expect(riskReasons(risk)).toBe('After “I live in” · looks like a name, in 3 places');
    expect(riskReasons({ ...risk, reasons: [{ kind: 'digits' }] })).toBe('A long number');
  });

  it('cuts its context at the string, so the string can stand out', () => {
    expect(contextParts(risk)).toEqual(['…and I live in ', 'Springfield', ', IL…']);
    expect(contextParts({ ...risk, context: 'elsewhere' })).toEqual(['elsewhere', '', '']);
  });

  it('counts replaced strings with the words the user listed', () => {
    expect(removedLabel('DECLARED_TERM', 2)).toBe('2 words of yours removed');
  });
});
