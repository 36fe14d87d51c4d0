import { appDb, type ChatDb } from '../storage/db';
import { exportBb3x, exportDpo, exportKto, newPseudonymousUserId } from './exporters';

/**
 * Turns an exporter's JSONL lines into a file the browser downloads. The lines are gathered in
 * batches of about `BATCH_CHARS` characters, and each batch becomes a Blob at once: the file is
 * a Blob of Blobs, never one JS string. Chromium keeps blob bytes outside the JS heap (and moves
 * large ones to disk), so an export of many conversations needs about one batch of heap.
 */

export type ExportFormat = 'kto' | 'dpo' | 'bb3x';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['kto', 'dpo', 'bb3x'];

export const JSONL_MIME_TYPE = 'application/x-ndjson';

/** Characters of JSONL gathered before they are handed to a Blob (about 256 KB of text). */
export const BATCH_CHARS = 256 * 1024;

/** How long the object URL stays valid after the download starts. */
export const REVOKE_AFTER_MS = 30_000;

export interface JsonlFile {
  blob: Blob;
  lines: number;
}

export interface SavedExport {
  fileName: string;
  lines: number;
}

/** `feedback-kto-2026-11-26.jsonl`, dated in the user's own time zone. */
export function exportFileName(format: ExportFormat, now: Date = new Date()): string {
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
  return `feedback-${format}-${day}.jsonl`;
}

/** The exporter of `format`. A BB3x export gets a new random user id every time. */
export function exportLines(db: ChatDb, format: ExportFormat): AsyncGenerator<string> {
  switch (format) {
    case 'kto':
      return exportKto(db);
    case 'dpo':
      return exportDpo(db);
    case 'bb3x':
      return exportBb3x(db, newPseudonymousUserId());
  }
}

/** Gathers JSONL lines (each ending in "\n") into one Blob, a batch at a time. */
export async function collectJsonl(lines: AsyncIterable<string>, batchChars: number = BATCH_CHARS): Promise<JsonlFile> {
  const parts: Blob[] = [];
  let batch: string[] = [];
  let batchLength = 0;
  let count = 0;
  for await (const line of lines) {
    batch.push(line);
    batchLength += line.length;
    count += 1;
    if (batchLength >= batchChars) {
      parts.push(new Blob(batch));
      batch = [];
      batchLength = 0;
    }
  }
  if (batch.length > 0) parts.push(new Blob(batch));
  return { blob: new Blob(parts, { type: JSONL_MIME_TYPE }), lines: count };
}

/** Starts a download of `blob` as `fileName`, the way a link with `download` does. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has taken hold of the blob by the time this runs; the URL is not needed.
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}

/**
 * Writes the `format` export of the app's database to a downloaded file, read through the app's
 * one connection (a second one would hold up another tab's upgrade, and is never needed).
 */
export async function downloadFeedbackExport(
  format: ExportFormat,
  { open = appDb, now = new Date() }: { open?: () => Promise<ChatDb>; now?: Date } = {},
): Promise<SavedExport> {
  const db = await open();
  const file: JsonlFile = await collectJsonl(exportLines(db, format));
  const fileName = exportFileName(format, now);
  saveBlob(file.blob, fileName);
  return { fileName, lines: file.lines };
}
