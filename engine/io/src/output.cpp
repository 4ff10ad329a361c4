#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <optional>
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

const char* const noneReplaced = "no output was replaced";

// What a failed write says: the target is named, and it was not touched.
struct WriteFailure
{
    std::string path;
    bool replacing;
    std::string others; // what became of the other outputs written with it, if any

    [[noreturn]] void raise(const std::string& what) const
    {
        throw Error(path + ": " + what + " (" + std::strerror(errno) + "); " +
                    (replacing ? "the old file is untouched" : "nothing was written") +
                    (others.empty() ? "" : "; " + others));
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

// The hidden name a staged file gets beside its target, in the folder `dirFd`.
// An anonymous file (O_TMPFILE) is linked there; returns false where that is not possible
// (no /proc, no CAP_DAC_READ_SEARCH), having linked nothing.
bool linkAnonymous(int dirFd, int fd, const std::string& name, std::string& temporary)
{
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    for (int attempt = 0;; ++attempt)
    {
        temporary = temporaryName(name);
        if (::linkat(AT_FDCWD, self.c_str(), dirFd, temporary.c_str(), AT_SYMLINK_FOLLOW) == 0)
        {
            return true;
        }
        if (errno == EEXIST && attempt < 100)
        {
            continue;
        }
        // Without /proc, AT_EMPTY_PATH names the file (it needs CAP_DAC_READ_SEARCH).
        if (errno != EEXIST && ::linkat(fd, "", dirFd, temporary.c_str(), AT_EMPTY_PATH) == 0)
        {
            return true;
        }
        temporary.clear();
        return false;
    }
}

// The content in a named hidden temporary beside the target: the fallback where anonymous
// files cannot be made or named. A process killed while writing leaves it behind; it is
// removed on every failure we live through.
std::string writeNamedTemporary(int dirFd, const std::string& name, const std::string& content,
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
    return temporary;
}

// Devices and pipes (/dev/null, /dev/stdout) have nothing to replace: written as they are.
void writeInPlace(const std::string& path, const std::string& content, const WriteFailure& failure)
{
    // Opened without blocking, so that a pipe nobody reads is an error (ENXIO), not a hang;
    // then written blocking, as a pipe's reader expects.
    Descriptor file(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
    if (file.get() >= 0)
        ::fcntl(file.get(), F_SETFL, ::fcntl(file.get(), F_GETFL) & ~O_NONBLOCK);
    if (file.get() < 0 || !writeAll(file.get(), content) || !file.close())
    {
        failure.raise(errno == ENXIO ? "no program is reading this pipe" : "writing failed");
    }
}

} // namespace

// One output between stage() and commit(): its complete content already on disk in an
// anonymous file (or, as a fallback, a named hidden temporary), or, for a device or pipe, the
// content itself, written only at commit.
struct OutputSet::Staged
{
    std::string path;    // as the caller named it, for messages
    std::string name;    // the target's file name in its folder
    std::string content; // kept for devices and pipes, and for the named fallback at commit
    bool replacing = false;
    bool inPlace = false;
    std::optional<struct stat> old;
    std::unique_ptr<Descriptor> folder;
    std::unique_ptr<Descriptor> anonymous;
    std::string temporary; // the hidden name, once it has one

    ~Staged()
    {
        if (!temporary.empty() && folder)
        {
            ::unlinkat(folder->get(), temporary.c_str(), 0);
        }
    }
};

OutputSet::OutputSet() = default;
OutputSet::~OutputSet() = default; // Staged removes what it left

void OutputSet::stage(const std::string& path, std::string content)
{
    auto s = std::make_unique<Staged>();
    s->path = path;
    const fs::path target(resolveOutputTarget(path));
    struct stat old
    {
    };
    s->replacing = ::stat(target.c_str(), &old) == 0;
    if (s->replacing && S_ISDIR(old.st_mode))
    {
        throw Error(path + ": is a folder; give the path of a file inside it");
    }
    const WriteFailure failure{path, s->replacing, staged_.empty() ? "" : noneReplaced};
    if (s->replacing && !S_ISREG(old.st_mode))
    {
        s->inPlace = true;
        s->content = std::move(content);
        staged_.push_back(std::move(s));
        return;
    }
    if (s->replacing)
    {
        s->old = old;
    }
    s->name = target.filename().string();
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    if (s->name.empty() || s->name == "." || s->name == "..")
    {
        errno = EISDIR;
        failure.raise("is not a file name");
    }
    s->folder =
        std::make_unique<Descriptor>(::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (s->folder->get() < 0)
    {
        failure.raise("cannot open its folder '" + dir + "'");
    }
    const struct stat* keep = s->old ? &*s->old : nullptr;
    // An anonymous file vanishes if we are killed while writing or before commit.
    s->anonymous = std::make_unique<Descriptor>(
        ::openat(s->folder->get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666));
    if (s->anonymous->get() >= 0)
    {
        fill(s->anonymous->get(), content, keep, failure);
        s->content = std::move(content); // for the named fallback, should linking fail
    }
    else if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
    {
        s->anonymous.reset();
        s->temporary = writeNamedTemporary(s->folder->get(), s->name, content, keep, failure);
    }
    else
    {
        failure.raise("cannot write in its folder");
    }
    staged_.push_back(std::move(s));
}

void OutputSet::commit()
{
    // 1. Devices and pipes, then 2. a hidden name for every staged file: any failure here
    // leaves every target as it was (the destructor removes the temporaries).
    for (auto& s : staged_)
    {
        if (s->inPlace)
        {
            writeInPlace(s->path, s->content,
                         WriteFailure{s->path, false, staged_.size() > 1 ? noneReplaced : ""});
        }
    }
    for (auto& s : staged_)
    {
        if (s->inPlace || !s->anonymous)
        {
            continue;
        }
        const WriteFailure failure{s->path, s->replacing, staged_.size() > 1 ? noneReplaced : ""};
        if (!linkAnonymous(s->folder->get(), s->anonymous->get(), s->name, s->temporary))
        {
            const struct stat* keep = s->old ? &*s->old : nullptr;
            s->temporary =
                writeNamedTemporary(s->folder->get(), s->name, s->content, keep, failure);
        }
        if (!s->anonymous->close())
        {
            failure.raise("writing failed");
        }
    }
    // 3. The renames: within one folder each, they fail only when the folder itself changed
    // under us (removed, made read-only) since staging.
    std::vector<std::string> replaced;
    for (auto& s : staged_)
    {
        if (s->inPlace)
        {
            continue;
        }
        if (::renameat(s->folder->get(), s->temporary.c_str(), s->folder->get(), s->name.c_str()) !=
            0)
        {
            std::string done = replaced.empty() ? noneReplaced : "already replaced:";
            for (const auto& r : replaced)
            {
                done += " " + r;
            }
            WriteFailure{s->path, s->replacing, done}.raise("could not be replaced");
        }
        s->temporary.clear();
        replaced.push_back(s->path);
        // The rename itself reaches the disk. It is done: a failure here changes nothing.
        ::fsync(s->folder->get());
    }
    staged_.clear();
}

void writeFileAtomically(const std::string& path, const std::string& content)
{
    OutputSet outputs;
    outputs.stage(path, content);
    outputs.commit();
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
    // std::to_chars writes what printf's %.6g / %.4g would, several times faster: a soft
    // assignment table has N x K numbers (600,000 for Fashion-MNIST at k = 10).
    char buffer[64];
    const auto append = [&](auto value, auto... format)
    {
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, format...).ptr;
        out.append(buffer, end);
    };
    for (size_t i = 0; i < result.labels.size(); ++i)
    {
        append(ids.empty() ? static_cast<long long>(i) : static_cast<long long>(ids[i]));
        out += ',';
        append(static_cast<long long>(result.labels[i]));
        if (confidence)
        {
            out += ',';
            append(static_cast<double>(result.confidence[i]), std::chars_format::general, 6);
        }
        for (size_t j = 0; j < k; ++j)
        {
            out += ',';
            append(static_cast<double>(soft[i * k + j]), std::chars_format::general, 4);
        }
        out += '\n';
    }
    return out;
}

std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix,
                      const std::vector<int64_t>& ids)
{
    const auto values = floatValues(matrix);
    const auto rows = static_cast<size_t>(matrix.size(0));
    if (!ids.empty() && ids.size() != rows)
        throw std::invalid_argument("matrixCsv: one id per row");
    const auto cols = static_cast<size_t>(matrix.size(1));
    std::string out = "id";
    for (size_t j = 0; j < cols; ++j)
        out += "," + prefix + std::to_string(j);
    out += '\n';
    char buffer[32];
    for (size_t i = 0; i < rows; ++i)
    {
        out += std::to_string(ids.empty() ? static_cast<int64_t>(i) : ids[i]);
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

namespace
{

// An .npy file (format 1.0, C order) of `bytes` values with NumPy's dtype `descr` and `shape`.
std::string npyFile(const std::string& descr, const std::string& shape, const char* bytes,
                    size_t size)
{
    std::string header =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64.
    const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(bytes, size);
    return out;
}

} // namespace

std::string matrixNpy(const at::Tensor& matrix)
{
    static_assert(std::endian::native == std::endian::little, "npy data is written as '<f4'");
    const auto values = floatValues(matrix);
    return npyFile("<f4", std::to_string(matrix.size(0)) + ", " + std::to_string(matrix.size(1)),
                   reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

std::string integersNpy(const std::vector<int64_t>& values)
{
    static_assert(std::endian::native == std::endian::little, "npy data is written as '<i8'");
    return npyFile("<i8", std::to_string(values.size()) + ",",
                   reinterpret_cast<const char*>(values.data()), values.size() * sizeof(int64_t));
}

std::string bytesNpy(const std::vector<uint8_t>& values)
{
    return npyFile("|u1", std::to_string(values.size()) + ",",
                   reinterpret_cast<const char*>(values.data()), values.size());
}

std::string floatsNpy(const std::vector<float>& values, int64_t rows)
{
    static_assert(std::endian::native == std::endian::little, "npy data is written as '<f4'");
    const auto count = static_cast<int64_t>(values.size());
    if (rows < 0 || (rows == 0 ? count != 0 : count % rows != 0))
        throw std::invalid_argument("floatsNpy: " + std::to_string(count) + " values do not make " +
                                    std::to_string(rows) + " rows");
    return npyFile("<f4", std::to_string(rows) + ", " + std::to_string(rows ? count / rows : 0),
                   reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

} // namespace clusterscope
