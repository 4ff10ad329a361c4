#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <sched.h>
#include <unistd.h>

namespace clusterscope
{

namespace
{

// OpenBLAS's thread control is looked up at run time: LibTorch reaches whichever libblas.so.3
// the system's alternatives select, so we do not link OpenBLAS ourselves.
template <typename Fn> Fn openblasSymbol(const char* name)
{
    return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

// OpenBLAS's count before we first changed it: what a setting of 0 restores.
int blasDefaultThreads()
{
    static const int count = currentBlasThreads();
    return count;
}

// The same seed gives the same labels on a GPU too: cuDNN's autotuner picks kernels by timing,
// and some of its kernels sum in a racing order, so both are switched off.
void useDeterministicCuda()
{
    at::globalContext().setBenchmarkCuDNN(false);
    at::globalContext().setDeterministicCuDNN(true);
}

} // namespace

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

c10::Device resolveDevice(std::string_view name)
{
    if (name == "auto")
    {
        if (!cudaAvailable())
            return c10::Device(c10::kCPU);
        useDeterministicCuda();
        return c10::Device(c10::kCUDA, 0);
    }
    if (name == "cpu")
    {
        return c10::Device(c10::kCPU);
    }
    if (name == "cuda" || name.starts_with("cuda:"))
    {
        if (!cudaAvailable())
        {
            throw DeviceError("device '" + std::string(name) +
                              "' was asked for, but this LibTorch has no CUDA or no GPU is "
                              "visible; use --device cpu or auto");
        }
        useDeterministicCuda();
        return c10::Device(std::string(name));
    }
    throw ParameterError("unknown device '" + std::string(name) +
                         "': expected auto, cpu, cuda or cuda:N");
}

void applyThreadSettings(const ThreadSettings& settings)
{
    applyBlasThreads(settings);
    applyTorchThreads(settings);
}

void applyTorchThreads(const ThreadSettings& settings)
{
    const int torchThreads = settings.torchThreads > 0 ? settings.torchThreads : availableCores();
    if (torchThreads != at::get_num_threads())
    {
        try
        {
            at::set_num_threads(torchThreads);
        }
        catch (const c10::Error&)
        {
            // LibTorch's native (non-OpenMP) backend fixes the count once work has started:
            // keep it, the count is a matter of speed only.
        }
    }
}

void applyBlasThreads(const ThreadSettings& settings)
{
    const int blasDefault = blasDefaultThreads();
    auto set = openblasSymbol<void (*)(int)>("openblas_set_num_threads");
    if (set && blasDefault > 0)
    {
        set(settings.blasThreads > 0 ? settings.blasThreads : blasDefault);
    }
}

int currentTorchThreads()
{
    return at::get_num_threads();
}

int availableCores()
{
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
        return std::max(1, CPU_COUNT(&cpus));
    return std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
}

int currentBlasThreads()
{
    auto get = openblasSymbol<int (*)()>("openblas_get_num_threads");
    return get ? get() : -1;
}

std::string blasName()
{
    if (auto config = openblasSymbol<char* (*)()>("openblas_get_config"))
    {
        // The config string begins "OpenBLAS 0.3.20 ..." in the releases we know: the vendor
        // is added only where a build leaves it out.
        const std::string text = config();
        return text.starts_with("OpenBLAS") ? text : "OpenBLAS " + text;
    }
    return "reference BLAS (slow: install libopenblas0-pthread)";
}

std::string bestBlasCoreType()
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return "Haswell";
#endif
    return "";
}

void restartWithBestBlasKernels(char** argv)
{
    if (std::getenv("OPENBLAS_CORETYPE") != nullptr)
        return;
    auto coreName = openblasSymbol<char* (*)()>("openblas_get_corename");
    const std::string best = bestBlasCoreType();
    if (!coreName || best.empty() || std::strcmp(coreName(), "Prescott") != 0)
        return;
    setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
    execv("/proc/self/exe", argv);
}

std::string torchVersion()
{
    return TORCH_VERSION;
}

std::string blasCoreName()
{
    auto coreName = openblasSymbol<char* (*)()>("openblas_get_corename");
    return coreName ? std::string(coreName()) : std::string();
}

std::string cpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind("model name", 0) == 0)
        {
            const auto colon = line.find(':');
            return colon == std::string::npos ? std::string() : line.substr(colon + 2);
        }
    }
    return {};
}

} // namespace clusterscope
