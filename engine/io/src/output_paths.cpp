#include <clusterscope/core/errors.h>
#include <clusterscope/io/output_paths.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterscope
{

namespace fs = std::filesystem;

namespace
{

// What a path names on disk, if anything, and where it would be if it does not exist yet.
struct FileIdentity
{
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    mode_t mode = 0;
    fs::path canonical; // weakly canonical: symbolic links in the existing part resolved
};

FileIdentity identify(const std::string& path)
{
    FileIdentity id;
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) == 0)
    {
        id.exists = true;
        id.device = st.st_dev;
        id.inode = st.st_ino;
        id.mode = st.st_mode;
    }
    std::error_code ec;
    id.canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec)
    {
        id.canonical = fs::absolute(path, ec).lexically_normal();
    }
    return id;
}

bool sameFile(const FileIdentity& a, const FileIdentity& b)
{
    if (a.exists != b.exists)
    {
        return false;
    }
    return a.exists ? a.device == b.device && a.inode == b.inode : a.canonical == b.canonical;
}

// Whether `folder` is one of the folders above `path` (by device and inode, so a folder
// reached through a link or a bind mount counts).
bool insideFolder(const fs::path& path, const FileIdentity& folder)
{
    for (fs::path p = path.parent_path(); !p.empty(); p = p.parent_path())
    {
        struct stat st
        {
        };
        if (::stat(p.c_str(), &st) == 0 && st.st_dev == folder.device && st.st_ino == folder.inode)
        {
            return true;
        }
        if (p == p.root_path())
        {
            return false;
        }
    }
    return false;
}

bool writtenInPlace(const FileIdentity& id)
{
    return id.exists && !S_ISREG(id.mode) && !S_ISDIR(id.mode);
}

// Whether a program has the FIFO open for reading: opening it to write without blocking fails
// with ENXIO when none has.
bool pipeHasReader(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno != ENXIO;
    ::close(fd);
    return true;
}

// 0 when a new file can be created in `dir`, else the errno that says why not.
int folderRefusal(const std::string& dir)
{
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
    {
        return errno;
    }
    // access() answers from permissions and mount flags: root is told yes in /proc or /sys.
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0)
    {
        ::close(fd); // an anonymous file: closing it leaves nothing behind
        return 0;
    }
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    {
        return errno;
    }
    // This filesystem has no anonymous files: a named probe, removed at once.
    std::string probe = (fs::path(dir) / ".clusterscope-probe-XXXXXX").string();
    fd = ::mkstemp(probe.data());
    if (fd < 0)
    {
        return errno;
    }
    ::close(fd);
    ::unlink(probe.c_str());
    return 0;
}

void checkWritable(const std::string& flag, const std::string& path, const std::string& target,
                   const FileIdentity& id)
{
    const std::string named = flag + " '" + path + "'";
    if (writtenInPlace(id))
    {
        if (::access(target.c_str(), W_OK) != 0)
        {
            throw ParameterError(named + " cannot be written (" + std::strerror(errno) + ")");
        }
        if (S_ISFIFO(id.mode) && !pipeHasReader(target))
        {
            throw ParameterError(named +
                                 " is a pipe (FIFO) that no program is reading, so "
                                 "writing to it would wait forever; start its reader "
                                 "first (e.g. 'cat " +
                                 path + " &') or give a file");
        }
        return;
    }
    if (id.exists && S_ISDIR(id.mode))
    {
        throw ParameterError(named + " is a folder; give the path of a file inside it");
    }
    const fs::path t(target);
    const std::string dir = t.has_parent_path() ? t.parent_path().string() : ".";
    struct stat st
    {
    };
    if (::stat(dir.c_str(), &st) != 0)
    {
        throw ParameterError(named + ": the folder '" + dir + "' does not exist (" +
                             std::strerror(errno) + "); create it first or choose another path");
    }
    if (!S_ISDIR(st.st_mode))
    {
        throw ParameterError(named + ": '" + dir + "' is not a folder");
    }
    if (const int refusal = folderRefusal(dir))
    {
        throw ParameterError(named + ": no file can be created in '" + dir + "' (" +
                             std::strerror(refusal) + "); choose a writable folder");
    }
}

} // namespace

