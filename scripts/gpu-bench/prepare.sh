#!/usr/bin/env bash
# Builds .gpu/: everything the backend benchmark needs on a bare x86-64 Linux machine with no node
# and no network (the device machine of issue 18): this machine's node (xz), one esbuild bundle of
# cli/gpu-bench-entry.ts with tfjs inside, the .wasm files, Dawn's dawn.node (xz), the native BLAS
# addon (xz; OpenBLAS is linked in statically), the Vulkan/GL loader debs, and run.sh.
# Usage: bash scripts/gpu-bench/prepare.sh   (from the repository root; needs apt-get download)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DEST=$ROOT/.gpu
# node.xz takes minutes to make: kept while it is newer than the node binary.
mkdir -p "$DEST"
find "$DEST" -mindepth 1 -maxdepth 1 ! -name node.xz -exec rm -rf {} +
mkdir -p "$DEST/app/wasm" "$DEST/app/native" "$DEST/app/node_modules/webgpu/dist/linux-x64" "$DEST/gl"

echo "prepare: bundle"
node_modules/.bin/esbuild cli/gpu-bench-entry.ts --bundle --platform=node --format=esm \
  --target=node20 --outfile="$DEST/app/gpu-bench.mjs" --log-level=warning \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --banner:js="import { createRequire as __himacRequire } from 'node:module'; import { fileURLToPath as __himacPath } from 'node:url'; const require = __himacRequire(import.meta.url); const __filename = __himacPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));"

echo "prepare: wasm, dawn.node, native addon"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$DEST/app/wasm/"
WEBGPU=node_modules/webgpu
cp "$WEBGPU/package.json" "$WEBGPU/index.js" "$WEBGPU/LICENSE.md" "$DEST/app/node_modules/webgpu/"
xz -T0 -6 -c "$WEBGPU/dist/linux-x64/dawn.node" > "$DEST/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
xz -T0 -6 -c native/build/Release/himac_blas.node > "$DEST/app/native/himac_blas.node.xz"
# The addon links OpenBLAS statically: ldd must name nothing beyond the C library.
if ldd native/build/Release/himac_blas.node | grep -vE 'linux-vdso|libc\.so|ld-linux|libm\.so|libpthread' | grep -q '=>'; then
  echo "prepare: the addon needs shared libraries; copying them" >&2
  mkdir -p "$DEST/app/lib"
  ldd native/build/Release/himac_blas.node | awk '/=> \// {print $3}' | grep -vE 'libc\.so|libm\.so|libpthread' |
    xargs -r -I{} cp -L {} "$DEST/app/lib/"
fi

NODE_BIN=$(readlink -f "$(command -v node)")
echo "prepare: node $(node --version) from $NODE_BIN"
if [ ! -s "$DEST/node.xz" ] || [ "$NODE_BIN" -nt "$DEST/node.xz" ]; then
  xz -T0 -6 -c "$NODE_BIN" > "$DEST/node.xz.tmp" && mv "$DEST/node.xz.tmp" "$DEST/node.xz"
fi

echo "prepare: Vulkan/EGL loader debs"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/himac-amd64-lists'
mkdir -p /tmp/himac-amd64-lists/partial
# shellcheck disable=SC2086
apt-get $o update -qq
# shellcheck disable=SC2086
(cd "$DEST/gl" && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

cp scripts/gpu-bench/run.sh "$DEST/run.sh"
chmod +x "$DEST/run.sh"
git rev-parse HEAD > "$DEST/COMMIT" 2>/dev/null || true
du -sh "$DEST"
du -sb "$DEST" | awk '{ if ($1 > 55 * 1024 * 1024) { print "prepare: .gpu is over 55 MiB" > "/dev/stderr"; exit 1 } }'
