// CSV and TSV tables (the options byte's bit 5 picks the .tsv name): the tokenizer, header and
// label detection, numeric parsing and the missing-value policies.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto in = clusterscope::fuzz::splitInput(data, size);
    const auto path = clusterscope::fuzz::writeFile(in.tsv ? "table.tsv" : "table.csv", in.content);
    clusterscope::fuzz::load(path, in.options);
    return 0;
}
