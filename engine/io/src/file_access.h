#pragma once
// Opening a data file without blocking and with the real reason when it cannot be read: a FIFO
// or a pipe would block a plain open() or read as "empty", and a permission or symbolic-link
// problem must not pass for a missing or empty file.

#include <cstddef>
#include <string>

namespace clusterscope
{

// An open descriptor of a regular file, closed on destruction.
class RegularFile
{
public:
    // Throws DataError naming the path and the reason: no such file, permission denied, too many
    // levels of symbolic links, a folder, a FIFO/pipe/device (not a regular file).
    explicit RegularFile(const std::string& path);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    int fd() const { return fd_; }
    size_t size() const { return size_; }

private:
    int fd_ = -1;
    size_t size_ = 0;
};

// Up to `count` bytes from the start of a regular file (fewer when it is shorter).
std::string readFileHead(const std::string& path, size_t count);

// "path: <why errno `error` stops reading it>", with advice where there is any to give.
std::string openFailure(const std::string& path, int error);

} // namespace clusterscope
