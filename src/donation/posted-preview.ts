/**
 * A preview as the de-identification worker posts it to the page, and back. Receiving a message
 * costs the page's thread time for every object in it, and a preview holds the bundle three
 * times over: as objects, as JSON, and as the JSON cut into segments. Only the JSON travels as
 * text; the segments travel as offsets in a transferred buffer (no copy), and the page cuts them
 * from the JSON again (substrings share its memory); the bundle objects are parsed from the JSON
 * only if something reads them, which the UI does not (it reads `summary`).
 */
import { ENTITY_TYPES, type DonationBundle } from './bundle-types';
import type { DonationPreview, PreviewSegment } from './donation-store-api';
import type { RemainingRisk } from './remaining-risks';

export type PostedPreview = Omit<DonationPreview, 'bundle' | 'segments'> & {
  /** Each placeholder segment as [start, end, index in ENTITY_TYPES], offsets into `json`. */
  placeholders: Uint32Array;
};

export function packPreview(preview: DonationPreview): { posted: PostedPreview; transfer: Transferable[] } {
  const { bundle: _bundle, segments, ...rest } = preview;
  const marked = segments.filter((segment) => segment.entity !== undefined);
  const placeholders = new Uint32Array(marked.length * 3);
  let offset = 0;
  let n = 0;
  for (const segment of segments) {
    if (segment.entity !== undefined) placeholders.set([offset, offset + segment.text.length, ENTITY_TYPES.indexOf(segment.entity)], 3 * n++);
    offset += segment.text.length;
  }
  return { posted: { ...rest, placeholders }, transfer: [placeholders.buffer] };
}

function segmentsOf(json: string, placeholders: Uint32Array): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let plainFrom = 0;
  for (let i = 0; i < placeholders.length; i += 3) {
    const start = placeholders[i]!;
    const end = placeholders[i + 1]!;
    if (start > plainFrom) segments.push({ text: json.slice(plainFrom, start) });
    segments.push({ text: json.slice(start, end), entity: ENTITY_TYPES[placeholders[i + 2]!]! });
    plainFrom = end;
  }
  if (plainFrom < json.length) segments.push({ text: json.slice(plainFrom) });
  return segments;
}

export function unpackPreview(posted: PostedPreview): DonationPreview {
  const { placeholders, ...rest } = posted;
  let bundle: DonationBundle | undefined;
  return {
    ...rest,
    segments: segmentsOf(posted.json, placeholders),
    get bundle(): DonationBundle {
      bundle ??= JSON.parse(posted.json) as DonationBundle;
      return bundle;
    },
  };
}

/**
 * The same preview listing other risks. Copies property descriptors rather than spreading, which
 * would read (and so parse) a bundle that unpackPreview left for later.
 */
export function withRisks(preview: DonationPreview, risks: RemainingRisk[]): DonationPreview {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(preview)) as DonationPreview;
  copy.risks = risks;
  return copy;
}
