// IDX images and labels, gzipped (Fashion-MNIST's own files are .gz).
#include "fuzz_idx_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    clusterscope::fuzz::loadIdxPair(data, size, true);
    return 0;
}
