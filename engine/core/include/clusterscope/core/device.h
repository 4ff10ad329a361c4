#pragma once
// Device choice (`--device auto|cpu|cuda`) and the thread settings of the CPU path.

#include <c10/core/Device.h>

#include <string>
#include <string_view>

namespace clusterscope
{

// "auto" picks CUDA when LibTorch has it and a GPU is present, else the CPU.
// Throws DeviceError for "cuda" when no GPU can be used, ParameterError for other names.
c10::Device resolveDevice(std::string_view name);

bool cudaAvailable();

// LibTorch's intra-op threads and OpenBLAS's threads compete for the same cores; the defaults
// were chosen by benchmark (docs/performance.md). A value of 0 means all cores: every core this
// process may run on for LibTorch (whose own default can be 1), OpenBLAS's start-up count for
// OpenBLAS (all cores unless OPENBLAS_NUM_THREADS says otherwise).
struct ThreadSettings
{
    int torchThreads = 1;
    int blasThreads = 0;
};

// OpenBLAS's count is process-wide: set it once, on the main (GUI) thread, never from a worker
// while another job runs.
void applyBlasThreads(const ThreadSettings& settings);
// LibTorch's (OpenMP) count belongs to the calling thread: each worker sets its own.
void applyTorchThreads(const ThreadSettings& settings);
// Both, for a program that runs one job on its main thread (the CLI).
void applyThreadSettings(const ThreadSettings& settings);
int currentTorchThreads();
int availableCores();     // the cores this process may run on (its CPU affinity)
int currentBlasThreads(); // -1 when the BLAS is not OpenBLAS

// OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons and falls back to its Prescott (SSE3)
// kernels, 4-8x slower on products than the AVX-512 or AVX2 kernels the CPU can run. The kernel
// set can only be chosen before OpenBLAS loads, through OPENBLAS_CORETYPE, so when OpenBLAS runs
// below the CPU and the variable is unset, this sets it and restarts the program (execv of
// /proc/self/exe with the same arguments). Call it first in main(); it returns when nothing is
// to be done or the restart fails.
void restartWithBestBlasKernels(char** argv);

// The OPENBLAS_CORETYPE this CPU deserves: "SkylakeX", "Haswell", or "" when unknown.
std::string bestBlasCoreType();

// "OpenBLAS", "reference", ... : which BLAS library LibTorch's matrix products reach.
std::string blasName();
std::string torchVersion();
// The kernel set OpenBLAS runs ("SkylakeX", "Haswell", "Prescott"...), "" for another BLAS.
std::string blasCoreName();
// The CPU's model name from /proc/cpuinfo ("" when unknown).
std::string cpuModel();

} // namespace clusterscope
