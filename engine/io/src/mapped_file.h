#pragma once
// A read-only memory map of a whole file; loaders parse straight from it.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace clusterscope
{

class MappedFile
{
public:
    // Throws DataError naming the file when it cannot be opened (see RegularFile) or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const char* data() const { return data_; }
    size_t size() const { return size_; }
    std::string_view view() const { return {data_, size_}; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    const char* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace clusterscope
