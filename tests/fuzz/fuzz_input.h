#pragma once
// What every loader fuzz target shares: the input's first byte picks the load options, the rest
// is the file's content, written to a per-process folder (the loaders take a path) and loaded.
// A clusterscope::Error is the expected answer to a bad file; anything else that escapes is a
// finding: libFuzzer reports an uncaught exception as a crash (deadly signal from abort).

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace clusterscope::fuzz
{

// The options byte, bit by bit (the seed corpora in tests/fuzz/corpus are written with it):
//   bits 0-2: labelColumn: "", "none", "0", "-1", "last", "label", "y", "1"
//   bits 3-4: missing policy: error, drop, impute-mean (3 means error too)
//   bit 5:    CSV: the file is named .tsv instead of .csv
//   bit 6:    .gz targets: the content is already a gzip stream (else the target gzips it)
//   bit 7:    NPZ: ask for the array named "X" (else the loader chooses)
struct Input
{
    LoadOptions options;
    bool tsv = false;
    bool rawGzip = false;
    std::string_view content;
};

inline Input splitInput(const uint8_t* data, size_t size)
{
    Input in;
    if (size == 0)
    {
        return in;
    }
    static const char* const labels[] = {"", "none", "0", "-1", "last", "label", "y", "1"};
    static const MissingPolicy policies[] = {MissingPolicy::Error, MissingPolicy::Drop,
                                             MissingPolicy::ImputeMean,
                                             MissingPolicy::ImputeMedian};
    const uint8_t bits = data[0];
    in.options.labelColumn = labels[bits & 7];
    in.options.missing = policies[(bits >> 3) & 3];
    in.tsv = (bits & 0x20) != 0;
    in.rawGzip = (bits & 0x40) != 0;
    in.options.array = (bits & 0x80) != 0 ? "X" : "";
    in.content = std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
    return in;
}

// A folder of this process's own under /dev/shm (memory-backed; parallel fuzzing jobs each get
// one, $CLUSTERSCOPE_FUZZ_TMP overrides the place), removed at exit.
inline const std::string& scratchDir()
{
    // Never destroyed: the exit handler below still needs it after statics are torn down.
    static const std::string* dir = []
    {
        const char* base = std::getenv("CLUSTERSCOPE_FUZZ_TMP");
        auto* made =
            new std::string(std::string(base ? base : "/dev/shm") + "/clusterscope-fuzz-XXXXXX");
        if (::mkdtemp(made->data()) == nullptr)
        {
            std::perror("fuzz: cannot make a scratch folder");
            std::abort();
        }
        std::atexit(
            []
            {
                std::error_code ignored;
                std::filesystem::remove_all(scratchDir(), ignored);
            });
        return made;
    }();
    return *dir;
}

// Writes `bytes` to scratchDir()/name and returns the path.
inline std::string writeFile(const std::string& name, std::string_view bytes)
{
    const std::string path = scratchDir() + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0)
    {
        std::abort(); // the harness, not the loader, failed
    }
    return path;
}

inline void removeFile(const std::string& name)
{
    ::unlink((scratchDir() + "/" + name).c_str());
}

// A gzip stream of `bytes` (fast level: the content under test, not zlib, is the point).
inline std::string gzip(std::string_view bytes)
{
    z_stream s{};
    if (deflateInit2(&s, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    {
        std::abort();
    }
    std::string out(deflateBound(&s, bytes.size()) + 32, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    s.avail_in = static_cast<uInt>(bytes.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
    {
        std::abort();
    }
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

// The loaders' promise (loaders.h): N x D float32 contiguous features with no NaN or infinity,
// D feature names, and labels one per row when there are any. A broken promise aborts: a finding.
inline void checkPromises(const Dataset& d)
{
    const auto broken = [](const char* what)
    {
        std::fprintf(stderr, "fuzz: the loader broke its promise: %s\n", what);
        std::abort();
    };
    if (!d.features.defined() || d.features.dim() != 2)
    {
        broken("features are not a 2-D tensor");
    }
    if (d.features.scalar_type() != at::kFloat || !d.features.is_contiguous())
    {
        broken("features are not contiguous float32");
    }
    const auto rows = d.features.size(0);
    if (static_cast<int64_t>(d.featureNames.size()) != d.features.size(1))
    {
        broken("one feature name per column");
    }
    if (!d.labels.empty() && static_cast<int64_t>(d.labels.size()) != rows)
    {
        broken("one label per row");
    }
    for (const auto& m : d.metadata)
    {
        const size_t filled = m.codes.empty() ? m.numbers.size() : m.codes.size();
        if (static_cast<int64_t>(filled) != rows)
        {
            broken("one metadata value per row");
        }
        for (const auto code : m.codes)
        {
            if (code < -1 || code >= static_cast<int64_t>(m.categories.size()))
            {
                broken("a metadata code outside its categories");
            }
        }
    }
    for (const auto label : d.labels)
    {
        if (!d.labelNames.empty() &&
            (label < 0 || label >= static_cast<int64_t>(d.labelNames.size())))
        {
            broken("a text label's code outside its names");
        }
    }
    const float* values = d.features.data_ptr<float>();
    for (int64_t i = 0, n = d.features.numel(); i < n; ++i)
    {
        if (!std::isfinite(values[i]))
        {
            broken("a feature value is NaN or infinite");
        }
    }
}

// Loads `path` as the app does; a clusterscope::Error is a refused file, anything else escapes.
// CLUSTERSCOPE_FUZZ_VERBOSE=1 prints each outcome (to check that seeds load, or triage a find).
inline void load(const std::string& path, const LoadOptions& options)
{
    static const bool verbose = std::getenv("CLUSTERSCOPE_FUZZ_VERBOSE") != nullptr;
    Dataset d;
    try
    {
        d = loadDataset(path, options);
    }
    catch (const Error& e)
    {
        if (verbose)
        {
            std::fprintf(stderr, "fuzz: refused: %s\n", e.what());
        }
        return;
    }
    checkPromises(d);
    if (verbose)
    {
        std::fprintf(stderr, "fuzz: loaded %lld x %lld, %zu labels\n",
                     static_cast<long long>(d.features.size(0)),
                     static_cast<long long>(d.features.size(1)), d.labels.size());
    }
}

} // namespace clusterscope::fuzz
