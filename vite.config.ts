import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
 * A production host must send the same two headers (scripts/serve.mjs does, for `npm start`).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte()],
  server: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  // Pre-bundling rewrites onnxruntime-web's dynamic imports of its own wasm glue.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
});
