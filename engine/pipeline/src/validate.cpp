#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h> // MissingValueError
#include <clusterscope/pipeline/validate.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace clusterscope
{

namespace
{

std::string columnName(const Dataset& data, int64_t column)
{
    const auto c = static_cast<size_t>(column);
    const std::string index = "column " + std::to_string(column);
    return c < data.featureNames.size() ? index + " ('" + data.featureNames[c] + "')" : index;
}

// The input kind and row limit: what needs no pass over the values.
std::string shapeProblem(const Dataset& data, const OperationInfo& op)
{
    if (op.caps.input == InputKind::SquareImages &&
        (!data.imageShape || data.imageShape->height != data.imageShape->width ||
         data.imageShape->channels != 1))
    {
        return op.displayName +
               " needs square single-channel images (an IDX file, or an .npz of N x H x H "
               "images); this dataset is " +
               (data.imageShape ? "of " + std::to_string(data.imageShape->height) + " x " +
                                      std::to_string(data.imageShape->width) + " images"
                                : "a table of " + std::to_string(data.cols()) + " columns");
    }
    if (op.caps.maxRows > 0 && data.rows() > op.caps.maxRows)
    {
        return op.displayName + " accepts at most " + std::to_string(op.caps.maxRows) +
               " rows; the data have " + std::to_string(data.rows()) +
               ": take a --subset or use another method";
    }
    return {};
}

std::string rowCountProblem(int64_t rows, const OperationInfo& op, int64_t clusters)
{
    if (rows < 2)
        return op.displayName + " needs at least 2 rows; the data have " + std::to_string(rows);
    if (clusters > rows)
    {
        const auto spec =
            std::find_if(op.params.begin(), op.params.end(),
                         [&](const ParamSpec& p) { return p.name == op.caps.clusterCount; });
        const std::string flag = spec != op.params.end() ? spec->flag() : op.caps.clusterCount;
        return op.caps.clusterCount + " = " + std::to_string(clusters) +
               " clusters need at least " + std::to_string(clusters) +
               " rows, as every cluster holds at least one row; the data have " +
               std::to_string(rows) + ": lower " + flag + " to " + std::to_string(rows) +
               " or less, or use more rows";
    }
    return {};
}

// Parameters that count rows (ParamSpec::rowsExcluded) beyond what the data hold: a minimum
// cluster size above the row count would make every row noise, silently. The error says why
// the bound exists (ParamSpec::rowBoundReason) and what to do.
std::string rowBoundProblem(int64_t rows, const OperationInfo& op, const ParamSet& params)
{
    for (const auto& spec : op.params)
    {
        if (spec.rowsExcluded < 0 || spec.type != ParamType::Int)
            continue;
        const int64_t most = rows - spec.rowsExcluded;
        const int64_t value = params.integer(spec.name);
        if (value > most)
            return op.displayName + ": " + spec.name + " = " + std::to_string(value) +
                   " is more than the " + std::to_string(rows) + " rows allow (at most " +
                   std::to_string(most) +
                   (spec.rowsExcluded > 0 ? ", the rows - " + std::to_string(spec.rowsExcluded)
                                          : std::string()) +
                   ") because " + spec.rowBoundReason + "; lower " + spec.flag() + " to " +
                   std::to_string(most) + " or less, or use more rows";
    }
    return {};
}

void checkFinite(const Dataset& data)
{
    const auto& x = data.features;
    const float* v = x.data_ptr<float>();
    const int64_t n = x.numel();
    for (int64_t i = 0; i < n; ++i)
    {
        if (std::isfinite(v[i]))
            continue;
        const int64_t row = i / x.size(1);
        const int64_t col = i % x.size(1);
        const std::string where = "row " + std::to_string(row) + ", " + columnName(data, col);
        if (std::isnan(v[i]))
            throw MissingValueError(
                where + " is missing (NaN): choose a missing-value policy (--missing drop "
                        "to drop such rows, or impute-mean), or fix the value");
        throw DataError(where + " is infinite: no missing-value policy applies; fix or remove "
                                "the value (a number beyond float32's 3.4e38 is infinite too)");
    }
}

void checkMagnitude(const Dataset& data, const OperationInfo& op)
{
    if (op.caps.maxInputMagnitude <= 0 || data.rows() == 0)
        return;
    const auto top = data.features.abs().amax(0);
    const int64_t col = top.argmax().item<int64_t>();
    const double largest = top[col].item<double>();
    if (largest <= op.caps.maxInputMagnitude)
        return;
    std::ostringstream out;
    out << op.displayName << " trains on values up to about " << op.caps.maxInputMagnitude
        << ", but " << columnName(data, col) << " reaches " << largest
        << ": scale the data first (--scaling standardize for tables, scale01 for 8-bit "
           "images, or minmax)";
    throw DataError(out.str());
}

int64_t clustersAsked(const OperationInfo& op, const ParamSet& params)
{
    return op.caps.clusterCount.empty() ? 0 : params.integer(op.caps.clusterCount);
}

} // namespace

void validateInput(const Dataset& data, const OperationInfo& op, const ParamSet& params)
{
    const auto& x = data.features;
    if (!x.defined() || x.dim() != 2 || x.scalar_type() != at::kFloat || !x.device().is_cpu() ||
        !x.is_contiguous())
        throw DataError("the features must be an N x D float32 table on the CPU");
    if (x.size(1) == 0)
        throw DataError("the data have no feature columns");
    if (const auto problem = rowCountProblem(data.rows(), op, clustersAsked(op, params));
        !problem.empty())
        throw ParameterError(problem);
    if (const auto problem = shapeProblem(data, op); !problem.empty())
        throw ParameterError(problem);
    checkFinite(data);
    checkMagnitude(data, op);
    if (const auto problem = rowBoundProblem(data.rows(), op, params); !problem.empty())
        throw ParameterError(problem);
}

std::string whyNotRunnable(const Dataset& data, const OperationInfo& op)
{
    if (auto problem = shapeProblem(data, op); !problem.empty())
        return problem;
    return rowCountProblem(data.rows(), op, 0);
}

} // namespace clusterscope
