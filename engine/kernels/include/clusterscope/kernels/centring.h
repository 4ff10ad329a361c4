#pragma once
// Data far from zero (map coordinates in metres, timestamps) breaks |x|^2 - 2 x.c + |c|^2 in
// float32: the norms swamp the distances between the rows. Every translation-invariant method
// therefore works on its rows minus their per-column mean, taken in float64, and adds the mean
// back to the centres or means it returns. The column sums double as the finiteness check: one
// NaN or infinity makes its column's sum non-finite, so the check costs no extra pass.

#include <ATen/core/Tensor.h>

#include <string_view>

namespace clusterscope
{

class Progress;

// Throws DataError when a value of x (N x D, any dtype, any device) is NaN or
// infinite: "<method>: the features contain NaN or infinite values (first at row r, column c);
// choose a missing-value policy when loading". With `progress`, each of these passes polls its
// cancel flag between row blocks of about 2^20 values (CancelledError); they never report.
void requireFiniteFeatures(const at::Tensor& x, std::string_view method,
                           const Progress* progress = nullptr);

// The per-column means of x (N x D): D float64 on x's device. Throws as requireFiniteFeatures,
// and ParameterError when x is not two-dimensional.
at::Tensor finiteColumnMeans(const at::Tensor& x, std::string_view method,
                             const Progress* progress = nullptr);

struct CentredFeatures
{
    // N x D contiguous, x - mean rounded to the requested dtype. When float32 loses nothing to
    // x's offset (CPU float32 input with |mean|^2 at most 16 times the total variance), x itself,
    // uncopied, and `mean` is zero: never modify `rows` in place.
    at::Tensor rows;
    at::Tensor mean; // D float64, on x's device

    // centred + mean, rounded to centred's dtype: centres found on `rows` in the input's frame.
    at::Tensor restore(const at::Tensor& centred) const;
    // points - mean, rounded to points' dtype: the input's points in the frame of `rows`.
    at::Tensor centre(const at::Tensor& points) const;
};

// x (N x D, any dtype) minus its column means, as float32 or float64 (`dtype`), on x's
// device. Throws as finiteColumnMeans, and for float32 also FeatureScaleError (errors.h) when the
// centred values are too large for their squared distances to stay finite. Not for cosine
// dissimilarities, which are not translation invariant.
CentredFeatures centreFeatures(const at::Tensor& x, std::string_view method,
                               at::ScalarType dtype = at::kFloat,
                               const Progress* progress = nullptr);

} // namespace clusterscope
