#pragma once
// The palettes of clusters, labels and numbers. The view, the figures and the exports (an
// .h5ad's uns['<key>_colors']) all take their colours from here, so that a cluster has one
// colour wherever it is shown. No Qt: the engine's writers use it too.
//
// Categorical palettes, chosen by how many categories there are (CategoricalPalette::Auto):
// - Okabe-Ito up to 8 (Okabe & Ito 2008, "Color Universal Design"; safe for the common colour
//   vision deficiencies), black last;
// - a 20-colour set up to 20 (Tableau 10 and its light companions, reordered so that
//   neighbours contrast, as scanpy's default_20);
// - Glasbey-style beyond (Glasbey et al. 2007, "Colour displays for categorical images"):
//   each colour is the sRGB colour farthest in CIELAB from white, the noise grey and every
//   colour before it, among colours light and dark enough to read on white.
// A palette chosen by name that has fewer colours than the categories gives way to the next
// larger one, so that two categories never share a colour.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clusterscope
{

// The id the view gives rows a run did not cluster (a subset, a re-clustered selection), told
// from noise (-1).
constexpr int64_t kNotClustered = -2;

enum class CategoricalPalette
{
    Auto,
    OkabeIto, // 8 colours
    Twenty,   // 20 colours
    Glasbey,  // 256 computed colours, then golden-angle hues
};

// Continuous maps, both perceptually uniform: viridis (van der Walt & Smith 2015) and cividis
// (Nunez, Anderton & Renslow 2018, also read by people with a colour vision deficiency).
enum class ContinuousPalette
{
    Viridis,
    Cividis,
};

// "auto", "okabe-ito", "twenty", "glasbey"; "viridis", "cividis" (Preferences, CLI flags).
std::string paletteName(CategoricalPalette palette);
std::string paletteName(ContinuousPalette palette);
std::optional<CategoricalPalette> categoricalPaletteNamed(std::string_view name);
std::optional<ContinuousPalette> continuousPaletteNamed(std::string_view name);

// How many colours a palette has before it gives way (Glasbey: its 256 computed ones).
int64_t paletteSize(CategoricalPalette palette);
// The palette drawn for `count` categories when `requested` is asked for: Auto picks by
// count; a named palette too small for `count` gives way to the next larger one.
CategoricalPalette resolvePalette(CategoricalPalette requested, int64_t count);

// 0xRRGGBB of category `index` (0-based) among `count` categories (count <= 0: index + 1).
// Noise (-1) is grey, kNotClustered (-2) a lighter grey, in every palette.
uint32_t categoricalRgb(int64_t index, int64_t count,
                        CategoricalPalette palette = CategoricalPalette::Auto);
// The same as "#rrggbb".
std::string categoricalHex(int64_t index, int64_t count,
                           CategoricalPalette palette = CategoricalPalette::Auto);

// 0xRRGGBB at t in [0, 1] (clamped; NaN reads as 0), interpolated in sRGB between 9 stops of
// matplotlib's 256-entry tables.
uint32_t continuousRgb(double t, ContinuousPalette palette = ContinuousPalette::Viridis);

} // namespace clusterscope
