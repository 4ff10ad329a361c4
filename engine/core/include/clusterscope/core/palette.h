#pragma once
// The palettes of clusters, labels and numbers. The view, the figures and the exports (an
// .h5ad's uns['<key>_colors']) all take their colours from here, so that a cluster has one
// colour wherever it is shown. No Qt: the engine's writers use it too.
//
// Categorical palettes (CategoricalPalette):
// - Auto, safe for the common colour vision deficiencies: Okabe & Ito's 8 colours (2008, "Color
//   Universal Design", black last); then 12 more, each the sRGB colour farthest by CIEDE2000
//   (colour_difference.h) from every colour before it (white and the noise grey count as
//   taken) as seen with normal vision and as simulated for protanopia and deuteranopia
//   (Machado, Oliveira & Fernandes 2009, severity 1); then up to 256, farthest for normal
//   vision (Glasbey, van der Heijden, Toh & Gray 2007, "Colour displays for categorical
//   images"), by CIEDE2000 up to 64 and CIE76 beyond. The palettes nest: category i keeps its
//   colour however many categories there are.
// - Tableau: matplotlib's tab20, its ten strong colours first and then their light companions,
//   up to 20 categories; more take Auto's colours.
// - Glasbey: 256 colours farthest for normal vision from the first on (the most distinct, not
//   safe for colour blindness), by the same measures.
// Candidates are limited to lightness 30..78, so that every colour reads on white, and to
// chroma 15 or more, so that none reads as the noise grey. Past 256 categories no palette keeps
// them apart: golden-angle hues.

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
    Tableau,
    Glasbey,
};

// Continuous maps, both perceptually uniform: viridis (van der Walt & Smith 2015) and cividis
// (Nunez, Anderton & Renslow 2018, also read by people with a colour vision deficiency).
enum class ContinuousPalette
{
    Viridis,
    Cividis,
};

// "auto", "tableau", "glasbey"; "viridis", "cividis" (Preferences).
std::string paletteName(CategoricalPalette palette);
std::string paletteName(ContinuousPalette palette);
std::optional<CategoricalPalette> categoricalPaletteNamed(std::string_view name);
std::optional<ContinuousPalette> continuousPaletteNamed(std::string_view name);

// 0xRRGGBB of category `index` (0-based) among `count` categories (only Tableau's choice
// depends on the count; count <= index: index + 1). Noise (-1) is grey, kNotClustered (-2) a
// lighter grey, in every palette.
uint32_t categoricalRgb(int64_t index, int64_t count,
                        CategoricalPalette palette = CategoricalPalette::Auto);
// The same as "#rrggbb".
std::string categoricalHex(int64_t index, int64_t count,
                           CategoricalPalette palette = CategoricalPalette::Auto);

// 0xRRGGBB at t in [0, 1] (clamped; NaN reads as 0), interpolated in sRGB between 9 stops of
// matplotlib's 256-entry tables.
uint32_t continuousRgb(double t, ContinuousPalette palette = ContinuousPalette::Viridis);

} // namespace clusterscope
