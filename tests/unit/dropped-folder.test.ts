/**
 * Issue 17 (5): a model folder can be dropped on the Models panel. The drop arrives as a tree of
 * FileSystemEntry objects; it must become the same files with paths that the folder picker gives.
 */
import { describe, expect, it } from 'vitest';
import { filesOfDroppedEntries, type DroppedDirectoryEntry, type DroppedEntry, type DroppedFileEntry } from '../../src/inference/dropped-folder';
import { FolderImportError, readModelFolder } from '../../src/inference/folder-import';

type Tree = { [name: string]: string | Tree };

function fileEntry(name: string, content: string, unreadable = false): DroppedFileEntry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file: (success, failure) => (unreadable ? failure?.(new DOMException('A requested file could not be found', 'NotFoundError')) : success(new File([content], name))),
  };
}

/** A directory whose reader hands out its entries `batch` at a time, as Chromium does (100). */
function directoryEntry(name: string, tree: Tree, batch = 2): DroppedDirectoryEntry {
  const children: DroppedEntry[] = Object.entries(tree).map(([child, value]) =>
    typeof value === 'string' ? fileEntry(child, value) : directoryEntry(child, value, batch),
  );
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let next = 0;
      return {
        readEntries: (success) => {
          const slice = children.slice(next, next + batch);
          next += batch;
          setTimeout(() => success(slice));
        },
      };
    },
  };
}

const MODEL: Tree = {
  'config.json': '{}',
  'generation_config.json': '{}',
  'tokenizer.json': '{}',
  'tokenizer_config.json': '{}',
  'README.md': '# model',
  onnx: { 'model.onnx': 'fp32', 'model_quantized.onnx': 'q8', 'model_q4.onnx': 'q4' },
  '.git': { HEAD: 'ref: refs/heads/main', objects: { ab: 'blob' } },
};

describe('a dropped model folder', () => {
  it('gives every file with its path inside the folder, reading each directory to the end', async () => {
    const files = await filesOfDroppedEntries([directoryEntry('SmolLM2-360M', MODEL)]);
    expect(files.map((f) => f.relativePath).sort()).toEqual([
      'SmolLM2-360M/README.md',
      'SmolLM2-360M/config.json',
      'SmolLM2-360M/generation_config.json',
      'SmolLM2-360M/onnx/model.onnx',
      'SmolLM2-360M/onnx/model_q4.onnx',
      'SmolLM2-360M/onnx/model_quantized.onnx',
      'SmolLM2-360M/tokenizer.json',
      'SmolLM2-360M/tokenizer_config.json',
    ]);
    const q8 = files.find((f) => f.relativePath.endsWith('model_quantized.onnx'))!;
    expect(await q8.file.text()).toBe('q8');
  });

  it('imports as the picked folder would: same name, same paths, same dtypes', async () => {
    const folder = readModelFolder(await filesOfDroppedEntries([directoryEntry('SmolLM2-360M', MODEL, 100)]));
    expect(folder.name).toBe('SmolLM2-360M');
    expect(folder.files.map((f) => f.path).sort()).toEqual([
      'config.json', 'generation_config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json',
    ]);
    expect(folder.dtypes.sort()).toEqual(['fp32', 'q4', 'q8']);
  });

  it('takes loose files too, placing weights in onnx/ by their names', async () => {
    const loose = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model_quantized.onnx'].map((name) => fileEntry(name, name));
    const dropped = await filesOfDroppedEntries(loose);
    expect(dropped.every((f) => f.relativePath === '')).toBe(true);
    expect(readModelFolder(dropped).files.map((f) => f.path)).toContain('onnx/model_quantized.onnx');
  });

  it('refuses two folders, or a folder with loose files, saying why', async () => {
    await expect(filesOfDroppedEntries([directoryEntry('a', MODEL), directoryEntry('b', MODEL)])).rejects.toThrow(/one model folder at a time/);
    await expect(filesOfDroppedEntries([directoryEntry('a', MODEL), fileEntry('x.json', '{}')])).rejects.toThrow(FolderImportError);
  });

  it('reports a file that cannot be read as an import problem, not a crash', async () => {
    const broken: DroppedDirectoryEntry = {
      ...directoryEntry('m', {}),
      createReader: () => {
        let done = false;
        return { readEntries: (success) => success(done ? [] : ((done = true), [fileEntry('config.json', '', true)])) };
      },
    };
    await expect(filesOfDroppedEntries([broken])).rejects.toThrow(/could not be read \(A requested file could not be found\)\. Try choosing it instead/);
  });

  it('gives an empty folder as no files, which the import reports as empty', async () => {
    const files = await filesOfDroppedEntries([directoryEntry('empty', {})]);
    expect(files).toEqual([]);
    expect(() => readModelFolder(files)).toThrow(/The folder is empty/);
  });
});
