// NumPy .npy files, header versions 1-3. Little-endian C-order float32 is memory-mapped with
// no copy; other dtypes, big-endian data and Fortran order are converted to float32.

#include "../array_values.h"
#include "../checked_size.h"
#include "../float32_features.h"
#include "../mapped_file.h"
#include "../row_identifiers.h"
#include "npy_array.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

namespace clusterscope
{

namespace
{

struct NpyHeader
{
    char byteOrder = '<';
    char kind = 'f';
    int64_t itemSize = 4;
    bool fortranOrder = false;
    std::vector<int64_t> shape;
    size_t dataOffset = 0;
    std::string dtype; // the descr without its byte order: "f4", "O", "M8[D]", "structured"
};

uint32_t readLittleEndian(const unsigned char* p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
    {
        v = (v << 8) | p[i];
    }
    return v;
}

// The dictionary's keys, in order: the quoted strings directly inside its braces that a ':'
// follows (strings inside the values, e.g. a record dtype's field names, are deeper).
std::vector<std::string> dictKeys(std::string_view dict)
{
    std::vector<std::string> keys;
    int depth = 0;
    for (size_t i = 0; i < dict.size(); ++i)
    {
        const char c = dict[i];
        if (c == '{' || c == '(' || c == '[')
            ++depth;
        else if (c == '}' || c == ')' || c == ']')
            --depth;
        else if (c == '\'' || c == '"')
        {
            const auto end = dict.find(c, i + 1);
            if (end == std::string_view::npos)
                break;
            const auto after = dict.find_first_not_of(' ', end + 1);
            if (depth == 1 && after != std::string_view::npos && dict[after] == ':')
                keys.emplace_back(dict.substr(i + 1, end - i - 1));
            i = end;
        }
    }
    return keys;
}

// The value text that follows 'key': in the header's Python dict literal.
std::string_view dictValue(std::string_view dict, std::string_view key, const std::string& path)
{
    // Python writes 'key'; "key" is the same dict to np.load.
    std::string quoted = "'" + std::string(key) + "'";
    auto at = dict.find(quoted);
    if (at == std::string_view::npos)
    {
        quoted = "\"" + std::string(key) + "\"";
        at = dict.find(quoted);
    }
    const auto colon = at == std::string_view::npos ? at : dict.find(':', at + quoted.size());
    if (colon == std::string_view::npos)
    {
        throw DataError(path + ": the NPY header has no '" + std::string(key) + "' entry");
    }
    auto rest = dict.substr(colon + 1);
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    return rest;
}

NpyHeader parseHeader(const char* data, size_t size, const std::string& path)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    if (size < 6 || std::memcmp(data, "\x93NUMPY", 6) != 0)
    {
        throw DataError(path + ": not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
    }
    if (size < 10)
        throw DataError(path + ": a NumPy .npy file cut short: " + std::to_string(size) +
                        " bytes, where the version and header length alone take 10");
    const int major = bytes[6];
    if (major < 1 || major > 3)
    {
        throw DataError(path + ": NPY format version " + std::to_string(major) +
                        " is not supported; expected 1, 2 or 3");
    }
    const int lengthBytes = major == 1 ? 2 : 4;
    const size_t headerStart = 8 + static_cast<size_t>(lengthBytes);
    if (size < headerStart)
    {
        throw DataError(path + ": the NPY header is truncated");
    }
    const size_t headerLength = readLittleEndian(bytes + 8, lengthBytes);
    if (size < headerStart + headerLength)
    {
        throw DataError(path + ": the NPY header is truncated (it announces " +
                        std::to_string(headerLength) + " bytes)");
    }
    const std::string_view dict(data + headerStart, headerLength);
    // NumPy writes a Python dict literal, padded with spaces and ended by a newline.
    const auto open = dict.find_first_not_of(' ');
    const auto close = dict.find_last_not_of(std::string_view(" \n\0", 3));
    if (open == std::string_view::npos || dict[open] != '{' || close == std::string_view::npos ||
        dict[close] != '}')
    {
        throw DataError(path + ": the NPY header is not a dictionary ({...}); the file is "
                               "damaged or was not written by NumPy");
    }
    // NumPy's keys, each once: a repeated one is read last-wins by np.load, and anything else
    // is not NumPy's writing.
    auto keys = dictKeys(dict);
    std::sort(keys.begin(), keys.end());
    if (keys != std::vector<std::string>{"descr", "fortran_order", "shape"})
    {
        std::string listed;
        for (const auto& k : dictKeys(dict))
            listed += (listed.empty() ? "'" : ", '") + k + "'";
        throw DataError(path + ": the NPY header's keys are " + listed +
                        "; NumPy writes 'descr', 'fortran_order' and 'shape', each once: the file "
                        "is damaged or was not written by NumPy");
    }
    NpyHeader h;
    h.dataOffset = headerStart + headerLength;

    const auto descr = dictValue(dict, "descr", path);
    if (!descr.empty() && descr.front() == '[')
    {
        h.kind = 'V'; // a structured (record) dtype: a list of named fields
        h.itemSize = 0;
        h.dtype = "structured";
    }
    else
    {
        const char quote = descr.empty() ? '\0' : descr.front();
        if ((quote != '\'' && quote != '"') || descr.find(quote, 1) == std::string::npos)
        {
            throw DataError(path + ": unreadable NPY dtype '" +
                            std::string(descr.substr(0, descr.find_first_of(",}"))) + "'");
        }
        const auto type = descr.substr(1, descr.find(quote, 1) - 1);
        if (type.size() < 2)
        {
            throw DataError(path + ": unreadable NPY dtype '" + std::string(type) + "'");
        }
        h.byteOrder = type[0];
        h.kind = type[1];
        h.dtype = std::string(type.substr(1));
        // The item size, then a unit for dates and durations ('<M8[ns]'); object arrays ('|O')
        // have none: their items are pickled.
        const auto digits = type.substr(2, type.find('[') - 2);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), h.itemSize);
        const bool sized = ec == std::errc() && end == digits.data() + digits.size();
        if ((!sized && !digits.empty()) || h.itemSize < 0)
        {
            throw DataError(path + ": unreadable NPY dtype '" + std::string(type) + "'");
        }
        h.itemSize = sized ? h.itemSize : 0;
    }
    const auto order = dictValue(dict, "fortran_order", path);
    if (!order.starts_with("True") && !order.starts_with("False"))
    {
        throw DataError(path + ": the NPY header's fortran_order is '" +
                        std::string(order.substr(0, order.find_first_of(",}"))) +
                        "', neither True nor False");
    }
    h.fortranOrder = order.starts_with("True");

