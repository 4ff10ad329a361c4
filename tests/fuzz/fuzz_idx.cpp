// IDX images and labels (uncompressed): the magic, type codes, dimensions, their product
// against the file's size, and the labels' count against the images'.
#include "fuzz_idx_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    clusterscope::fuzz::loadIdxPair(data, size, false);
    return 0;
}
