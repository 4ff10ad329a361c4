#pragma once
// Where outputs go, checked before any work starts: a long run must not end by replacing its own
// input, one output with another, or by finding that its result cannot be written.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clusterscope
{

// (flag, path) of one output, e.g. {"--out", "labels.csv"}: the flag names it in messages.
using OutputPath = std::pair<std::string, std::string>;

// Refuses outputs that would replace an input or each other, or that cannot be written.
//   inputs:  the files and folders the work reads (existing or not).
//   outputs: the files it will write; each must be a file path, not a folder.
// Two paths are the same file when they have the same device and inode (symbolic and hard
// links to a file are that file), or, for files that do not exist yet, the same
// weakly_canonical path. An output inside an input folder (e.g. an IDX folder) counts as
// that input. Devices and pipes (/dev/null, /dev/stdout) are written in place and may be
// named more than once.
// Each output's folder must exist and accept a new file; this is tested by creating an
// anonymous (or, where unsupported, a named and at once removed) file there, because access()
// answers from permissions and mount flags only: it says yes to root where the filesystem
// refuses new files (/proc, /sys, a full inode table). The outputs themselves are neither
// created nor changed.
// Throws ParameterError naming the output's flag and path: with the input it would replace, or
// with the other output's flag; or with the folder that is missing or not writable, or when
// the path is a folder.
void checkOutputPaths(const std::vector<std::string>& inputs,
                      const std::vector<OutputPath>& outputs);

// Refuses a folder the work will create files in (a cache), checked before any work starts:
// `path` must be a folder where a file can be created, or not exist yet below the nearest
// existing folder, which must then accept a new folder. Nothing is created.
// Throws ParameterError naming `flag` and the path: when it is a file, or when the folder (or
// the nearest existing one above it) refuses new files, with the reason.
void checkOutputFolder(const std::string& flag, const std::string& path);

// The outputs among `maybe` whose path was given, in order: for options that are optional.
std::vector<OutputPath>
givenOutputs(const std::vector<std::pair<std::string, std::optional<std::string>>>& maybe);

// The file a write to `path` replaces: symbolic links in the last component followed (also
// dangling ones, whose target is then created); other components are left as they are.
// Devices, pipes and sockets are returned unresolved: they are written in place.
// Throws Error naming the path after 40 links (a loop).
std::string resolveOutputTarget(const std::string& path);

} // namespace clusterscope
