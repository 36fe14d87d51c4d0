import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCachePrefix, modelFileKey } from '../../workers/shared/cache-keys';
import { classifyError } from '../../workers/dialogue/errors';
import { FolderImportError, importedModelId, planFolderImport, readModelFolder } from '../../src/inference/folder-import';
import { dtypeOfWeightsFile, externalDataFiles, filesForDtype } from '../../src/inference/model-files';
import { checkModelHost, checkRepoId } from '../../src/inference/model-host';
import { downloadSize, probeHostedModel, ProbeError, totalFromContentRange } from '../../src/inference/model-probe';
import { storageShortfall } from '../../src/inference/storage-check';
import { startModelHost, type ModelHost } from '../e2e/model-host';

describe('model host setting', () => {
  it('accepts https hosts and strips the trailing slash', () => {
    expect(checkModelHost('https://huggingface.co/')).toEqual({ ok: true, host: 'https://huggingface.co' });
    expect(checkModelHost(' https://mirror.example/hf/ ')).toEqual({ ok: true, host: 'https://mirror.example/hf' });
  });

  it('allows plain http only for this machine', () => {
    expect(checkModelHost('http://127.0.0.1:8080')).toEqual({ ok: true, host: 'http://127.0.0.1:8080' });
    expect(checkModelHost('http://localhost:5000/')).toEqual({ ok: true, host: 'http://localhost:5000' });
    const refused = checkModelHost('http://models.example.com');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/https:\/\//);
  });

  it('says what a valid host looks like when given something else', () => {
    const result = checkModelHost('huggingface.co');
    expect(!result.ok && result.message).toMatch(/not a web address.*https:\/\/huggingface\.co/);
    expect(checkModelHost('https://hf.co/?token=x').ok).toBe(false);
  });

  it('accepts Hub repo ids and refuses paths and URLs', () => {
    expect(checkRepoId(' onnx-community/Qwen2.5-0.5B-Instruct ')).toEqual({ ok: true, id: 'onnx-community/Qwen2.5-0.5B-Instruct' });
    for (const bad of ['Qwen2.5', 'a/b/c', '../etc/passwd', 'https://huggingface.co/x/y', 'org/na--me', '']) {
      expect(checkRepoId(bad).ok, bad).toBe(false);
    }
  });
});

describe('cache keys (as transformers.js 4.3 stores files)', () => {
  it('puts a remote file under <host>/<repo>/resolve/main/<file>', () => {
    const model = { id: 'org/name', local: false, host: 'http://127.0.0.1:9000/' };
    expect(modelFileKey(model, 'http://app', 'onnx/model_quantized.onnx')).toBe(
      'http://127.0.0.1:9000/org/name/resolve/main/onnx/model_quantized.onnx',
    );
    expect(modelCachePrefix({ id: 'org/name', local: false }, 'http://app')).toBe('https://huggingface.co/org/name/resolve/main/');
  });

  it('puts a local model under the app origin /models/<id>/', () => {
    expect(modelFileKey({ id: 'imported/my-model', local: true }, 'http://127.0.0.1:4173', '/config.json')).toBe(
      'http://127.0.0.1:4173/models/imported/my-model/config.json',
    );
  });

  it('gives two models with a common name prefix separate prefixes', () => {
    const a = modelCachePrefix({ id: 'org/model', local: false }, '');
    const b = modelCachePrefix({ id: 'org/model-2', local: false }, '');
    expect(b.startsWith(a)).toBe(false);
  });
});

describe('model files', () => {
  it('maps weight file names to dtypes and back', () => {
    expect(dtypeOfWeightsFile('onnx/model.onnx')).toBe('fp32');
    expect(dtypeOfWeightsFile('onnx/model_quantized.onnx')).toBe('q8');
    expect(dtypeOfWeightsFile('onnx/model_q4f16.onnx')).toBe('q4f16');
    expect(dtypeOfWeightsFile('onnx/model_bnb4.onnx')).toBeNull();
    expect(dtypeOfWeightsFile('onnx/decoder_model.onnx')).toBeNull();
  });

  it('lists external data chunks the config declares', () => {
    expect(externalDataFiles('q4f16', {})).toEqual([]);
    expect(externalDataFiles('fp32', { 'transformers.js_config': { use_external_data_format: true } })).toEqual(['onnx/model.onnx_data']);
    expect(
      externalDataFiles('fp16', { 'transformers.js_config': { use_external_data_format: { 'model_fp16.onnx': 2 } } }),
    ).toEqual(['onnx/model_fp16.onnx_data', 'onnx/model_fp16.onnx_data_1']);
    expect(filesForDtype('q8', {})).toContain('onnx/model_quantized.onnx');
  });
});

