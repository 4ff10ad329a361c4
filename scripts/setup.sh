#!/usr/bin/env bash
# Installs the Debian 12 packages ClusterScope needs, and only those that are missing: with
# everything present it finishes in about a second. Run as root (or with sudo available).
# Why each package is here: docs/dependencies.md.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config
  # CI's fuzz lane: clang with libFuzzer and its sanitizer runtimes (scripts/ci-lanes.sh)
  clang libclang-rt-14-dev
  # engine: tensors and autograd, small dense algebra, a fast BLAS, .gz and .npz reading
  libtorch-dev libeigen3-dev libopenblas0-pthread zlib1g-dev libminizip-dev libhdf5-dev
  libigraph-dev libhnswlib-dev libspectra-dev nlohmann-json3-dev libcli11-dev
  # engine: PNG decoding and resizing (stb), JPEG decoding (libjpeg-turbo) for folders of images
  libstb-dev libturbojpeg0-dev
  # the run history of the CLI and the app
  libsqlite3-dev
  # cluster explanations: integer programs (COIN-OR CBC/CLP), Student's t (Boost.Math)
  coinor-libcbc-dev libboost-dev
  # desktop app: Qt 6 widgets and OpenGL, VTK 9 rendering
  qt6-base-dev libqt6opengl6-dev qt6-svg-dev libvtk9-dev libgl-dev
  # tests: a virtual X server for the GL widgets, real datasets, scikit-learn as the reference
  xvfb xauth dataset-fashion-mnist python3-sklearn python3-numpy
  # tests: reading exported PDFs back (pdftotext, pdftoppm); AnnData's own reader checks the
  # .h5ad files written
  poppler-utils python3-anndata
  # the .deb and its checks (scripts/package.sh): shared-library dependencies, desktop file,
  # AppStream metainfo, Debian policy
  dpkg-dev desktop-file-utils appstream lintian
  # benchmark peers
  python3-faiss python3-igraph python3-torch
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: run as root to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# LibTorch's matrix products go through whichever libblas.so.3 is selected; the reference BLAS
# is 16x slower than OpenBLAS. Installing libopenblas0-pthread selects it, but a machine may
# have pinned another choice by hand.
blas_link=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ "$blas_link" != *openblas* ]]; then
  echo "setup: selecting OpenBLAS as the system BLAS (was: ${blas_link:-none})"
  update-alternatives --set libblas.so.3-x86_64-linux-gnu \
    /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
fi
echo "setup: all packages present"
