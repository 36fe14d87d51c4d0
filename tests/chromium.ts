/** How every browser run here starts Debian's Chromium: e2e tests (playwright.config.ts) and benchmarks. */

/** Debian's chromium by default; never a browser downloaded by Playwright (no network here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium from reaching out to Google services on a closed network. */
export const quietArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** No GPU: WebGPU is unavailable and the app runs on WASM. */
export const wasmArgs = [...quietArgs, '--disable-gpu'];
/** SwiftShader gives a software WebGPU adapter: enough to prove the WebGPU path, not its speed. */
export const webgpuArgs = [...quietArgs, '--enable-unsafe-webgpu'];
