#include "mapped_file.h"

#include "file_access.h"

#include <clusterscope/core/errors.h>

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace clusterscope
{

MappedFile::MappedFile(const std::string& path) : path_(path)
{
    const RegularFile file(path);
    size_ = file.size();
    if (size_ > 0)
    {
        // Private and writable: copy-on-write pages, so a tensor viewing them can be changed
        // safely.
        void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd(), 0);
        if (p == MAP_FAILED)
        {
            throw DataError(path + ": cannot map into memory (" + std::strerror(errno) + ")");
        }
        ::madvise(p, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
    }
}

MappedFile::~MappedFile()
{
    if (data_)
    {
        ::munmap(const_cast<char*>(data_), size_);
    }
}

} // namespace clusterscope
