import type { Dtype } from '../../workers/protocol';
import { dtypeOfWeightsFile, REQUIRED_FILES } from './model-files';

/** A file picked from a model folder, with its path inside that folder. */
export interface FolderFile {
  path: string;
  file: File;
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
 * Maps the files of `<input webkitdirectory>` to paths inside the picked folder and checks
 * they make a loadable chat model. The browser names each file `<folder>/<path>`; a file picked
 * on its own has no folder, and its place is guessed from its name (weights go in `onnx/`).
 */
export function readModelFolder(picked: File[]): ModelFolder {
  if (picked.length === 0) throw new FolderImportError(`The folder is empty. ${LAYOUT_HINT}`);
  let name = '';
  const files: FolderFile[] = [];
  for (const file of picked) {
    const relative = file.webkitRelativePath;
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
