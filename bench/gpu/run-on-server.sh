#!/usr/bin/env bash
# Runs the GPU bench on a Linux GPU server with no Node and no network, from the repo root, with
# .tmp/gpu-pack (bench/gpu/pack.sh) carried:   bash bench/gpu/run-on-server.sh [gpu-bench options]
# Writes $OUT/gpu-bench.json and $OUT/gpu-bench.md (and prints them), plus $OUT/system-info.txt and
# $OUT/run-log.txt. Missing WebGPU/Vulkan is a result too: it is diagnosed in the JSON.
# Extra options go to gpu-bench.mjs, e.g. --model tiny --tokens 4 --runs 1.
set -uo pipefail
cd "$(dirname "$0")/../.."
START=$(date +%s)
LIMIT_S=${GPU_BENCH_LIMIT_S:-480}            # hard limit for the whole script (~8 min)
OUT=${OUT:-$PWD/.tmp/gpu-out}
PACK=${GPU_PACK:-.tmp/gpu-pack}
RT=${GPU_RUNTIME:-${TMPDIR:-/tmp}/gpu-bench-runtime}
mkdir -p "$OUT" "$RT"
exec > >(tee "$OUT/run-log.txt") 2>&1

fallback_json() { # the bench never ran: still leave a JSON that says why
  printf '{\n  "kind": "gpu-bench",\n  "ok": false,\n  "error": %s\n}\n' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')" > "$OUT/gpu-bench.json"
  printf 'GPU bench did not run: %s\n' "$1" > "$OUT/gpu-bench.md"
  cat "$OUT/gpu-bench.md"
  exit 1
}

{
  echo "== system"; uname -a; grep PRETTY_NAME /etc/os-release; ldd --version 2>&1 | head -1; nproc; free -g | head -2
  echo "== nvidia-smi"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1; nvidia-smi 2>&1 | head -15
  else echo "nvidia-smi not found"; fi
  echo "== vulkan loader (libvulkan.so.1)"; ldconfig -p 2>/dev/null | grep -E 'libvulkan\.so|libGLX_nvidia|libEGL_nvidia|libnvidia-glvkspirv' || echo "none in ldconfig"
  echo "== vulkan ICD manifests"
  for d in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d; do ls -la "$d" 2>/dev/null && cat "$d"/*.json 2>/dev/null; done
  echo "NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset} (Vulkan needs 'graphics' in a container)"
  echo "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-unset}"
  command -v vulkaninfo >/dev/null && timeout 20 vulkaninfo --summary 2>&1 | head -40
} > "$OUT/system-info.txt" 2>&1
cat "$OUT/system-info.txt"

[ -f "$PACK/node.gz" ] || fallback_json "$PACK/node.gz missing: run bench/gpu/pack.sh here and carry .tmp/gpu-pack"
gzip -dc "$PACK/node.gz" > "$RT/node" && chmod +x "$RT/node" || fallback_json "could not unpack node"
"$RT/node" --version || fallback_json "the carried node does not run here: $("$RT/node" --version 2>&1 | head -3)"
"$RT/node" "$PACK/unpack.mjs" "$PACK" "$RT" || fallback_json "unpack.mjs failed"

# Vulkan: the system loader first; else the carried one. Without an ICD for the GPU there is no
# adapter; if the NVIDIA Vulkan driver library is there but its ICD manifest is not (containers
# mount libraries by capability), write a manifest for it.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  echo "no system libvulkan.so.1: using the carried Khronos loader"
  export LD_LIBRARY_PATH="$RT/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json >/dev/null 2>&1; then
  for lib in libEGL_nvidia.so.0 libGLX_nvidia.so.0; do
    if ldconfig -p 2>/dev/null | grep -q "$lib"; then
      echo "no NVIDIA ICD manifest: writing one for $lib"
      printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$lib" > "$RT/nvidia_icd.json"
      export VK_ICD_FILENAMES="$RT/nvidia_icd.json"
      break
    fi
  done
fi
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}" | tee -a "$OUT/system-info.txt"

LEFT=$((LIMIT_S - ($(date +%s) - START)))
timeout -s KILL "$LEFT" "$RT/node" "$RT/gpu-bench.mjs" --runtime "$RT" --out "$OUT" \
  --system-info "$OUT/system-info.txt" --time-limit-s $((LEFT - 20)) "$@"
RC=$?
echo "== gpu-bench exit code $RC"
[ -f "$OUT/gpu-bench.json" ] || fallback_json "gpu-bench wrote no JSON (exit code $RC); see run-log.txt"
echo "== $OUT/gpu-bench.md"; cat "$OUT/gpu-bench.md"
echo "== $OUT/gpu-bench.json"; cat "$OUT/gpu-bench.json"
exit "$RC"
