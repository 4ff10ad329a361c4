#pragma once
// What the HDF5 reader and writer share.

#include <mutex>

namespace clusterscope
{

// Debian's serial libhdf5 is not thread-safe: every use of the library holds this mutex.
std::mutex& hdf5LibraryMutex();

} // namespace clusterscope
