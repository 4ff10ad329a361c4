// .csv.gz and .tsv.gz: the table gzipped by the target (so mutations reach the parser through
// the gzip path), or with the options byte's bit 6 a raw gzip stream (corrupt, truncated,
// concatenated members, inflation beyond the limit).
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace clusterscope::fuzz;
    const auto in = splitInput(data, size);
    const auto bytes = in.rawGzip ? std::string(in.content) : gzip(in.content);
    const auto path = writeFile(in.tsv ? "table.tsv.gz" : "table.csv.gz", bytes);
    load(path, in.options);
    return 0;
}
