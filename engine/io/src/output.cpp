#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterscope
{

void writeFileAtomically(const std::string& path, const std::string& content)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
    {
        throw Error(path + ": cannot write here (" + std::strerror(errno) + ")");
    }
    size_t written = 0;
    while (written < content.size())
    {
        const ssize_t w = ::write(fd, content.data() + written, content.size() - written);
        if (w < 0)
        {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmpl.c_str());
            throw Error(path + ": writing failed (" + why + "); the old file is untouched");
        }
        written += static_cast<size_t>(w);
    }
    // Data on disk before the rename makes it visible; then readable like a normal file.
    const bool ok = ::fsync(fd) == 0 && ::fchmod(fd, 0644) == 0 && ::close(fd) == 0;
    if (!ok || std::rename(tmpl.c_str(), path.c_str()) != 0)
    {
        const std::string why = std::strerror(errno);
        ::unlink(tmpl.c_str());
        throw Error(path + ": could not be replaced (" + why + ")");
    }
}

std::string labelsCsv(const ClusteringResult& result)
{
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
        int len = std::snprintf(buffer, sizeof buffer, "%zu,%lld", i,
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

Json Json::object(const std::map<std::string, double>& values)
{
    Object o;
    for (const auto& [k, v] : values)
    {
        o.emplace_back(k, Json(v));
    }
    return Json(std::move(o));
}

namespace
{

void writeString(std::string& out, const std::string& s)
{
    out += '"';
    for (unsigned char c : s)
    {
        switch (c)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20)
            {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                out += b;
            }
            else
            {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void newline(std::string& out, int indent, int depth)
{
    if (indent > 0)
    {
        out += '\n';
        out.append(static_cast<size_t>(indent) * static_cast<size_t>(depth), ' ');
    }
}

} // namespace

void Json::write(std::string& out, int indent, int depth) const
{
    if (std::holds_alternative<std::nullptr_t>(value_))
    {
        out += "null";
    }
    else if (const auto* d = std::get_if<double>(&value_))
    {
        if (!std::isfinite(*d))
        {
            out += "null"; // JSON has no NaN or infinity
        }
        else if (*d == std::floor(*d) && std::fabs(*d) < 1e15)
        {
            out += std::to_string(static_cast<long long>(*d));
        }
        else
        {
            char b[32];
            std::snprintf(b, sizeof b, "%.10g", *d);
            out += b;
        }
    }
    else if (const auto* b = std::get_if<bool>(&value_))
    {
        out += *b ? "true" : "false";
    }
    else if (const auto* s = std::get_if<std::string>(&value_))
    {
        writeString(out, *s);
    }
    else if (const auto* o = std::get_if<Object>(&value_))
    {
        out += '{';
        for (size_t i = 0; i < o->size(); ++i)
        {
            out += i ? "," : "";
            newline(out, indent, depth + 1);
            writeString(out, (*o)[i].first);
            out += indent > 0 ? ": " : ":";
            (*o)[i].second.write(out, indent, depth + 1);
        }
        if (!o->empty())
        {
            newline(out, indent, depth);
        }
        out += '}';
    }
    else if (const auto* a = std::get_if<Array>(&value_))
    {
        out += '[';
        for (size_t i = 0; i < a->size(); ++i)
        {
            out += i ? "," : "";
            newline(out, indent, depth + 1);
            (*a)[i].write(out, indent, depth + 1);
        }
        if (!a->empty())
        {
            newline(out, indent, depth);
        }
        out += ']';
    }
}

std::string Json::dump(int indent) const
{
    std::string out;
    write(out, indent, 0);
    out += '\n';
    return out;
}

} // namespace clusterscope
