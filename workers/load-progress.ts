import type { ProgressInfo } from '@huggingface/transformers';
import type { LoadProgress } from './shared/protocol';

/** transformers.js download progress as the workers report it: per file, with bytes. */
export function toLoadProgress(info: ProgressInfo): LoadProgress | null {
  switch (info.status) {
    case 'initiate':
    case 'download':
    case 'done':
      return { file: info.file, loaded: 0, total: 0, status: info.status };
    case 'progress':
      return { file: info.file, loaded: info.loaded, total: info.total, status: 'progress' };
    default:
      return null;
  }
}
