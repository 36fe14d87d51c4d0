import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';
import { windowsOf } from '../../../src/donation/deid/text-windows';

describe('windowsOf', () => {
  it('leaves short text whole', () => {
    expect(windowsOf('short text', 0, 10, 100, 10)).toEqual([{ start: 0, end: 10 }]);
  });

  it('cuts at spaces, overlapping, and covers every character', () => {
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const windows = windowsOf(text, 0, text.length, 50, 12);
    expect(windows.length).toBeGreaterThan(5);
    expect(windows[0]!.start).toBe(0);
    expect(windows.at(-1)!.end).toBe(text.length);
    for (const [i, window] of windows.entries()) {
      expect(window.end - window.start).toBeLessThanOrEqual(50);
      if (i > 0) {
        // Overlapping the previous window, and starting on a word.
        expect(window.start).toBeLessThan(windows[i - 1]!.end);
        expect(text[window.start - 1]).toBe(' ');
      }
      if (i < windows.length - 1) expect(text[window.end]).toBe(' ');
    }
  });

  it('cuts hard when there is no space to cut at', () => {
    expect(windowsOf('x'.repeat(25), 0, 25, 10, 3)).toEqual([{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 25 }]);
  });
});

describe('long inputs', () => {
  it('finds every number of a long comma-separated list', () => {
    const text = Array.from({ length: 300 }, () => '212-555-0143').join(', ');
    const entities = findEntities(text);
    expect(entities).toHaveLength(300);
    expect(entities.every((entity) => entity.type === 'PHONE' && text.slice(entity.start, entity.end) === '212-555-0143')).toBe(true);
  });

  it('finds names deep inside a sentence that never ends', () => {
    const filler = 'and then we talked about the weather ';
    const text = `${filler.repeat(60)}with Kwame Mensah ${filler.repeat(60)}and Sarah`;
    expect(findEntities(text).map((entity) => text.slice(entity.start, entity.end))).toEqual(['Kwame Mensah', 'Sarah']);
  });
});
