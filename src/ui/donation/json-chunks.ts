import type { PreviewSegment } from '../../donation/donation-store-api';

/** A run of whole lines of the preview JSON, shown as one block. */
export interface JsonChunk {
  segments: PreviewSegment[];
  /** Its size, for the height it is given before the browser lays it out. */
  lines: number;
  chars: number;
}

/**
 * The preview's segments cut into chunks of about `size` characters, each ending at a line end,
 * so that each chunk can be its own block without changing what is shown: the page then lays
 * out only the chunks in view, and adds them a few at a time (PreviewJson.svelte). Placeholders
 * are never cut; joined, the chunks' texts are the JSON exactly.
 */
export function chunkSegments(segments: readonly PreviewSegment[], size = 16_384): JsonChunk[] {
  const chunks: JsonChunk[] = [];
  let current: JsonChunk = { segments: [], lines: 0, chars: 0 };
  const close = () => {
    if (current.segments.length > 0) chunks.push(current);
    current = { segments: [], lines: 0, chars: 0 };
  };
  const append = (segment: PreviewSegment) => {
    current.segments.push(segment);
    current.chars += segment.text.length;
    for (let at = segment.text.indexOf('\n'); at >= 0; at = segment.text.indexOf('\n', at + 1)) current.lines += 1;
  };
  for (const segment of segments) {
    if (segment.entity !== undefined) {
      append(segment);
      continue;
    }
    let text = segment.text;
    for (;;) {
      const lineEnd = text.indexOf('\n', Math.max(0, size - current.chars - 1));
      if (lineEnd < 0) break;
      append({ text: text.slice(0, lineEnd + 1) });
      close();
      text = text.slice(lineEnd + 1);
    }
    if (text !== '') append({ text });
  }
  close();
  return chunks;
}
