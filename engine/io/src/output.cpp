#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterscope
{

namespace
{

namespace fs = std::filesystem;

// Closes a descriptor on every way out.
class Descriptor
{
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() { close(); }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }
    // The close's own result: some filesystems report write errors only here.
    bool close()
    {
        const bool ok = fd_ < 0 || ::close(fd_) == 0;
        fd_ = -1;
        return ok;
    }

private:
    int fd_;
};

// What a failed write says: the target is named, and it was not touched.
struct WriteFailure
{
    std::string path;
    bool replacing;

    [[noreturn]] void raise(const std::string& what) const
    {
        throw Error(path + ": " + what + " (" + std::strerror(errno) + "); " +
                    (replacing ? "the old file is untouched" : "nothing was written"));
    }
};

bool writeAll(int fd, const std::string& content)
{
    size_t written = 0;
    while (written < content.size())
    {
        const ssize_t w = ::write(fd, content.data() + written, content.size() - written);
        if (w < 0 && errno == EINTR)
        {
            continue;
        }
        if (w < 0)
        {
            return false;
        }
        written += static_cast<size_t>(w);
    }
    return true;
}

// ".<name>.<8 random characters>": hidden, beside the target, unlikely to exist.
std::string temporaryName(const std::string& name)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device random;
    std::string out = "." + name + ".";
    for (int i = 0; i < 8; ++i)
    {
        out += alphabet[random() % (sizeof alphabet - 1)];
    }
    return out;
}

// The content, the old file's owner (when we may) and mode, then all of it on disk.
void fill(int fd, const std::string& content, const struct stat* old, const WriteFailure& failure)
{
    if (!writeAll(fd, content))
    {
        failure.raise("writing failed");
    }
    if (old)
    {
        // The owner where we may (only root may give a file away; others may keep its group),
        // else the file is ours, as any file we create. Then the mode: chown clears setuid.
        if (::fchown(fd, old->st_uid, old->st_gid) != 0 && ::fchown(fd, -1, old->st_gid) != 0)
        {
            // Not permitted: nothing more to try.
        }
        if (::fchmod(fd, old->st_mode & 07777) != 0)
        {
            failure.raise("could not keep the old file's mode");
        }
    }
    if (::fsync(fd) != 0)
    {
        failure.raise("writing failed");
    }
}

// Renames the complete temporary over the target; removes the temporary when that fails.
void publish(int dirFd, const std::string& temporary, const std::string& name,
             const WriteFailure& failure)
{
    if (::renameat(dirFd, temporary.c_str(), dirFd, name.c_str()) != 0)
    {
        const int why = errno;
        ::unlinkat(dirFd, temporary.c_str(), 0);
        errno = why;
        failure.raise("could not be replaced");
    }
}

// The content in an anonymous file (O_TMPFILE), which vanishes if we are killed while writing;
// only once it is complete does it get a name, which is at once renamed over the target.
// Returns false, having written nothing, where the filesystem or kernel has no anonymous files.
bool replaceViaAnonymousFile(int dirFd, const std::string& name, const std::string& content,
                             const struct stat* old, const WriteFailure& failure)
{
    Descriptor file(::openat(dirFd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
    if (file.get() < 0)
    {
        if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
        {
            return false;
        }
        failure.raise("cannot write in its folder");
    }
    fill(file.get(), content, old, failure);
    const std::string self = "/proc/self/fd/" + std::to_string(file.get());
    std::string temporary;
    for (int attempt = 0;; ++attempt)
    {
        temporary = temporaryName(name);
        if (::linkat(AT_FDCWD, self.c_str(), dirFd, temporary.c_str(), AT_SYMLINK_FOLLOW) == 0)
        {
            break;
        }
        if (errno == EEXIST && attempt < 100)
        {
            continue;
        }
        // Without /proc, AT_EMPTY_PATH names the file (it needs CAP_DAC_READ_SEARCH).
        if (errno != EEXIST &&
            ::linkat(file.get(), "", dirFd, temporary.c_str(), AT_EMPTY_PATH) == 0)
        {
            break;
        }
        return false;
    }
    if (!file.close())
    {
        const int why = errno;
        ::unlinkat(dirFd, temporary.c_str(), 0);
        errno = why;
        failure.raise("writing failed");
    }
    publish(dirFd, temporary, name, failure);
    return true;
}

// The fallback: a named hidden temporary beside the target. A process killed while writing
// leaves it behind; it is removed on every failure we live through.
void replaceViaNamedFile(int dirFd, const std::string& name, const std::string& content,
                         const struct stat* old, const WriteFailure& failure)
{
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt)
    {
        temporary = temporaryName(name);
        fd = ::openat(dirFd, temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt >= 100))
        {
            failure.raise("cannot write in its folder");
        }
    }
    Descriptor file(fd);
    try
    {
        fill(file.get(), content, old, failure);
        if (!file.close())
        {
            failure.raise("writing failed");
        }
    }
    catch (const Error&)
    {
        ::unlinkat(dirFd, temporary.c_str(), 0);
        throw;
    }
    publish(dirFd, temporary, name, failure);
}

