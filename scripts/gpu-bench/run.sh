#!/usr/bin/env bash
# Runs the backend benchmark bundle that scripts/gpu-bench/prepare.sh built (this file is copied to
# .gpu/run.sh). Needs no node and no network. Stages, each logged to $OUT/run.log; a failing stage
# does not stop the next:
#   1. Vulkan/GL loaders from gl/*.deb when ldconfig knows no libvulkan (dpkg -x into /, ldconfig)
#   2. node and dawn.node unpacked (xz, else python3's lzma) into a temp dir
#   3. nvidia-smi -L; the WebGPU adapter through our own node script (retried with the NVIDIA ICD)
#   4. the numerical check, webgpu and wasm+native vs cpu → $OUT/numcheck.json
#   5. the benchmark, sizes small → large, JSON rewritten after each size → $OUT/bench.json
# The whole run is capped at HIMAC_GPU_TOTAL_S seconds (default 330).
# Knobs: HIMAC_GPU_SIZES ("128x2x128,512x4x256": dModel x layers x seq), HIMAC_GPU_VARIANTS
# (default webgpu,wasm+native), HIMAC_GPU_STEPS (timed steps, default 5).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/out}
mkdir -p "$OUT"
LOG=$OUT/run.log
TOTAL_S=${HIMAC_GPU_TOTAL_S:-330}
VARIANTS=${HIMAC_GPU_VARIANTS:-webgpu,wasm+native}
START=$SECONDS
log() { echo "[run.sh +$((SECONDS - START))s] $*" | tee -a "$LOG" >&2; }
left() { echo $((TOTAL_S - (SECONDS - START))); }
unxz_to() { # unxz_to SRC DEST
  if command -v xz >/dev/null; then
    xz -dc "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

log "bundle $(cat "$HERE/COMMIT" 2>/dev/null || echo '?'), OUT=$OUT, cap ${TOTAL_S}s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. loaders
if ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  log "libvulkan already known to ldconfig: debs not unpacked"
else
  for f in "$HERE"/gl/*.deb; do dpkg -x "$f" / 2>>"$LOG" || log "dpkg -x $f failed"; done
  ldconfig 2>>"$LOG" || log "ldconfig failed"
  ldconfig -p | grep -q 'libvulkan\.so\.1' && log "Vulkan loader unpacked" || log "still no libvulkan"
fi

# 2. node, app
WORK=$(mktemp -d /tmp/himac-gpu.XXXXXX)
cp -r "$HERE/app" "$WORK/app" || log "copying app failed"
unxz_to "$HERE/node.xz" "$WORK/node" && chmod +x "$WORK/node" || log "unpacking node failed"
DAWN=$WORK/app/node_modules/webgpu/dist/linux-x64/dawn.node
unxz_to "$DAWN.xz" "$DAWN" && rm -f "$DAWN.xz" || log "unpacking dawn.node failed"
ADDON=$WORK/app/native/himac_blas.node
unxz_to "$ADDON.xz" "$ADDON" && rm -f "$ADDON.xz" || log "unpacking the native addon failed"
NODE=$WORK/node
log "node $("$NODE" --version 2>&1) at $NODE (PATH node: $(command -v node || echo none))"
export HIMAC_NATIVE_ADDON=$ADDON
export HIMAC_WASM_DIR=$WORK/app/wasm/
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$WORK}
[ -d "$WORK/app/lib" ] && export LD_LIBRARY_PATH=$WORK/app/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
APP=$WORK/app/gpu-bench.mjs

# 3. device
if command -v nvidia-smi >/dev/null; then
  nvidia-smi -L 2>&1 | tee -a "$LOG" >&2
else
  log "no nvidia-smi"
fi
adapter() { timeout 90 "$NODE" "$APP" adapter >"$OUT/adapter.json" 2>>"$LOG"; }
if adapter; then
  log "adapter: $(cat "$OUT/adapter.json")"
else
  log "no WebGPU adapter with the default Vulkan drivers"
  ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$ICD" ] || ICD=$(ls /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json 2>/dev/null | head -1)
  if [ -z "${VK_DRIVER_FILES:-}" ] && [ -n "$ICD" ] && [ -f "$ICD" ]; then
    export VK_DRIVER_FILES=$ICD
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    log "retrying with VK_DRIVER_FILES=$ICD"
    adapter && log "adapter: $(cat "$OUT/adapter.json")" || log "still no adapter (webgpu runs will report why)"
  fi
fi

# 4. numerical check
if [ "$(left)" -gt 60 ]; then
  log "numerical check (webgpu, wasm+native vs cpu)"
  timeout $(($(left) < 150 ? $(left) : 150)) "$NODE" "$APP" check --variants webgpu,wasm+native \
    --out "$OUT/numcheck.json" 2>>"$LOG" | tee -a "$LOG" >&2 || log "numerical check ended with an error"
fi

# 5. benchmark: its own deadline, then a hard cap a little later
BUDGET=$(($(left) - 15))
if [ "$BUDGET" -gt 20 ]; then
  log "bench: variants $VARIANTS, sizes ${HIMAC_GPU_SIZES:-default}, deadline ${BUDGET}s"
  timeout $((BUDGET + 10)) "$NODE" "$APP" bench --variants "$VARIANTS" --deadline-s "$BUDGET" \
    ${HIMAC_GPU_SIZES:+--sizes "$HIMAC_GPU_SIZES"} ${HIMAC_GPU_STEPS:+--steps "$HIMAC_GPU_STEPS"} \
    --out "$OUT/bench.json" 2>&1 | grep -v '^Warning: ' | tee -a "$LOG" >&2 || log "bench ended with an error (bench.json keeps the sizes done)"
else
  log "no time left for the bench"
fi
log "done; files: $(ls "$OUT" | tr '\n' ' ')"
rm -rf "$WORK"
