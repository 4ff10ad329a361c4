#pragma once
// Writers for handmade test fixtures: text, NPY (any version, dtype, byte order, layout),
// IDX and gzip. Tests build their inputs byte by byte so every case is visible in the test.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <string>
#include <vector>
#include <zlib.h>

namespace fixtures
{

inline std::string write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
    {
        qFatal("cannot write fixture %s", qPrintable(path));
    }
    f.write(bytes);
    return path.toStdString();
}

inline QByteArray gzip(const QByteArray& raw)
{
    z_stream s{};
    deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(static_cast<int>(deflateBound(&s, static_cast<uLong>(raw.size()))), '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    s.avail_in = static_cast<uInt>(raw.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    deflate(&s, Z_FINISH);
    out.resize(static_cast<int>(s.total_out));
    deflateEnd(&s);
    return out;
}

// An .npy file: `descr` like "<f4", the shape, and the raw data bytes as NumPy would lay them.
inline QByteArray npy(int version, const std::string& descr, const std::vector<int64_t>& shape,
                      const QByteArray& data, bool fortran = false)
{
    std::string dict = "{'descr': '" + descr +
                       "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (";
    for (size_t i = 0; i < shape.size(); ++i)
    {
        dict += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
    }
    dict += "), }";
    const int prefix = version == 1 ? 10 : 12;
    while ((prefix + dict.size() + 1) % 64 != 0)
    {
        dict += ' ';
    }
    dict += '\n';
    QByteArray out("\x93NUMPY", 6);
    out.append(static_cast<char>(version));
    out.append('\0');
    const auto len = static_cast<uint32_t>(dict.size());
    out.append(static_cast<char>(len & 0xff));
    out.append(static_cast<char>((len >> 8) & 0xff));
    if (version != 1)
    {
        out.append(static_cast<char>((len >> 16) & 0xff));
        out.append(static_cast<char>((len >> 24) & 0xff));
    }
    out.append(dict.data(), static_cast<int>(dict.size()));
    out.append(data);
    return out;
}

template <typename T> QByteArray bytesOf(const std::vector<T>& values, bool bigEndian = false)
{
    QByteArray out;
    for (T v : values)
    {
        char b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        if (bigEndian)
        {
            std::reverse(b, b + sizeof(T));
        }
        out.append(b, sizeof(T));
    }
    return out;
}

// An IDX file of unsigned bytes with the given dimensions.
inline QByteArray idx(const std::vector<uint32_t>& dims, const QByteArray& values)
{
    QByteArray out;
    out.append('\0');
    out.append('\0');
    out.append('\x08');
    out.append(static_cast<char>(dims.size()));
    for (uint32_t d : dims)
    {
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            out.append(static_cast<char>((d >> shift) & 0xff));
        }
    }
    out.append(values);
    return out;
}

} // namespace fixtures

// Checks that `expr` throws E and that the message contains every fragment given.
#define CS_EXPECT_ERROR(E, expr, ...)                                                              \
    do                                                                                             \
    {                                                                                              \
        bool thrown_ = false;                                                                      \
        try                                                                                        \
        {                                                                                          \
            (void)(expr);                                                                          \
        }                                                                                          \
        catch (const E& e_)                                                                        \
        {                                                                                          \
            thrown_ = true;                                                                        \
            const std::string msg_ = e_.what();                                                    \
            for (const char* frag_ : {__VA_ARGS__})                                                \
            {                                                                                      \
                QVERIFY2(msg_.find(frag_) != std::string::npos,                                    \
                         qPrintable(QString("'%1' not in: %2").arg(frag_, msg_.c_str())));         \
            }                                                                                      \
        }                                                                                          \
        QVERIFY2(thrown_, "expected " #E " from " #expr);                                          \
    } while (false)
