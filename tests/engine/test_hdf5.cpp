// The HDF5 loader: AnnData .h5ad files (sparse CSR/CSC and dense X, categorical obs in both
// encodings, var names, obsm embeddings, layers) and plain .h5 files. The fixtures are written
// by tests/reference/h5ad_fixtures.py (h5py, read back by anndata); the expected values below are
// what that script prints. Damaged copies are made here.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace clusterscope;

namespace
{

const std::string kDir = CLUSTERSCOPE_TEST_DATA "/h5ad/";

// X of every .h5ad fixture, row-major.
const std::vector<float> kX = {0, 1.5, 0, 2, 3, 0, 0, 0, 0, 0, 0.25, 0, 4, 0.5, 0, 1, 0, 0, 0, 8};
const std::vector<std::string> kGenes = {"CD19", "CD3E", "NKG7", "MS4A1"};
const std::vector<std::string> kCellTypes = {"B", "NK", "T"};
const std::vector<int64_t> kCellTypeCodes = {0, 2, 0, 1, 2};

std::vector<float> hdf5Values(const at::Tensor& t)
{
    const auto c = t.contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

QByteArray readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", path.c_str());
    return f.readAll();
}

const MetadataColumn* column(const Dataset& d, const std::string& name)
{
    for (const auto& c : d.metadata)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace

class TestHdf5 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsHdf5ByMagicBytes()
    {
        QCOMPARE(detectFormat(kDir + "csr.h5ad"), std::string("h5ad"));
        QCOMPARE(detectFormat(kDir + "two.h5"), std::string("hdf5"));
        // By content, whatever the name.
        QTemporaryDir dir;
        const auto renamed = fixtures::write(dir, "cells.bin", readAll(kDir + "csr.h5ad"));
        QCOMPARE(detectFormat(renamed), std::string("hdf5"));
        const auto d = loadDataset(renamed); // AnnData recognised by its layout
        QCOMPARE(d.format, std::string("h5ad"));
        QCOMPARE(hdf5Values(d.features), kX);
    }

    void sparseCsrWithCategoricalObsAndObsm()
    {
        LoadOptions options;
        options.labelColumn = "cell_type";
        const auto d = loadDataset(kDir + "csr.h5ad", options);
        QCOMPARE(d.format, std::string("h5ad"));
        QCOMPARE(d.rows(), 5);
        QCOMPARE(d.cols(), 4);
        QCOMPARE(hdf5Values(d.features), kX);
        QCOMPARE(d.featureNames, kGenes);
        QCOMPARE(d.labelColumn, std::string("cell_type"));
        QCOMPARE(d.labelNames, kCellTypes);
        QCOMPARE(d.labels, kCellTypeCodes);
        QCOMPARE(d.labelText(d.labels[3]), std::string("NK"));
        // The other obs columns are metadata: numbers and strings (variable-length UTF-8).
        QCOMPARE(d.metadata.size(), size_t{2});
        const auto* counts = column(d, "n_counts");
        QVERIFY(counts && counts->isNumeric());
        QCOMPARE(counts->numbers, (std::vector<double>{3.5, 3.0, 0.25, 5.5, 8.0}));
        const auto* batch = column(d, "batch");
        QVERIFY(batch && !batch->isNumeric());
        QCOMPARE(batch->categories, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(batch->codes, (std::vector<int32_t>{0, 1, 0, 1, 0}));
        // obsm: both embeddings, by name, in float32.
        QCOMPARE(d.embeddings.size(), size_t{2});
        const auto& pca = d.embeddings[0].name == "X_pca" ? d.embeddings[0] : d.embeddings[1];
        const auto& umap = d.embeddings[0].name == "X_umap" ? d.embeddings[0] : d.embeddings[1];
        QCOMPARE(umap.name, std::string("X_umap"));
        QCOMPARE(umap.values.sizes().vec(), (std::vector<int64_t>{5, 2}));
        QCOMPARE(hdf5Values(umap.values),
                 (std::vector<float>{0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25}));
        QCOMPARE(pca.values.sizes().vec(), (std::vector<int64_t>{5, 3}));
        QCOMPARE(hdf5Values(pca.values)[0], -7.0F);
        QCOMPARE(hdf5Values(pca.values)[14], 7.0F);
        // scanpy's palette, uns['cell_type_colors'], in any of its spellings, as #rrggbb; one
        // that does not fit its column (batch: one colour, two categories) is left out by name.
        QCOMPARE(d.labelColors, (std::vector<std::string>{"#1f77b4", "#ff8800", "#2ca02c"}));
        QVERIFY(batch->colors.empty());
        QCOMPARE(d.warnings.size(), size_t{1});
        QVERIFY2(d.warnings[0].find("uns/batch_colors holds 1 colours for 2 categories") !=
                     std::string::npos,
                 d.warnings[0].c_str());
        // Without --label-column, nothing named like a label: cell_type stays metadata.
        const auto plain = loadDataset(kDir + "csr.h5ad");
        QCOMPARE(column(plain, "cell_type")->colors,
                 (std::vector<std::string>{"#1f77b4", "#ff8800", "#2ca02c"}));
        QVERIFY(!plain.hasLabels());
        QCOMPARE(plain.metadata.size(), size_t{3});
        // An unknown obs column is named with those there are.
        options.labelColumn = "celltype";
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "csr.h5ad", options), "csr.h5ad",
                        "obs/celltype", "cell_type", "n_counts");
        // Rows selected later keep the embeddings in step.
        const auto two = selectRows(d, {4, 1});
        QCOMPARE(hdf5Values(two.embeddings[0].values).size(),
                 size_t(2 * d.embeddings[0].values.size(1)));
        QCOMPARE(
            hdf5Values(umap.values)[8],
            hdf5Values((two.embeddings[0].name == "X_umap" ? two.embeddings[0] : two.embeddings[1])
                           .values)[0]);
    }

