// NumPy .npy arrays: the magic, versions 1-3, the header dictionary, dtypes, byte order,
// Fortran order, shapes and the data size the header promises.
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto in = clusterscope::fuzz::splitInput(data, size);
    const auto path = clusterscope::fuzz::writeFile("array.npy", in.content);
    clusterscope::fuzz::load(path, in.options);
    return 0;
}