describe('storage check before a download', () => {
  it('lets a download that fits with headroom go ahead', () => {
    expect(storageShortfall(300e6, { quota: 1e9, usage: 100e6 })).toBeNull();
  });

  it('refuses one that does not fit, saying how much is needed and free', () => {
    const message = storageShortfall(512e6, { quota: 600e6, usage: 200e6 });
    expect(message).toContain('512 MB');
    expect(message).toContain('400 MB');
    expect(message).toMatch(/Delete a cached model or free disk space/);
  });

  it('refuses one that would leave no headroom', () => {
    expect(storageShortfall(395e6, { quota: 600e6, usage: 200e6 })).not.toBeNull();
  });
});

function fileIn(folder: string, path: string, bytes = 10): File {
  const file = new File([new Uint8Array(bytes)], path.split('/').pop()!);
  Object.defineProperty(file, 'webkitRelativePath', { value: `${folder}/${path}` });
  return file;
}

describe('folder import', () => {
  const complete = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx', 'README.md'];

  it('reads paths inside the picked folder, its dtypes, and leaves out files transformers.js never reads', () => {
    const folder = readModelFolder(complete.map((path) => fileIn('SmolLM2 360M', path)));
    expect(folder.name).toBe('SmolLM2 360M');
    expect(folder.dtypes.sort()).toEqual(['q4', 'q8']);
    expect(folder.files.map((f) => f.path)).not.toContain('README.md');
    expect(folder.bytes).toBe(50);
  });

  it('names what is missing from a folder that is not a model', () => {
    const files = ['config.json', 'onnx/model.onnx'].map((path) => fileIn('half', path));
    expect(() => readModelFolder(files)).toThrow(FolderImportError);
    expect(() => readModelFolder(files)).toThrow(/tokenizer\.json, tokenizer_config\.json/);
    expect(() => readModelFolder(['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((p) => fileIn('x', p)))).toThrow(/no onnx/);
  });

  const externalData = { 'transformers.js_config': { use_external_data_format: { 'model_q4f16.onnx': 1, 'model_quantized.onnx': 2 } } };
  const hubLike = [
    'config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json',
    'onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data',
    'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data', 'onnx/model_quantized.onnx_data_1',
    'onnx/model_q4.onnx',
  ];

  it('stores only the dtype this device runs, with its external data, and says what it left out', () => {
    const folder = readModelFolder(hubLike.map((path) => fileIn('Llama', path, 100)));
    let offered: string[] = [];
    const plan = planFolderImport(folder, externalData, (dtypes) => {
      offered = [...dtypes].sort();
      return 'q8';
    });
    expect(offered).toEqual(['q4', 'q4f16', 'q8']);
    expect(plan.dtype).toBe('q8');
    expect(plan.files.map((f) => f.path).sort()).toEqual([
      'config.json', 'generation_config.json', 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data', 'onnx/model_quantized.onnx_data_1',
      'tokenizer.json', 'tokenizer_config.json',
    ]);
    expect(plan.bytes).toBe(700);
    expect(plan.leftOut.sort()).toEqual(['onnx/model_q4.onnx', 'onnx/model_q4f16.onnx']);
  });

  it('never offers a dtype whose external data is missing or undeclared, and says how to fix the folder', () => {
    const withoutChunk = readModelFolder(hubLike.filter((p) => p !== 'onnx/model_quantized.onnx_data_1' && p !== 'onnx/model_q4.onnx').map((p) => fileIn('L', p)));
    let offered: string[] = [];
    planFolderImport(withoutChunk, externalData, (dtypes) => ((offered = dtypes), dtypes[0]!));
    expect(offered).toEqual(['q4f16']);

    const undeclared = readModelFolder(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data'].map((p) => fileIn('L', p)));
    expect(() => planFolderImport(undeclared, {}, () => 'q4')).toThrow(FolderImportError);
    expect(() => planFolderImport(undeclared, {}, () => 'q4')).toThrow(
      /onnx\/model_q4\.onnx_data is in the folder, but config\.json does not say onnx\/model_q4\.onnx uses external data.*use_external_data_format/,
    );

    const missing = readModelFolder(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4f16.onnx'].map((p) => fileIn('L', p)));
    expect(() => planFolderImport(missing, externalData, () => 'q4f16')).toThrow(/onnx\/model_q4f16\.onnx keeps its weights in onnx\/model_q4f16\.onnx_data, which is missing/);
  });

  it('gives imported folders a local id transformers.js accepts', () => {
    expect(importedModelId('SmolLM2 360M (copy)')).toBe('imported/SmolLM2-360M-copy');
    expect(importedModelId('...')).toBe('imported/model');
  });
});

describe('error messages', () => {
  it('tells a missing weights file apart from other missing files', () => {
    const weights = classifyError(new Error('Could not locate file: "https://h/org/m/resolve/main/onnx/model_quantized.onnx".'));
    expect(weights.kind).toBe('model-not-found');
    expect(weights.message).toMatch(/no onnx\/model_quantized\.onnx file.*another compute backend/);
    const tokenizer = classifyError(new Error('Could not locate file: "https://h/org/m/resolve/main/tokenizer.json".'));
    expect(tokenizer.message).toMatch(/missing on the model host.*Check the repo id/);
  });

  it('classifies offline, damaged, full-disk and server failures with what to do', () => {
    expect(classifyError(new TypeError('Failed to fetch'))).toMatchObject({ kind: 'network', message: expect.stringMatching(/online/) });
    expect(
      classifyError(new Error("Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.")),
    ).toMatchObject({ kind: 'corrupt-model', message: expect.stringMatching(/download or import it again/) });
    expect(classifyError(new DOMException('Quota exceeded.', 'QuotaExceededError'))).toMatchObject({ kind: 'storage-full' });
    expect(classifyError(new Error('Gateway timeout error occurred while trying to load file: "x".'))).toMatchObject({ kind: 'network' });
  });
});

describe('probing a model host (real HTTP server)', () => {
  const folder = fileURLToPath(new URL('../../public/models/demo-chat-tiny/', import.meta.url));
  let host: ModelHost;

  beforeAll(async () => {
    host = await startModelHost({
      'test/ok': { folder, bytesPerTick: 1 << 20 },
      'test/no-tokenizer': { folder, bytesPerTick: 1 << 20, missing: ['tokenizer.json'] },
    });
  });
  afterAll(() => host.close());

  it('reads dtypes and file sizes with one-byte range requests', async () => {
    const hosted = await probeHostedModel(host.url, 'test/ok');
    expect(hosted.dtypes.sort()).toEqual(['fp32', 'q4', 'q8']);
    expect(hosted.contextWindow).toBe(2048);
    expect(downloadSize(hosted, 'q8')).toBeGreaterThan(3_000_000);
    expect(downloadSize(hosted, 'q8')).toBeLessThan(downloadSize(hosted, 'fp32'));
    // Only config.json is downloaded whole; everything else is asked for one byte.
    expect(host.requests.filter((r) => r.includes('/test/ok/')).length).toBeGreaterThan(5);
  });

  it('explains an unknown repo, a repo lacking files, and an unreachable host', async () => {
    await expect(probeHostedModel(host.url, 'test/nothing')).rejects.toThrow(/has no model "test\/nothing"/);
    await expect(probeHostedModel(host.url, 'test/no-tokenizer')).rejects.toThrow(/no tokenizer\.json/);
    await expect(probeHostedModel('http://127.0.0.1:9', 'test/ok')).rejects.toBeInstanceOf(ProbeError);
  });

  it('reads the total size from Content-Range', () => {
    expect(totalFromContentRange('bytes 0-0/2144096')).toBe(2144096);
    expect(totalFromContentRange(null)).toBeNull();
  });
});
