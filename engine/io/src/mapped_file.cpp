#include "mapped_file.h"

#include <clusterscope/core/errors.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterscope
{

MappedFile::MappedFile(const std::string& path) : path_(path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
    {
        throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    {
        ::close(fd);
        throw DataError(path + ": not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0)
    {
        // Private and writable: copy-on-write pages, so a tensor viewing them can be changed
        // safely.
        void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
        {
            ::close(fd);
            throw DataError(path + ": cannot map into memory (" + std::strerror(errno) + ")");
        }
        ::madvise(p, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
    }
    ::close(fd);
}

MappedFile::~MappedFile()
{
    if (data_)
    {
        ::munmap(const_cast<char*>(data_), size_);
    }
}

} // namespace clusterscope