// Devices and pipes (/dev/null, /dev/stdout) have nothing to replace: written as they are.
void writeInPlace(const std::string& path, const std::string& content)
{
    const WriteFailure failure{path, false};
    Descriptor file(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (file.get() < 0 || !writeAll(file.get(), content) || !file.close())
    {
        failure.raise("writing failed");
    }
}

} // namespace

void writeFileAtomically(const std::string& path, const std::string& content)
{
    const fs::path target(resolveOutputTarget(path));
    struct stat old
    {
    };
    const bool replacing = ::stat(target.c_str(), &old) == 0;
    if (replacing && S_ISDIR(old.st_mode))
    {
        throw Error(path + ": is a folder; give the path of a file inside it");
    }
    if (replacing && !S_ISREG(old.st_mode))
    {
        writeInPlace(path, content);
        return;
    }
    const std::string name = target.filename().string();
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    const WriteFailure failure{path, replacing};
    if (name.empty() || name == "." || name == "..")
    {
        errno = EISDIR;
        failure.raise("is not a file name");
    }
    const Descriptor folder(::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (folder.get() < 0)
    {
        failure.raise("cannot open its folder '" + dir + "'");
    }
    const struct stat* keep = replacing ? &old : nullptr;
    if (!replaceViaAnonymousFile(folder.get(), name, content, keep, failure))
    {
        replaceViaNamedFile(folder.get(), name, content, keep, failure);
    }
    // The rename itself reaches the disk. It is done: a failure here changes nothing.
    ::fsync(folder.get());
}

std::string labelsCsv(const ClusteringResult& result, const std::vector<int64_t>& ids)
{
    if (!ids.empty() && ids.size() != result.labels.size())
    {
        throw std::invalid_argument("labelsCsv: " + std::to_string(ids.size()) + " ids for " +
                                    std::to_string(result.labels.size()) + " labels");
    }
    const bool confidence = !result.confidence.empty();
    const auto soft = result.soft.defined() ? floatValues(result.soft) : std::vector<float>{};
    const size_t k = soft.empty() ? 0 : static_cast<size_t>(result.soft.size(1));
    std::string out = confidence ? "id,cluster,confidence" : "id,cluster";
    for (size_t j = 0; j < k; ++j)
        out += ",p" + std::to_string(j);
    out += "\n";
    out.reserve(out.size() + result.labels.size() * (12 + (confidence ? 10 : 0) + 8 * k));
    char buffer[64];
    for (size_t i = 0; i < result.labels.size(); ++i)
    {
        const auto id = ids.empty() ? static_cast<long long>(i) : static_cast<long long>(ids[i]);
        int len = std::snprintf(buffer, sizeof buffer, "%lld,%lld", id,
                                static_cast<long long>(result.labels[i]));
        out.append(buffer, static_cast<size_t>(len));
        if (confidence)
        {
            len = std::snprintf(buffer, sizeof buffer, ",%.6g",
                                static_cast<double>(result.confidence[i]));
            out.append(buffer, static_cast<size_t>(len));
        }
        for (size_t j = 0; j < k; ++j)
        {
            len =
                std::snprintf(buffer, sizeof buffer, ",%.4g", static_cast<double>(soft[i * k + j]));
            out.append(buffer, static_cast<size_t>(len));
        }
        out += '\n';
    }
    return out;
}

std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix)
{
    const auto values = floatValues(matrix);
    const auto rows = static_cast<size_t>(matrix.size(0));
    const auto cols = static_cast<size_t>(matrix.size(1));
    std::string out = "id";
    for (size_t j = 0; j < cols; ++j)
        out += "," + prefix + std::to_string(j);
    out += '\n';
    char buffer[32];
    for (size_t i = 0; i < rows; ++i)
    {
        out += std::to_string(i);
        for (size_t j = 0; j < cols; ++j)
        {
            const int len = std::snprintf(buffer, sizeof buffer, ",%.7g",
                                          static_cast<double>(values[i * cols + j]));
            out.append(buffer, static_cast<size_t>(len));
        }
        out += '\n';
    }
    return out;
}

std::string matrixNpy(const at::Tensor& matrix)
{
    static_assert(std::endian::native == std::endian::little, "npy data is written as '<f4'");
    const auto values = floatValues(matrix);
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                         std::to_string(matrix.size(0)) + ", " + std::to_string(matrix.size(1)) +
                         "), }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64.
    const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    return out;
}

} // namespace clusterscope
