#include "file_access.h"

#include <clusterscope/core/errors.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterscope
{

std::string openFailure(const std::string& path, int error)
{
    switch (error)
    {
    case ENOENT:
        return path + ": no such file";
    case EACCES:
    case EPERM:
        return path + ": permission denied; make the file readable (chmod +r) or copy it "
                      "somewhere you can read";
    case ELOOP:
        return path + ": too many levels of symbolic links (a symbolic link loop?); point the "
                      "link at the real file";
    case ENOTDIR:
        return path + ": a part of the path is not a folder";
    case EISDIR:
        return path + ": is a folder, not a file";
    default:
        return path + ": cannot open (" + std::strerror(error) + ")";
    }
}

namespace
{

std::string notRegular(const std::string& path, mode_t mode)
{
    if (S_ISDIR(mode))
    {
        return path + ": is a folder, not a file";
    }
    const char* kind = S_ISFIFO(mode)   ? "a pipe or FIFO"
                       : S_ISCHR(mode)  ? "a character device"
                       : S_ISBLK(mode)  ? "a block device"
                       : S_ISSOCK(mode) ? "a socket"
                                        : "not a plain file";
    return path + ": not a regular file (" + kind +
           "); the loaders need a file they can read twice, so save the data to a file first";
}

} // namespace

RegularFile::RegularFile(const std::string& path)
{
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. It changes
    // nothing for a regular file, and anything else is refused right below.
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd_ < 0)
    {
        throw DataError(openFailure(path, errno));
    }
    struct stat st
    {
    };
    if (::fstat(fd_, &st) != 0)
    {
        const int error = errno;
        ::close(fd_);
        throw DataError(openFailure(path, error));
    }
    if (!S_ISREG(st.st_mode))
    {
        ::close(fd_);
        throw DataError(notRegular(path, st.st_mode));
    }
    size_ = static_cast<size_t>(st.st_size);
}

RegularFile::~RegularFile()
{
    ::close(fd_);
}

std::string readFileHead(const std::string& path, size_t count)
{
    RegularFile file(path);
    std::string head(std::min(count, file.size()), '\0');
    size_t done = 0;
    while (done < head.size())
    {
        const auto got =
            ::pread(file.fd(), head.data() + done, head.size() - done, static_cast<off_t>(done));
        if (got < 0 && errno == EINTR)
        {
            continue;
        }
        if (got < 0)
        {
            throw DataError(path + ": cannot read (" + std::strerror(errno) + ")");
        }
        if (got == 0)
        {
            break; // shrank since fstat
        }
        done += static_cast<size_t>(got);
    }
    head.resize(done);
    return head;
}

} // namespace clusterscope
