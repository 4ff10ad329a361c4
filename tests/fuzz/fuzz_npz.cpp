// NumPy .npz archives (zip, stored or deflated, zip64): member lookup, the features and labels
// arrays chosen by name, and every member's .npy parsing.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto in = clusterscope::fuzz::splitInput(data, size);
    const auto path = clusterscope::fuzz::writeFile("arrays.npz", in.content);
    clusterscope::fuzz::load(path, in.options);
    return 0;
}
