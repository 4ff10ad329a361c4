# Sourced by the benchmark scripts: clusterscope-cli picks OpenBLAS's kernels itself
# (docs/architecture.md); the Python peers get the same ones through OPENBLAS_CORETYPE.
if grep -qw avx512bw /proc/cpuinfo; then export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX};
elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}; fi