std::string resolveOutputTarget(const std::string& path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    {
        return path; // a folder (refused by the callers), a device or a pipe: nothing to resolve
    }
    fs::path p(path);
    for (int links = 0; links < 40; ++links)
    {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(p, ec)))
        {
            return p.string();
        }
        const fs::path next = fs::read_symlink(p, ec);
        if (ec)
        {
            throw Error(path + ": cannot read the link '" + p.string() + "' (" + ec.message() +
                        ")");
        }
        p = next.is_absolute() ? next : p.parent_path() / next;
    }
    throw Error(path + ": too many levels of symbolic links");
}

void checkOutputFolder(const std::string& flag, const std::string& path)
{
    const std::string named = flag + " '" + path + "'";
    std::error_code ec;
    fs::path existing = fs::absolute(path, ec);
    // The folder itself, or the nearest one above it that exists (the rest is created).
    while (!fs::exists(existing, ec) && existing.has_parent_path() &&
           existing != existing.parent_path())
        existing = existing.parent_path();
    if (!fs::is_directory(existing, ec))
        throw ParameterError(named + ": '" + existing.string() +
                             "' is a file, not a folder; choose another folder");
    if (const int refusal = folderRefusal(existing.string()))
        throw ParameterError(named + ": no file can be created in '" + existing.string() + "' (" +
                             std::strerror(refusal) + "); choose a writable folder");
}

std::vector<OutputPath>
givenOutputs(const std::vector<std::pair<std::string, std::optional<std::string>>>& maybe)
{
    std::vector<OutputPath> given;
    for (const auto& [flag, path] : maybe)
    {
        if (path)
        {
            given.emplace_back(flag, *path);
        }
    }
    return given;
}

void checkOutputPaths(const std::vector<std::string>& inputs,
                      const std::vector<OutputPath>& outputs)
{
    std::vector<FileIdentity> inputIds;
    for (const auto& input : inputs)
    {
        inputIds.push_back(identify(input));
    }
    std::vector<std::string> targets;
    std::vector<FileIdentity> outputIds;
    for (const auto& [flag, path] : outputs)
    {
        try
        {
            targets.push_back(resolveOutputTarget(path));
        }
        catch (const Error& e)
        {
            throw ParameterError(flag + ": " + e.what());
        }
        outputIds.push_back(identify(targets.back()));
    }

    for (size_t o = 0; o < outputs.size(); ++o)
    {
        const auto& [flag, path] = outputs[o];
        const FileIdentity& out = outputIds[o];
        if (writtenInPlace(out))
        {
            continue; // /dev/null, a pipe: writing there replaces nothing
        }
        for (size_t i = 0; i < inputs.size(); ++i)
        {
            const FileIdentity& in = inputIds[i];
            if (sameFile(out, in))
            {
                throw ParameterError(flag + " '" + path + "' is the input '" + inputs[i] +
                                     "': writing it would replace the data; choose another "
                                     "path for " +
                                     flag);
            }
            if (in.exists && S_ISDIR(in.mode) && insideFolder(out.canonical, in))
            {
                throw ParameterError(flag + " '" + path + "' is inside the input folder '" +
                                     inputs[i] +
                                     "', which is read as a whole; write it outside that folder");
            }
        }
        for (size_t other = 0; other < o; ++other)
        {
            if (sameFile(out, outputIds[other]))
            {
                throw ParameterError(outputs[other].first + " '" + outputs[other].second +
                                     "' and " + flag + " '" + path +
                                     "' are the same file, so one would replace the other; give "
                                     "them different paths");
            }
        }
    }
    for (size_t o = 0; o < outputs.size(); ++o)
    {
        checkWritable(outputs[o].first, outputs[o].second, targets[o], outputIds[o]);
    }
}

} // namespace clusterscope
