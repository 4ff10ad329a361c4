// The import step's engine side (issue 21): lines to skip, columns set apart as metadata or
// ignored, the median imputation, and the table preview that proposes a label column and says
// where every column goes, on hand-written tables and scikit-learn's bundled CSVs.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/table_preview.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace clusterscope;
using fixtures::write;

namespace
{

const std::string kSklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data/";

const ColumnPreview& column(const TablePreview& p, const std::string& name)
{
    for (const auto& c : p.columns)
        if (c.name == name)
            return c;
    throw std::runtime_error("no column " + name);
}

template <typename F> std::string errorOf(F&& f)
{
    try
    {
        f();
    }
    catch (const Error& e)
    {
        return e.what();
    }
    return {};
}

// A penguins-like table: a quoted-integer id, a text class column, two text metadata columns,
// missing values in one feature (rows 2 and 5) and in one text column.
QByteArray penguins()
{
    QByteArray t = "id,species,island,bill_length_mm,bill_depth_mm,sex\n";
    const char* species[] = {"Adelie", "Gentoo", "Chinstrap"};
    for (int r = 1; r <= 12; ++r)
    {
        const QByteArray length = r == 2 || r == 5 ? "NA" : QByteArray::number(38.0 + r);
        t += "\"" + QByteArray::number(r) + "\"," + species[r % 3] + "," +
             (r % 2 ? "Torgersen" : "Biscoe") + "," + length + "," +
             QByteArray::number(15 + r % 4) + "," + (r == 7 ? "" : (r % 2 ? "male" : "female")) +
             "\n";
    }
    return t;
}

} // namespace

