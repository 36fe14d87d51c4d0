import type { Dtype } from '../../workers/shared/protocol';
import { completeDtypes, dtypeOfWeightsFile, externalDataFiles, externalDataProblems, REQUIRED_FILES, weightsFile } from './model-files';

/** A file picked from a model folder, with its path inside that folder. */
export interface FolderFile {
  path: string;
  file: File;
}

/**
 * A file the user gave, with `relativePath` as `<folder>/<path>` (empty for a file given on its
 * own): a picked file carries it as `webkitRelativePath`, a dropped folder's are read from its entries.
 */
export interface PickedFile {
  file: File;
  relativePath: string;
}

export interface ModelFolder {
  /** The folder's own name, e.g. `SmolLM2-360M-Instruct`. */
  name: string;
  files: FolderFile[];
  dtypes: Dtype[];
  bytes: number;
}

export class FolderImportError extends Error {
  override name = 'FolderImportError';
}

const LAYOUT_HINT =
  'A model folder in transformers.js layout holds config.json, tokenizer.json, tokenizer_config.json and onnx/model*.onnx.';

/**
 * Maps the files of `<input webkitdirectory>` (or of a dropped folder) to paths inside the folder and checks
 * they make a loadable chat model. The browser names each file `<folder>/<path>`; a file picked
 * on its own has no folder, and its place is guessed from its name (weights go in `onnx/`).
 */
export function readModelFolder(picked: Array<File | PickedFile>): ModelFolder {
  if (picked.length === 0) throw new FolderImportError(`The folder is empty. ${LAYOUT_HINT}`);
  let name = '';
  const files: FolderFile[] = [];
  for (const item of picked) {
    const { file, relativePath: relative } = 'relativePath' in item ? item : { file: item, relativePath: item.webkitRelativePath };
    if (relative) {
      const [folder, ...rest] = relative.split('/');
      name ||= folder ?? '';
      files.push({ path: rest.join('/'), file });
    } else {
      files.push({ path: /\.onnx(_data(_\d+)?)?$/.test(file.name) ? `onnx/${file.name}` : file.name, file });
    }
  }
  const paths = new Set(files.map((f) => f.path));
  const missing = REQUIRED_FILES.filter((required) => !paths.has(required));
  if (missing.length > 0) throw new FolderImportError(`The folder has no ${missing.join(', ')}. ${LAYOUT_HINT}`);
  const dtypes = [...paths].map(dtypeOfWeightsFile).filter((dtype): dtype is Dtype => dtype !== null);
  if (dtypes.length === 0) throw new FolderImportError(`The folder has no onnx/model*.onnx weights. ${LAYOUT_HINT}`);
  return {
    name: name || 'model',
    // Only what transformers.js reads: the rest (READMEs, PyTorch weights) would waste storage.
    files: files.filter((f) => isModelFile(f.path)),
    dtypes,
    bytes: files.filter((f) => isModelFile(f.path)).reduce((sum, f) => sum + f.file.size, 0),
  };
}

/** What an import stores: one dtype's weights (and their external data) with the folder's JSON files. */
export interface FolderImportPlan {
  dtype: Dtype;
  files: FolderFile[];
  bytes: number;
  /** Weights files in the folder that are not stored (other dtypes), for the notice. */
  leftOut: string[];
}

/**
 * Picks the dtype to store from the ones that can load (external data present and declared in
 * the config) with `choose` (the app's backend choice), and keeps only its files: a folder that
 * holds five dtypes of a 1 GB model would otherwise fill the device with four it never runs.
 * Throws, naming each problem, when no dtype can load.
 */
export function planFolderImport(folder: ModelFolder, config: unknown, choose: (dtypes: Dtype[]) => Dtype): FolderImportPlan {
  const paths = folder.files.map((f) => f.path);
  const usable = completeDtypes(paths, config);
  if (usable.length === 0) {
    const problems = externalDataProblems(paths, config);
    throw new FolderImportError(`None of the folder's weights can be loaded. ${problems.join(' ')}`.trim());
  }
  const dtype = choose(usable);
  const keep = new Set([weightsFile(dtype), ...externalDataFiles(dtype, config)]);
  const files = folder.files.filter((f) => f.path.endsWith('.json') || keep.has(f.path));
  return {
    dtype,
    files,
    bytes: files.reduce((sum, f) => sum + f.file.size, 0),
    leftOut: folder.files.filter((f) => dtypeOfWeightsFile(f.path) !== null && !keep.has(f.path)).map((f) => f.path),
  };
}

/** The id an imported folder gets: a local model under `/models/imported/<slug>`. */
export function importedModelId(folderName: string): string {
  const slug = folderName
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `imported/${slug || 'model'}`;
}

function isModelFile(path: string): boolean {
  return path.endsWith('.json') || /^onnx\/[^/]+\.onnx(_data(_\d+)?)?$/.test(path);
}