    void emptyOrNanLabelsAreMissingLabels()
    {
        // Before: the empty category name was a class of its own (ACC and ARI counted it),
        // while the CSV and .npz loaders refuse an empty label as missing.
        LoadOptions options;
        options.labelColumn = "cell_type";
        CS_EXPECT_ERROR(MissingValueError, loadDataset(kDir + "empty_label.h5ad", options),
                        "empty_label.h5ad", "obs/cell_type");
        options.missing = MissingPolicy::Drop;
        const auto d = loadDataset(kDir + "empty_label.h5ad", options);
        QCOMPARE(d.rows(), 3);
        QCOMPARE(d.droppedRows, int64_t{2});
        QCOMPARE(d.labelNames, (std::vector<std::string>{"B", "T"}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 1, 0}));
        QCOMPARE(d.inputRows, (std::vector<int64_t>{0, 2, 3}));
        // Padded names and NA or nan as text, as the CSV loader reads them (issue 13's third
        // trial: 'nan' and ' A' were classes of their own).
        const auto text = loadDataset(kDir + "text_labels.h5ad", options);
        QCOMPARE(text.labelNames, (std::vector<std::string>{"A", "B"}));
        QCOMPARE(text.labels, (std::vector<int64_t>{0, 0, 1}));
        QCOMPARE(text.inputRows, (std::vector<int64_t>{0, 1, 4}));
    }

    void layersChosenWithArray()
    {
        LoadOptions options;
        options.array = "counts";
        auto d = loadDataset(kDir + "csr.h5ad", options);
        auto doubled = kX;
        for (auto& v : doubled)
            v *= 2;
        QCOMPARE(hdf5Values(d.features), doubled);
        QCOMPARE(d.featureNames, kGenes);
        options.array = "layers/counts";
        QCOMPARE(hdf5Values(loadDataset(kDir + "csr.h5ad", options).features), doubled);
        options.array = "spliced";
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "csr.h5ad", options), "csr.h5ad", "spliced",
                        "counts");
    }

    void sparseCscAndDense()
    {
        LoadOptions options;
        options.labelColumn = "cell_type";
        const auto csc = loadDataset(kDir + "csc.h5ad", options); // int64 indices, float64 data
        QCOMPARE(hdf5Values(csc.features), kX);
        QCOMPARE(csc.labels, kCellTypeCodes);
        QCOMPARE(csc.labelNames, kCellTypes);
        QVERIFY(csc.embeddings.empty());
        // Dense float64; an integer obs column named "label" is taken as the labels.
        const auto dense = loadDataset(kDir + "dense.h5ad");
        QCOMPARE(hdf5Values(dense.features), kX);
        QCOMPARE(dense.labelColumn, std::string("label"));
        QCOMPARE(dense.labels, (std::vector<int64_t>{1, 0, 1, 2, 0}));
        QVERIFY(dense.labelNames.empty());
    }

    void oldCategoricalEncoding()
    {
        // anndata < 0.8: integer codes with a reference to obs/__categories/cell_type.
        LoadOptions options;
        options.labelColumn = "cell_type";
        const auto d = loadDataset(kDir + "old_categorical.h5ad", options);
        QCOMPARE(hdf5Values(d.features), kX);
        QCOMPARE(d.labels, kCellTypeCodes);
        QCOMPARE(d.labelNames, kCellTypes);
        QVERIFY(d.metadata.empty()); // __categories is not a column
    }

    void plainHdf5()
    {
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "two.h5"), "two.h5", "/first (3 x 2)",
                        "/group/second (5 x 4)", "--dataset", "Matrix list");
        // The chooser's list: every 2-D numeric dataset by path with its shape, none read.
        const auto arrays = hdf5Arrays(kDir + "two.h5");
        QCOMPARE(arrays.size(), size_t{2});
        QCOMPARE(arrays[0].name, std::string("/first"));
        QCOMPARE(arrays[0].shape, (std::vector<int64_t>{3, 2}));
        QCOMPARE(arrays[1].name, std::string("/group/second"));
        QCOMPARE(arrays[1].shape, (std::vector<int64_t>{5, 4}));
        // An AnnData file offers X (sparse: its shape attribute) and its layers.
        const auto layers = hdf5Arrays(kDir + "csr.h5ad");
        QCOMPARE(layers.size(), size_t{2});
        QCOMPARE(layers[0].name, std::string("X"));
        QCOMPARE(layers[0].shape, (std::vector<int64_t>{5, 4}));
        QCOMPARE(layers[1].name, std::string("layers/counts"));
        CS_EXPECT_ERROR(DataError, hdf5Arrays(kDir + "../wine.csv"), "wine.csv",
                        "not an HDF5 file");
        LoadOptions options;
        options.array = "/first";
        const auto first = loadDataset(kDir + "two.h5", options);
        QCOMPARE(first.format, std::string("hdf5"));
        QCOMPARE(hdf5Values(first.features), (std::vector<float>{0, 1, 2, 3, 4, 5}));
        options.array = "group/second";
        QCOMPARE(hdf5Values(loadDataset(kDir + "two.h5", options).features), kX);
        options.array = "/labels";
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "two.h5", options), "two.h5", "/labels",
                        "2-D");
        options.array = "/nothing";
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "two.h5", options), "two.h5", "/nothing",
                        "no such dataset");
        QCOMPARE(hdf5Values(loadDataset(kDir + "one.h5").features), kX);
    }

    void damagedFilesGiveClearErrors()
    {
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "bad_indptr.h5ad"), "bad_indptr.h5ad",
                        "X/indptr", "not monotone");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "bad_indices.h5ad"), "bad_indices.h5ad",
                        "X/indices", "out of range for 4 columns");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "x3d.h5ad"), "x3d.h5ad", "X", "2 x 2 x 2");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "no_x.h5ad"), "no_x.h5ad", "no X matrix");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "unknown_encoding.h5ad"),
                        "unknown_encoding.h5ad", "X", "unknown sparse encoding 'coo_matrix'");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "huge.h5ad"), "huge.h5ad", "1000000 x 100000",
                        "372.5 GiB");
        // Before: a 500-byte file declaring 4 GB it never wrote loaded as 10.9 GB of zeros.
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "unwritten.h5"), "unwritten.h5", "matrix",
                        "declares 4000000000 bytes", "stores 0", "never written");
        CS_EXPECT_ERROR(DataError, loadDataset(kDir + "unwritten.h5ad"), "unwritten.h5ad", "X",
                        "never written");

        // Truncated copies of every good fixture, at many lengths: a DataError each time, never
        // a crash or the library's own error stack.
        QTemporaryDir dir;
        for (const char* name : {"csr.h5ad", "csc.h5ad", "old_categorical.h5ad", "two.h5"})
        {
            const auto good = readAll(kDir + name);
            const auto size = static_cast<int>(good.size());
            for (int cut : {7, 100, 512, 1024, 2048, size / 2, size - 100, size - 1})
            {
                const auto path =
                    fixtures::write(dir, QString("cut-%1-%2").arg(cut).arg(name), good.left(cut));
                LoadOptions options;
                options.array = std::string(name) == "two.h5" ? "/first" : "";
                CS_EXPECT_ERROR(DataError, loadDataset(path, options), path.c_str());
            }
        }
        // Named .h5ad but not HDF5 at all.
        const auto text = fixtures::write(dir, "text.h5ad", "a,b\n1,2\n");
        CS_EXPECT_ERROR(DataError, loadDataset(text), "text.h5ad", "not an HDF5 file");
    }
};

QTEST_GUILESS_MAIN(TestHdf5)
#include "test_hdf5.moc"
