#include <clusterscope/pipeline/capabilities_text.h>

#include <sstream>

namespace clusterscope
{

std::string describeCapabilities(const Capabilities& c)
{
    std::ostringstream out;
    out << "input: "
        << (c.input == InputKind::SquareImages     ? "square single-channel images"
            : c.input == InputKind::SoftAssignment ? "an N x K soft assignment"
            : c.input == InputKind::Partition      ? "a table and its cluster labels"
                                                   : "any table");
    if (c.maxRows > 0)
        out << " of at most " << c.maxRows << " rows";
    if (c.maxInputMagnitude > 0)
        out << ", values within +-" << c.maxInputMagnitude << " (scale first)";
    out << "; devices: CPU" << (c.cuda ? ", CUDA" : " only");
    if (c.input == InputKind::SoftAssignment)
    {
        // A layout: its outputs are LayoutResult's, whatever the other flags say.
        out << "; outputs: a cycle of the clusters, anchor angles, 2-D coordinates, outlier "
               "scores";
        return out.str();
    }
    if (c.input == InputKind::Partition)
    {
        // An explainer: its outputs are the Explanation's.
        out << "; outputs: per cluster, rules over the features with their coverage and "
               "precision, or its features ranked against the rest";
        return out.str();
    }
    out << "; outputs: labels";
    if (c.softAssignments)
        out << ", soft assignments";
    if (c.learnsEmbedding)
        out << ", an embedding";
    if (c.marksNoise)
        out << ", noise (-1)";
    if (c.trains)
        out << "; trains (checkpoints, cache" << (c.canPause ? ", pause" : "") << ")";
    if (!c.clusterCount.empty())
        out << "; number of clusters: " << c.clusterCount;
    if (c.placesNewRows)
        out << "; places new rows into a saved map (embed --save-model, --transform-from)";
    if (!c.threadInvariant)
        out << "; results may change with the thread count";
    return out.str();
}

} // namespace clusterscope
