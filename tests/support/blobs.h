#pragma once
// Gaussian blobs with a known number of centres, written as a CSV: data whose right k is not in
// doubt, for the tests that check which k a sweep suggests.

#include <QFile>
#include <QString>

#include <random>

namespace fixtures
{

// `centres` blobs (at most dims + 1) of `perCentre` rows in `dims` columns named f0, f1, ...:
// centre c < dims sits at 10 along axis c, the last one (c == dims) at the origin, so centres
// are 10 or more apart; each coordinate has standard deviation 0.5. Rows cycle through the
// centres. `offset` is added to every value; `withLabel` adds a last column 'label' with the
// centre. Returns false if the file cannot be written.
inline bool writeBlobsCsv(const QString& path, int centres, int perCentre, int dims,
                          unsigned seed = 7, double offset = 0.0, bool withLabel = false)
{
    QFile f(path);
    if (centres > dims + 1 || !f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.5);
    QString text;
    for (int d = 0; d < dims; ++d)
        text += (d ? ",f" : "f") + QString::number(d);
    text += withLabel ? ",label\n" : "\n";
    for (int i = 0; i < centres * perCentre; ++i)
    {
        const int c = i % centres;
        for (int d = 0; d < dims; ++d)
            text += (d ? "," : "") +
                    QString::number(offset + (c == d ? 10.0 : 0.0) + noise(rng), 'f', 5);
        text += withLabel ? "," + QString::number(c) + "\n" : "\n";
    }
    return f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace fixtures
