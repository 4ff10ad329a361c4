#pragma once
// How different two colours look: CIELAB coordinates of sRGB colours and the CIEDE2000 colour
// difference (Sharma, Wu & Dalal 2005, "The CIEDE2000 color-difference formula: implementation
// notes, supplementary test data, and mathematical observations"). CIEDE2000 corrects CIE76's
// euclidean distance in CIELAB where it misjudges the eye most, in saturated blues and
// violets: two blue-violets 26 apart in CIE76 can be 6 apart in CIEDE2000, which is what the
// eye sees. The palettes (palette.h) choose their colours by it.

#include <array>
#include <cstdint>

namespace clusterscope
{

struct CieLab
{
    double l = 0, a = 0, b = 0; // L* in [0, 100]; a*, b* about [-128, 127]
};

// Linear sRGB (each channel in [0, 1], D65 white) to CIELAB.
CieLab cieLabOfLinear(const std::array<double, 3>& linearRgb);
// An sRGB channel byte (0..255) to linear light in [0, 1] (IEC 61966-2-1).
double linearChannel(uint32_t byte);
// 0xRRGGBB (sRGB) to CIELAB.
CieLab cieLab(uint32_t rgb);

// The CIEDE2000 difference of two colours (kL = kC = kH = 1): 0 for the same colour, about 1
// for a just noticeable difference, symmetric. Matches Sharma et al.'s test pairs to 4
// decimals, but for pairs 12 to 14: their hues are 180 degrees apart, where rounding picks
// which way the mean hue goes (7.1792 here, 7.2195 there).
double ciede2000(const CieLab& p, const CieLab& q);

} // namespace clusterscope
