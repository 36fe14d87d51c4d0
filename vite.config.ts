import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
 * A production host must send the same two headers (scripts/serve.mjs does, for `npm start`).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** onnxruntime-web's asyncify wasm is ~27 MB; Workbox skips files over its limit unless raised. */
const MAX_PRECACHED_FILE_BYTES = 64 * 1024 * 1024;

const THEME_COLOUR = '#2a5bd7';

/**
 * Rolldown notes when JavaScript plugins take much of a build. Here they do by design: each worker
 * bundle loads the 27 MB onnxruntime wasm as an asset, and vite-plugin-pwa hashes it for the
 * precache list. On a slow machine the note printed on every build, with nothing to act on.
 */
const quietPluginTimings = { checks: { bundlerTimings: false } };

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      // src/pwa/ registers the worker itself, so it can offer "Reload to update".
      injectRegister: false,
      registerType: 'prompt',
      // The manifest's icons are already precached by globPatterns; listing them twice is noise.
      includeManifestIcons: false,
      manifest: {
        name: 'Private Chat',
        short_name: 'Private Chat',
        description: 'A private chatbot that runs on your device and learns from your feedback.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME_COLOUR,
        background_color: '#17181b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell and the onnxruntime-web runtime; models are cached by transformers.js
        // in the Cache API on first use, and are far too big to download on install.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,wasm,webmanifest}'],
        globIgnores: ['models/**'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHED_FILE_BYTES,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/models\//],
        cleanupOutdatedCaches: true,
        // The first visit is controlled as soon as the worker activates, so it works offline
        // without a second load. An update waits until the user accepts "Reload to update",
        // so a running page never has its files swapped underneath it.
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
  ],
  server: { headers: isolationHeaders },
  worker: { format: 'es', rolldownOptions: quietPluginTimings },
  build: {
    target: 'es2022',
    // The chunks over Vite's 500 kB default are meant to be big and never block the first paint:
    // the workers carry transformers.js or the de-identifier (~1 MB), and the de-identifier's
    // bundle builder (gazetteer, name lists) reaches the page only as a lazily imported chunk.
    chunkSizeWarningLimit: 1536,
    rolldownOptions: quietPluginTimings,
  },
  // Pre-bundling rewrites onnxruntime-web's dynamic imports of its own wasm glue.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
});