class TestTableImport : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void skipLinesReadsTheTableBelowATitle()
    {
        const auto path = write(dir, "titled.csv",
                                "Measurements, spring 2024\nsource: field station\n"
                                "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        // Without skipping, the title is taken for the first row, and the next lines disagree.
        QVERIFY(errorOf([&] { loadDataset(path); }).find("fields") != std::string::npos);
        LoadOptions o;
        o.skipLines = 2;
        const auto d = loadDataset(path, o);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(floatValues(d.features), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        QCOMPARE(d.labelNames, (std::vector<std::string>{"x", "y"}));
        // Errors count lines from the top of the file, skipped ones included.
        const auto bad = write(dir, "titled_bad.csv", "title\na,b\n1,2\n3,oops\n1,1\n");
        o.skipLines = 1;
        QVERIFY2(errorOf([&] { loadDataset(bad, o); }).find("line 4") != std::string::npos,
                 errorOf([&] { loadDataset(bad, o); }).c_str());
        o.skipLines = 9;
        const auto all = errorOf([&] { loadDataset(path, o); });
        QVERIFY2(all.find("nothing is left after skipping the first 9 lines") != std::string::npos,
                 all.c_str());
        o.skipLines = -1;
        QVERIFY(errorOf([&] { loadDataset(path, o); }).find("--skip-lines") != std::string::npos);
    }

    void columnsSetApartAsMetadataOrIgnored()
    {
        const auto path =
            write(dir, "batches.csv", "x,y,batch,notes\n1,2,7,a\n3,4,7,b\n5,6,8,c\n7,8,8,d\n");
        const auto plain = loadDataset(path);
        QCOMPARE(plain.featureNames, (std::vector<std::string>{"x", "y", "batch"}));
        LoadOptions o;
        o.metadataColumns = {"batch"};
        const auto kept = loadDataset(path, o);
        QCOMPARE(kept.featureNames, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(kept.metadata.size(), size_t(2)); // batch (numbers) and notes (text)
        QCOMPARE(kept.metadata[0].name, std::string("batch"));
        QCOMPARE(kept.metadata[0].numbers, (std::vector<double>{7, 7, 8, 8}));
        o.ignoreColumns = {"3"}; // notes, by its 0-based index
        const auto ignored = loadDataset(path, o);
        QCOMPARE(ignored.metadata.size(), size_t(1));
        QCOMPARE(ignored.metadata[0].name, std::string("batch"));
        // A column that is not there is named, with the columns that are.
        o.ignoreColumns = {"note"};
        const auto missing = errorOf([&] { loadDataset(path, o); });
        QVERIFY2(missing.find("no column 'note' for --ignore-columns; the columns are x, y, "
                              "batch, notes") != std::string::npos,
                 missing.c_str());
        // One role per column.
        o.ignoreColumns = {"batch"};
        QVERIFY(errorOf([&] { loadDataset(path, o); }).find("give it one role") !=
                std::string::npos);
        // A label chosen later (the Dataset panel's list) keeps its role over the lists.
        LoadOptions labelled;
        labelled.labelColumn = "batch";
        labelled.metadataColumns = {"batch", "notes"};
        const auto byBatch = loadDataset(path, labelled);
        QCOMPARE(byBatch.labelColumn, std::string("batch"));
        QCOMPARE(byBatch.featureNames, (std::vector<std::string>{"x", "y"}));
        // A guessed label column that is set apart is not taken.
        const auto guessed = write(dir, "guessed.csv", "x,class\n1,0\n2,1\n");
        LoadOptions apart;
        apart.metadataColumns = {"class"};
        QVERIFY(!loadDataset(guessed, apart).hasLabels());
        QVERIFY(loadDataset(guessed).hasLabels());
    }

    void medianImputationTakesTheMiddleValue()
    {
        // Column a: 1, 3, 10 present: median 3 (mean 4.67). Column b: 1, 2, 4, 100: the even
        // count's median is the middle two's average, 3 (NumPy's and scikit-learn's).
        const auto path = write(dir, "median.csv", "a,b\n1,1\nNA,2\n3,NA\n10,4\n1,100\n");
        LoadOptions o;
        o.missing = MissingPolicy::ImputeMedian;
        const auto d = loadDataset(path, o);
        QCOMPARE(floatValues(d.features), (std::vector<float>{1, 1, 2, 2, 3, 3, 10, 4, 1, 100}));
        QCOMPARE(d.imputedValues, int64_t(2));
        QCOMPARE(parseMissingPolicy("impute-median"), MissingPolicy::ImputeMedian);
        o.missing = MissingPolicy::ImputeMean; // the other policy differs: the test can tell
        const auto mean = floatValues(loadDataset(path, o).features);
        QVERIFY(std::abs(mean[2] - 3.75F) < 1e-6F);
        // A column with no value at all has nothing to impute from (a table's empty column is
        // left out before, with a warning; an array's stays).
        at::Tensor x = at::tensor({1.0F, NAN, 2.0F, NAN}).reshape({2, 2});
        QVERIFY(errorOf([&] { imputeMissingValues(x, MissingPolicy::ImputeMedian, "x.npy"); })
                    .find("x.npy: column 1 has no values at all") != std::string::npos);
        at::Tensor y = at::tensor({1.0F, NAN, 2.0F, 5.0F, 4.0F, 6.0F}).reshape({3, 2});
        QCOMPARE(imputeMissingValues(y, MissingPolicy::ImputeMedian, "y.npy"), int64_t(1));
        QCOMPARE(y[0][1].item<float>(), 5.5F);
        QCOMPARE(imputeMissingValues(y, MissingPolicy::Drop, "y.npy"), int64_t(0));
    }

    void previewProposesTheTextClassColumn()
    {
        const auto path = write(dir, "penguins.csv", penguins());
        const auto p = previewTable(path, {});
        QCOMPARE(p.rows, int64_t(12));
        QVERIFY(p.header);
        QCOMPARE(p.delimiter, std::string(","));
        QCOMPARE(p.proposedLabel, std::string("species"));
        QCOMPARE(p.options.labelColumn, std::string("species"));
        QCOMPARE(column(p, "species").role, ColumnRole::Label);
        QCOMPARE(column(p, "species").type, std::string("text"));
        QCOMPARE(column(p, "species").distinct, int64_t(3));
        QVERIFY2(column(p, "species").why.find("text with 3 values") != std::string::npos,
                 column(p, "species").why.c_str());
        QCOMPARE(column(p, "island").role, ColumnRole::Metadata);
        QCOMPARE(column(p, "sex").role, ColumnRole::Metadata);
        QCOMPARE(column(p, "sex").missing, int64_t(1));
        // The quoted-integer id is the rows' identifier, not a feature that stripes the plot.
        QCOMPARE(column(p, "id").role, ColumnRole::Metadata);
        QCOMPARE(column(p, "id").type, std::string("integers"));
        QCOMPARE(column(p, "bill_length_mm").role, ColumnRole::Feature);
        QCOMPARE(column(p, "bill_length_mm").missing, int64_t(2));
        // The policy applies to two rows in one feature column; the default refuses them.
        QCOMPARE(p.rowsWithMissing, int64_t(2));
        QCOMPARE(p.columnsWithMissing, int64_t(1));
        QVERIFY(p.missingValueError);
        QVERIFY(p.error.find("line 3") != std::string::npos);
        QCOMPARE(p.firstRows.size(), size_t(12));
        QCOMPARE(p.firstRows[1][3], std::string("NA"));

        // With a policy, the preview loads, and the load it describes is the one that happens.
        LoadOptions o;
        o.missing = MissingPolicy::ImputeMedian;
        const auto ok = previewTable(path, o);
        QVERIFY2(ok.error.empty(), ok.error.c_str());
        const auto d = loadDataset(path, ok.options);
        QCOMPARE(d.labelColumn, std::string("species"));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"bill_length_mm", "bill_depth_mm"}));
        QCOMPARE(d.imputedValues, int64_t(2));

        // A column set apart is not proposed; a chosen label is not second-guessed.
        o.metadataColumns = {"species"};
        QVERIFY(previewTable(path, o).proposedLabel != "species");
        LoadOptions none;
        none.labelColumn = "none";
        none.missing = MissingPolicy::Drop;
        const auto unlabelled = previewTable(path, none);
        QVERIFY(unlabelled.proposedLabel.empty());
        QCOMPARE(column(unlabelled, "species").role, ColumnRole::Metadata);
        // Ignored columns show as such.
        none.ignoreColumns = {"island"};
        QCOMPARE(column(previewTable(path, none), "island").role, ColumnRole::Ignore);
    }

    void previewProposesAnUnnamedTextColumnOfFewValues()
    {
        QByteArray t = "width,height,variety_name\n";
        for (int r = 0; r < 30; ++r)
            t += QByteArray::number(r % 7) + "," + QByteArray::number(r % 5 + 0.5) + "," +
                 (r % 3 == 0   ? "setosa"
                  : r % 3 == 1 ? "versicolor"
                               : "virginica") +
                 "\n";
        const auto p = previewTable(write(dir, "flowers.csv", t), {});
        QCOMPARE(p.proposedLabel, std::string("variety_name"));
        QVERIFY(p.error.empty());
        // A text column with a value per row names the rows: not proposed.
        QByteArray ids = "a,b,name\n";
        for (int r = 0; r < 30; ++r)
            ids += QByteArray::number(r % 4) + "," + QByteArray::number(r % 3) + ",s" +
                   QByteArray::number(r) + "\n";
        QVERIFY(previewTable(write(dir, "named.csv", ids), {}).proposedLabel.empty());
    }

    void previewReadsScikitLearnsBundledTables()
    {
        struct Case
        {
            const char* file;
            int64_t rows;
            int features;
        };
        for (const Case c : {Case{"iris.csv", 150, 4}, Case{"wine_data.csv", 178, 13},
                             Case{"breast_cancer.csv", 569, 30}})
        {
            const auto p = previewTable(kSklearnData + c.file, {});
            QVERIFY2(p.error.empty(), p.error.c_str());
            QCOMPARE(p.rows, c.rows);
            int features = 0;
            for (const auto& col : p.columns)
                features += col.role == ColumnRole::Feature ? 1 : 0;
            QCOMPARE(features, c.features);
            QCOMPARE(column(p, "target").role, ColumnRole::Label);
            QVERIFY2(column(p, "target").why.find("scikit-learn") != std::string::npos,
                     column(p, "target").why.c_str());
            QVERIFY(p.proposedLabel.empty()); // the layout names it; nothing to propose
        }
    }

    // Standardize is proposed when one column's spread swamps the rest: by hand (grams beside
    // millimetres, a constant column ignored), then scikit-learn's tables as measured with
    // numpy (wine: proline 99.7 % of the variance; iris: 68 %, but petal length's variance is
    // only 16 times sepal width's; digits: 4 %).
    void previewProposesStandardizingMixedUnits()
    {
        QByteArray t = "mass_g,bill_mm,flag,kind\n";
        for (int r = 0; r < 40; ++r)
            t += QByteArray::number(3000 + 37 * (r % 17)) + "," +
                 QByteArray::number(40 + 0.1 * (r % 5)) + ",1," + (r % 2 ? "a" : "b") + "\n";
        const auto mixed = previewTable(write(dir, "mixed.csv", t), {});
        QCOMPARE(mixed.proposedScaling, std::string("standardize"));
        QVERIFY2(mixed.proposedScalingWhy.find("'mass_g' varies") == 0 &&
                     mixed.proposedScalingWhy.find("as much as 'bill_mm'") != std::string::npos,
                 mixed.proposedScalingWhy.c_str());
        // The largest column holds about 71% of the variance (variances near 1000, 400 and 1):
        // over half, and over 100 times the smallest.
        QByteArray share = "a,b,c\n";
        for (int r = 0; r < 40; ++r)
        {
            const double sign = r % 2 ? 1 : -1;
            share += QByteArray::number(sign * 31.6) + "," +
                     QByteArray::number((r / 2) % 2 ? 20.0 : -20.0) + "," +
                     QByteArray::number(r % 4 < 2 ? 1.0 : -1.0) + "\n";
        }
        const auto middle = previewTable(write(dir, "share.csv", share), {});
        QCOMPARE(middle.proposedScaling, std::string("standardize"));
        QVERIFY2(middle.proposedScalingWhy.find("holds 71% of the variance") != std::string::npos,
                 middle.proposedScalingWhy.c_str());
        // Same units: nothing to propose.
        QByteArray same = "a,b,kind\n";
        for (int r = 0; r < 40; ++r)
            same += QByteArray::number(r % 7) + "," + QByteArray::number(r % 3) + ",x\n";
        QVERIFY(previewTable(write(dir, "same.csv", same), {}).proposedScaling.empty());
        const auto wine = previewTable(kSklearnData + "wine_data.csv", {});
        QCOMPARE(wine.proposedScaling, std::string("standardize"));
        QVERIFY2(wine.proposedScalingWhy.find("'column 12'") == 0 && // proline, unnamed here
                     wine.proposedScalingWhy.find("100% of the variance") != std::string::npos,
                 wine.proposedScalingWhy.c_str());
        QVERIFY(previewTable(kSklearnData + "iris.csv", {}).proposedScaling.empty());
        QVERIFY(previewTable(kSklearnData + "digits.csv.gz", {}).proposedScaling.empty());
    }

    void previewFindsTitlesAndClassesANewUserMet()
    {
        // A title and a '#' note above the header: the rows disagree with the first line.
        const auto soil = write(dir, "soil.csv",
                                "Field survey of soil samples, 2023\n# measured by lab B\n"
                                "sample,Fe,Zn,grade\ns1,1.5,2,1\ns2,1.7,3,2\ns3,1.2,2,1\n"
                                "s4,1.9,4,2\ns5,1.1,1,1\ns6,2.0,5,2\n");
        const auto plain = errorOf([&] { loadDataset(soil); });
        QVERIFY2(plain.find("--skip-lines 2 skips them") != std::string::npos, plain.c_str());
        const auto p = previewTable(soil, {});
        QCOMPARE(p.proposedSkipLines, int64_t(2));
        QCOMPARE(p.proposedLabel, std::string("grade")); // whole numbers, named like classes
        QCOMPARE(column(p, "sample").role, ColumnRole::Metadata);
        // Loaded as the CLI does, the class-named numbers are clustered, and that is said.
        LoadOptions below;
        below.skipLines = 2;
        const auto d = loadDataset(soil, below);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"Fe", "Zn", "grade"}));
        QVERIFY(std::any_of(d.warnings.begin(), d.warnings.end(),
                            [](const std::string& w)
                            {
                                return w.find("column 'grade' holds only 2 distinct small whole "
                                              "numbers and is named like classes") !=
                                           std::string::npos &&
                                       w.find("--label-column grade") != std::string::npos;
                            }));

        // Free text with few values is not the class, and a class column without gaps is
        // preferred over one with them.
        QByteArray t = "code,radius,kind_of_tumour,notes,stage\n";
        for (int r = 0; r < 40; ++r)
            t += "P-" + QByteArray::number(r) + "," + QByteArray::number(10 + r % 7) + "," +
                 (r % 2 ? "benign" : "malignant") + "," + (r % 3 ? "" : "follow up") + "," +
                 (r % 5 == 0 ? ""
                  : r % 2    ? "I"
                             : "II") +
                 "\n";
        const auto tumours = previewTable(write(dir, "tumours.csv", t), {});
        QCOMPARE(tumours.proposedLabel, std::string("kind_of_tumour"));
        QCOMPARE(column(tumours, "notes").role, ColumnRole::Metadata);
        // Notes of a few stock phrases are still notes: nothing is proposed.
        QByteArray n = "radius,notes\n";
        for (int r = 0; r < 30; ++r)
            n += QByteArray::number(r % 7) + "," + (r % 3 ? "ok" : r % 2 ? "check" : "redo") + "\n";
        QVERIFY(previewTable(write(dir, "notes.csv", n), {}).proposedLabel.empty());
        // A proposal that cannot be the labels as the policy stands gives way to the next.
        LoadOptions stageOnly;
        stageOnly.metadataColumns = {"kind_of_tumour"};
        const auto staged = previewTable(write(dir, "tumours.csv", t), stageOnly);
        QCOMPARE(staged.proposedLabel, std::string("stage")); // missing labels: rows counted
        QCOMPARE(staged.rowsWithMissing, int64_t(8));
    }

    void previewFindsWhatTheOtherBundledTablesNeed()
    {
        // A line of notes above the header: proposed skipped, and then every column is a number.
        const auto boston = previewTable(kSklearnData + "boston_house_prices.csv", {});
        QCOMPARE(boston.proposedSkipLines, int64_t(1));
        QCOMPARE(boston.options.skipLines, int64_t(1));
        QVERIFY(boston.header);
        QCOMPARE(boston.rows, int64_t(506));
        QCOMPARE(column(boston, "CRIM").role, ColumnRole::Feature);
        // "506,13" above the header: the 14th column, MEDV, is the regression target.
        QCOMPARE(boston.proposedTarget, std::string("MEDV"));
        QCOMPARE(column(boston, "MEDV").role, ColumnRole::Metadata);
        QVERIFY2(column(boston, "MEDV")
                     .why.starts_with("proposed: the line above the header "
                                      "counts 506 samples and 13 features"),
                 column(boston, "MEDV").why.c_str());
        const auto bostonData =
            loadDataset(kSklearnData + "boston_house_prices.csv", boston.options);
        QCOMPARE(bostonData.cols(), int64_t(13));
        QCOMPARE(bostonData.metadata.at(0).name, std::string("MEDV"));
        // Counts that do not match the table propose nothing: a note that merely has numbers.
        QByteArray notes = "500,13,,\nx,y,z\n";
        for (int r = 0; r < 30; ++r)
            notes += QByteArray::number(r) + "," + QByteArray::number(r % 4) + "," +
                     QByteArray::number(r * 0.5) + "\n";
        const auto noted = previewTable(write(dir, "noted.csv", notes), {});
        QCOMPARE(noted.proposedSkipLines, int64_t(1));
        QVERIFY(noted.proposedTarget.empty());
        QCOMPARE(column(noted, "z").role, ColumnRole::Feature);
        notes.replace("500,13", "30,2");
        QCOMPARE(previewTable(write(dir, "counted.csv", notes), {}).proposedTarget,
                 std::string("z"));
        // Each count must match, the padding must be empty, and the target must be numbers.
        const auto proposed = [&](const QByteArray& counts, bool textTarget)
        {
            QByteArray t = counts + "\nx,y,z\n";
            for (int r = 0; r < 30; ++r)
                t += QByteArray::number(r) + "," + QByteArray::number(r % 4) + "," +
                     (textTarget ? QByteArray(r % 2 ? "high" : "low")
                                 : QByteArray::number(r * 0.5)) +
                     "\n";
            return previewTable(write(dir, "variant.csv", t), {}).proposedTarget;
        };
        QCOMPARE(proposed("30,2,,", false), std::string("z"));
        QCOMPARE(proposed("31,2,,", false), std::string());  // one sample too many
        QCOMPARE(proposed("30,3,,", false), std::string());  // no column past the features
        QCOMPARE(proposed("30,2,7,", false), std::string()); // a third number: not counts
        QCOMPARE(proposed("30,2,,", true), std::string());   // text: not a number to colour by
        // Columns aligned with blanks (numpy.savetxt), with a header and without.
        const auto linnerud = previewTable(kSklearnData + "linnerud_exercise.csv", {});
        QCOMPARE(linnerud.delimiter, std::string(" "));
        QCOMPARE(linnerud.columns.size(), size_t(3));
        QCOMPARE(column(linnerud, "Situps").type, std::string("integers"));
        const auto diabetes = loadDataset(kSklearnData + "diabetes_data_raw.csv.gz");
        QCOMPARE(diabetes.rows(), int64_t(442));
        QCOMPARE(diabetes.cols(), int64_t(10));
        QCOMPARE(floatValues(diabetes.features)[8], 4.8598F);
        // A headerless table whose last column holds the class numbers: proposed as the labels.
        const auto digits = previewTable(kSklearnData + "digits.csv.gz", {});
        QVERIFY(!digits.header);
        QCOMPARE(digits.proposedLabel, std::string("column 64"));
        QCOMPARE(column(digits, "column 64").role, ColumnRole::Label);
        QCOMPARE(loadDataset(kSklearnData + "digits.csv.gz", digits.options).cols(), int64_t(64));
        // Spaces in a one-column table's name are no delimiter; runs of blanks are one.
        const auto one = loadDataset(write(dir, "one.csv", "body mass\n12.5\n13\n"));
        QCOMPARE(one.featureNames, (std::vector<std::string>{"body mass"}));
        const auto aligned =
            loadDataset(write(dir, "aligned.txt", "  a    b\n  1   20\n\t3\t 4 \n"));
        QCOMPARE(aligned.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(floatValues(aligned.features), (std::vector<float>{1, 20, 3, 4}));
    }

    void idxClassNamesFromAFileBesideTheLabels()
    {
        QTemporaryDir folder;
        const auto images =
            write(folder, "train-images-idx3-ubyte",
                  fixtures::idx({3, 1, 2}, QByteArray("\x01\x02\x03\x04\x05\x06", 6)));
        write(folder, "train-labels-idx1-ubyte", fixtures::idx({3}, QByteArray("\x02\x00\x02", 3)));
        QVERIFY(loadDataset(images).labelNames.empty()); // no names file: numbers
        write(folder, "classes.txt", "T-shirt/top\r\nTrouser\nPullover\n\n");
        const auto named = loadDataset(images);
        QCOMPARE(named.labelNames,
                 (std::vector<std::string>{"T-shirt/top", "Trouser", "Pullover"}));
        QCOMPARE(named.labels, (std::vector<int64_t>{2, 0, 2}));
        // Too few names for the labels: not used, and said.
        write(folder, "classes.txt", "T-shirt/top\nTrouser\n");
        const auto short_ = loadDataset(images);
        QVERIFY(short_.labelNames.empty());
        QVERIFY(!short_.warnings.empty());
        QVERIFY2(short_.warnings.back().find(
                     "lists 2 class names, but the labels run from 0 to 2") != std::string::npos,
                 short_.warnings.back().c_str());
    }

    void previewOfAnUnreadableTableThrows()
    {
        const auto path = write(dir, "quote.csv", "a,b\n1,\"2\n");
        QVERIFY(errorOf([&] { previewTable(path, {}); }).find("quote") != std::string::npos);
        QVERIFY(
            errorOf([&] { previewTable(CLUSTERSCOPE_SOURCE_DIR "/README.md.nope", {}); }).size() >
            0);
    }
};

QTEST_GUILESS_MAIN(TestTableImport)
#include "test_table_import.moc"
