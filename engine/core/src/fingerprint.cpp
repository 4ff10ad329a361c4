#include <clusterscope/core/fingerprint.h>

#include <ATen/ATen.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace clusterscope
{

namespace
{

constexpr uint64_t kOffset = 14695981039346656037ull;
constexpr uint64_t kPrime = 1099511628211ull;

uint64_t mix(uint64_t h, const void* bytes, size_t size)
{
    const auto* p = static_cast<const unsigned char*>(bytes);
    size_t i = 0;
    for (; i + 8 <= size; i += 8)
    {
        uint64_t w = 0;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * kPrime;
    }
    for (; i < size; ++i)
        h = (h ^ p[i]) * kPrime;
    return h;
}

std::string hexDigits(uint64_t h)
{
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(h));
    return text;
}

} // namespace

std::string contentHash(const Dataset& data)
{
    uint64_t h = kOffset;
    const auto x = data.features.contiguous();
    const int64_t shape[2] = {x.dim() > 0 ? x.size(0) : 0, x.dim() > 1 ? x.size(1) : 0};
    h = mix(h, shape, sizeof(shape));
    h = mix(h, x.data_ptr(), static_cast<size_t>(x.numel()) * x.element_size());
    h = mix(h, data.labels.data(), data.labels.size() * sizeof(int64_t));
    if (data.hasCentredColumns()) // files that differ only by a centred offset differ here
        h = mix(h, data.featureOffsets.data(), data.featureOffsets.size() * sizeof(double));
    return hexDigits(h);
}

std::string tensorHash(const at::Tensor& values)
{
    if (!values.defined())
        return {};
    const auto x = values.cpu().contiguous();
    uint64_t h = kOffset;
    const auto shape = x.sizes();
    h = mix(h, shape.data(), shape.size() * sizeof(int64_t));
    const int type = static_cast<int>(x.scalar_type());
    h = mix(h, &type, sizeof(type));
    h = mix(h, x.data_ptr(), static_cast<size_t>(x.numel()) * x.element_size());
    return hexDigits(h);
}

} // namespace clusterscope
