// HDF5 files through the HDF5 C library, named .h5ad: AnnData's X (dense, CSR, CSC), obs
// columns in both categorical encodings, var names, obsm and layers (bit 7 asks for "X").
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto in = clusterscope::fuzz::splitInput(data, size);
    const auto path = clusterscope::fuzz::writeFile("cells.h5ad", in.content);
    clusterscope::fuzz::load(path, in.options);
    return 0;
}
