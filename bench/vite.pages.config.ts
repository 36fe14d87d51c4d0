/**
 * Builds the two bare benchmark pages of issue 7 (bench/pages) and the prefill-memory page of
 * issue 14 into .tmp/bench-pages/: a static site with no PWA plugin and no service worker, so
 * the pages measure the runtime alone.
 * `npx vite build --config bench/vite.pages.config.ts`; models are served beside it under /models/.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const pages = (file: string) => fileURLToPath(new URL(`./pages/${file}`, import.meta.url));

export default defineConfig({
  root: pages(''),
  base: '/',
  // The app's public/ (models included) has nothing to do with these pages.
  publicDir: false,
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: fileURLToPath(new URL('../.tmp/bench-pages/', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        'raw-transformers': pages('raw-transformers.html'),
        'raw-ort': pages('raw-ort.html'),
        'prefill-memory': pages('prefill-memory.html'),
        'raw-wllama': pages('raw-wllama.html'),
      },
    },
  },
  // As in the app's config: pre-bundling rewrites onnxruntime-web's dynamic imports of its wasm glue.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
});