    auto shape = dictValue(dict, "shape", path);
    if (shape.empty() || shape.front() != '(')
    {
        throw DataError(path + ": unreadable NPY shape");
    }
    shape = shape.substr(1, shape.find(')') - 1);
    const char* p = shape.data();
    const char* stop = shape.data() + shape.size();
    while (p < stop)
    {
        while (p < stop && (*p == ' ' || *p == ','))
        {
            ++p;
        }
        if (p == stop)
        {
            break;
        }
        int64_t dim = 0;
        auto [next, err] = std::from_chars(p, stop, dim);
        if (err != std::errc() || dim < 0)
        {
            throw DataError(path + ": unreadable NPY shape '(" + std::string(shape) + ")'");
        }
        h.shape.push_back(dim);
        p = next;
    }
    return h;
}

void appendUtf8(std::string& out, uint32_t code)
{
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        code = 0xFFFD; // not a character: the replacement mark
    if (code < 0x80)
        out += static_cast<char>(code);
    else if (code < 0x800)
    {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
    else if (code < 0x10000)
    {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
    else
    {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// The tensor type that holds the array's bytes as they are; unsigned integers wider than a
// byte are read as the signed type of their size and widened afterwards (widenUnsigned).
std::optional<at::ScalarType> storageType(char kind, int64_t itemSize)
{
    const std::string code = std::string(1, kind) + std::to_string(itemSize);
    if (code == "f4")
        return at::kFloat;
    if (code == "f8")
        return at::kDouble;
    if (code == "f2")
        return at::kHalf;
    if (code == "u1")
        return at::kByte;
    if (code == "i1")
        return at::kChar;
    if (code == "i2" || code == "u2")
        return at::kShort;
    if (code == "i4" || code == "u4")
        return at::kInt;
    if (code == "i8" || code == "u8")
        return at::kLong;
    if (code == "b1")
        return at::kBool;
    return std::nullopt;
}

at::ScalarType scalarType(const NpyHeader& h, const std::string& path)
{
    if (const auto type = storageType(h.kind, h.itemSize))
        return *type;
    throw DataError(unsupportedNpyDtype(h.dtype, path));
}

// uint16/32/64 values from the signed type their bytes were read as. uint64 becomes float64:
// no signed type holds its upper half.
at::Tensor widenUnsigned(const at::Tensor& raw, int64_t itemSize)
{
    if (itemSize == 2)
        return raw.to(at::kInt).bitwise_and(0xFFFF);
    if (itemSize == 4)
        return raw.to(at::kLong).bitwise_and(int64_t{0xFFFFFFFF});
    const auto wide = raw.to(at::kDouble);
    return at::where(wide < 0, wide + 18446744073709551616.0, wide);
}

} // namespace

std::string unsupportedNpyDtype(const std::string& dtype, const std::string& path)
{
    const char kind = dtype.empty() ? '?' : dtype[0];
    // An .npz member's path is "archive.npz: NAME.npy": the advice names NAME.
    const auto at = path.rfind(".npz: ");
    std::string var = at == std::string::npos ? "arr" : path.substr(at + 6);
    if (var.ends_with(".npy"))
        var.resize(var.size() - 4);
    // The re-save that works, for a file or an archive's member.
    const auto resave = [&](const std::string& expression)
    {
        return at == std::string::npos ? "np.save(path, " + expression + ")"
                                       : "np.savez(path, " + var + "=" + expression + ", ...)";
    };
    const std::string what = path + ": NPY dtype '" + dtype + "' ";
    if (dtype == "structured")
        return path +
               ": a structured (record) array, with named fields, cannot be read; make it "
               "a plain table of numbers: from numpy.lib import recfunctions as rfn; " +
               resave("rfn.structured_to_unstructured(" + var + ").astype(np.float32)");
    switch (kind)
    {
    case 'O':
        return path +
               ": the array holds pickled Python objects (dtype object), which ClusterScope "
               "does not unpickle: unpickling can run any code. Re-save it as numbers: " +
               resave("np.asarray(" + var + ", dtype=np.float32)") +
               "; text as strings: np.asarray(" + var + ", dtype=str)";
    case 'c':
        return what +
               "holds complex numbers, which have no order or distance ClusterScope "
               "knows; save their real and imaginary parts as columns: " +
               resave("np.stack([" + var + ".real, " + var + ".imag], -1).reshape(len(" + var +
                      "), -1).astype(np.float32)");
    case 'M':
        return what + "holds dates and times; save them as numbers, e.g. seconds since 1970: " +
               resave(var + ".astype('datetime64[s]').astype(np.int64).astype(np.float64)");
    case 'm':
        return what + "holds durations; save them as numbers, e.g. in seconds: " +
               resave(var + " / np.timedelta64(1, 's')");
    case 'U':
    case 'S':
        return what + "holds text, and the features must be numbers; text labels belong in an "
                      ".npz beside the features: np.savez(path, X=features, y=labels)";
    case 'f':
        return what + "is a float of a width that LibTorch cannot hold (long double); " +
               resave(var + ".astype(np.float64)");
    default:
        return what +
               "is not supported; expected float16/32/64, int8/16/32/64, uint8/16/32/64 "
               "or bool: " +
               resave("np.asarray(" + var + ", dtype=np.float32)");
    }
}

bool isSupportedNpyDtype(const std::string& dtype)
{
    if (dtype.size() < 2)
        return false;
    int64_t size = 0;
    auto [end, ec] = std::from_chars(dtype.data() + 1, dtype.data() + dtype.size(), size);
    return ec == std::errc() && end == dtype.data() + dtype.size() &&
           storageType(dtype[0], size).has_value();
}

NpyArray readNpyArray(std::shared_ptr<const void> owner, const char* bytes, size_t size,
                      const std::string& path)
{
    const NpyHeader h = parseHeader(bytes, size, path);
    const at::ScalarType dtype = scalarType(h, path);
    const size_t expected = byteCount(h.shape, static_cast<size_t>(h.itemSize), path);
    const size_t available = size - h.dataOffset;
    if (available < expected)
    {
        throw DataError(path + ": the file is truncated: the header announces " +
                        std::to_string(expected) + " bytes of data but only " +
                        std::to_string(available) + " follow");
    }
    void* data = const_cast<char*>(bytes + h.dataOffset);
    const bool bigEndian = h.byteOrder == '>' && h.itemSize > 1;
    std::vector<char> swapped;
    if (bigEndian)
    {
        swapped.assign(bytes + h.dataOffset, bytes + h.dataOffset + expected);
        for (size_t i = 0; i < expected; i += static_cast<size_t>(h.itemSize))
        {
            std::reverse(swapped.begin() + static_cast<std::ptrdiff_t>(i),
                         swapped.begin() + static_cast<std::ptrdiff_t>(i) + h.itemSize);
        }
        data = swapped.data();
    }
    // The raw array as NumPy lays it out; Fortran order is the reversed shape, transposed.
    std::vector<int64_t> layout = h.shape;
    if (h.fortranOrder)
    {
        std::reverse(layout.begin(), layout.end());
    }
    at::Tensor raw;
    // NumPy pads its header to 64 bytes, but another writer's header length may leave the data
    // at any offset: a view there would hand out misaligned elements, so those are copied.
    const bool aligned = reinterpret_cast<uintptr_t>(data) % c10::elementSize(dtype) == 0;
    if (!bigEndian && aligned)
    {
        // Keep the owner (a mapping, a buffer) alive for as long as the tensor views it.
        raw = at::from_blob(
            data, layout, [owner](void*) {}, at::TensorOptions().dtype(dtype));
    }
    else
    {
        raw = at::empty(layout, at::TensorOptions().dtype(dtype));
        if (expected > 0) // an empty tensor's data pointer is null
        {
            std::memcpy(raw.data_ptr(), data, expected);
        }
    }
    if (h.fortranOrder)
    {
        std::vector<int64_t> order(layout.size());
        for (size_t i = 0; i < order.size(); ++i)
        {
            order[i] = static_cast<int64_t>(order.size() - 1 - i);
        }
        raw = raw.permute(order);
    }
    if (h.kind == 'u' && h.itemSize > 1)
    {
        raw = widenUnsigned(raw, h.itemSize);
    }
    return {raw, h.shape};
}

NpyShape peekNpyShape(const char* bytes, size_t size, const std::string& path)
{
    const NpyHeader h = parseHeader(bytes, size, path);
    return {h.shape, h.dtype, h.dataOffset};
}

std::vector<std::string> readNpyStrings(const char* bytes, size_t size, const std::string& path)
{
    const NpyHeader h = parseHeader(bytes, size, path);
    // A 0-d array is one string (scipy.sparse.save_npz's format.npy holds b'csr').
    const bool column = h.shape.size() <= 1 || (h.shape.size() == 2 && h.shape[1] == 1);
    if (!column || (h.kind != 'U' && h.kind != 'S'))
    {
        throw DataError(path + ": expected a 1-D array of strings (dtype U or S)");
    }
    // 'U' counts UTF-32 characters, 'S' bytes.
    size_t width = 0;
    if (!checkedMultiply(static_cast<size_t>(h.itemSize), h.kind == 'U' ? 4 : 1, width))
    {
        throw DataError(path + ": the string dtype's item size " + std::to_string(h.itemSize) +
                        " is beyond any file; the header is damaged");
    }
    const auto count = h.shape.empty() ? size_t{1} : static_cast<size_t>(h.shape[0]);
    if (size - h.dataOffset < byteCount(h.shape, width, path))
    {
        throw DataError(path + ": the file is truncated: " + std::to_string(count) +
                        " strings of " + std::to_string(width) + " bytes do not fit");
    }
    std::vector<std::string> out(count);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes + h.dataOffset);
    for (size_t i = 0; i < count; ++i)
    {
        const auto* item = data + i * width;
        std::string& text = out[i];
        if (h.kind == 'S')
        {
            text.assign(reinterpret_cast<const char*>(item), width);
            text.resize(std::min(text.find('\0'), text.size())); // NumPy pads with NULs
            continue;
        }
        for (size_t c = 0; c < width; c += 4)
        {
            const unsigned char* u = item + c;
            const uint32_t code =
                h.byteOrder == '>'
                    ? (uint32_t(u[0]) << 24) | (uint32_t(u[1]) << 16) | (uint32_t(u[2]) << 8) | u[3]
                    : (uint32_t(u[3]) << 24) | (uint32_t(u[2]) << 16) | (uint32_t(u[1]) << 8) |
                          u[0];
            if (code == 0)
                break;
            appendUtf8(text, code);
        }
    }
    return out;
}

Dataset datasetFromArray(const NpyArray& array, const std::string& path, const std::string& format,
                         const std::string& where)
{
    const auto& s = array.shape;
    if (s.empty())
    {
        throw DataError(where + ": the array is a scalar (shape ()); expected one row per sample");
    }
    const int64_t rows = s[0];
    const int64_t cols = rows == 0 ? 0 : array.values.numel() / rows;
    if (rows == 0 || cols == 0)
    {
        throw DataError(where + ": the array is empty (shape " + shapeText(s) +
                        "); expected at least one row and one column");
    }
    Dataset out;
    out.source = path;
    out.format = format;
    for (int64_t c = 0; c < cols; ++c)
    {
        out.featureNames.push_back("f" + std::to_string(c));
    }
    out.features = toFloat32Features(array.values.reshape({rows, cols}), where, out.featureNames,
                                     out.featureOffsets);
    if (s.size() == 3 || (s.size() == 4 && (s[3] == 1 || s[3] == 3 || s[3] == 4)))
    {
        out.imageShape = ImageShape{s[1], s[2], s.size() == 4 ? s[3] : 1};
    }
    return out;
}

Dataset loadNpy(const std::string& path, const LoadOptions& options)
{
    auto file = std::make_shared<MappedFile>(path);
    const auto array = readNpyArray(file, file->data(), file->size(), path);
    Dataset out = datasetFromArray(array, path, "npy", path);
    applyValuePolicy(out, array.values, {}, options.missing, path, path);
    separateRowIdentifiers(out, options.idColumn, path);
    return out;
}

} // namespace clusterscope
