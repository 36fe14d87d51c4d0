/**
 * A model folder dropped on the page, read into the same list of files with paths that the folder
 * picker gives (`readModelFolder`). The browser hands a drop over as FileSystemEntry objects
 * (DataTransferItem.webkitGetAsEntry()); only the parts used here are typed, so tests can fake a tree.
 */
import { FolderImportError, type PickedFile } from './folder-import';

export interface DroppedEntry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
}

export interface DroppedFileEntry extends DroppedEntry {
  file(success: (file: File) => void, failure?: (error: DOMException) => void): void;
}

export interface DroppedDirectoryEntry extends DroppedEntry {
  createReader(): { readEntries(success: (entries: DroppedEntry[]) => void, failure?: (error: DOMException) => void): void };
}

/**
 * Every file under the dropped entries, with its path as the picker writes it: `<folder>/<path>`
 * for one dropped folder, or just the file for loose files (their place is then guessed from
 * their names). Dot-folders (`.git`, `.cache`) are skipped: never model files, and possibly huge.
 */
export async function filesOfDroppedEntries(entries: DroppedEntry[]): Promise<PickedFile[]> {
  try {
    return await readEntries(entries);
  } catch (error) {
    if (error instanceof FolderImportError) throw error;
    // A file moved or unreadable since the drop: choosing the folder again is the way out.
    throw new FolderImportError(`The dropped folder could not be read (${error instanceof Error ? error.message || error.name : String(error)}). Try choosing it instead.`);
  }
}

async function readEntries(entries: DroppedEntry[]): Promise<PickedFile[]> {
  const folders = entries.filter((entry) => entry.isDirectory);
  const files = entries.filter((entry) => entry.isFile);
  if (folders.length > 1 || (folders.length === 1 && files.length > 0)) {
    throw new FolderImportError('Drop one model folder at a time (or only the files inside it).');
  }
  const folder = folders[0];
  if (folder) return readTree(folder as DroppedDirectoryEntry, folder.name);
  return Promise.all(files.map(async (entry) => ({ file: await fileOf(entry as DroppedFileEntry), relativePath: '' })));
}

async function readTree(directory: DroppedDirectoryEntry, path: string): Promise<PickedFile[]> {
  const found: PickedFile[] = [];
  for (const entry of await allEntries(directory)) {
    const entryPath = `${path}/${entry.name}`;
    if (entry.isFile) found.push({ file: await fileOf(entry as DroppedFileEntry), relativePath: entryPath });
    else if (entry.isDirectory && !entry.name.startsWith('.')) found.push(...(await readTree(entry as DroppedDirectoryEntry, entryPath)));
  }
  return found;
}

/** A directory reader gives its entries in batches (100 at a time in Chromium) until an empty one. */
async function allEntries(directory: DroppedDirectoryEntry): Promise<DroppedEntry[]> {
  const reader = directory.createReader();
  const all: DroppedEntry[] = [];
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: DroppedFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}
