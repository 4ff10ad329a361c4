// The import step in the window (issue 21): a table opened by the user shows the import
// dialog, whose roles, policy and lines to skip are what loads; the choices are remembered per
// file, and "load as before" skips the dialog.

#include "dataset_panel.h"
#include "gui_main.h"
#include "import_dialog.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "window_terms.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

using namespace clusterscope;

namespace
{

const QString kWine = CLUSTERSCOPE_TEST_DATA "/wine.csv";

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return f.fileName();
}

// Species as text, a quoted-integer id, text metadata, two missing bill lengths.
QByteArray penguins()
{
    QByteArray t = "id,species,island,bill_length_mm,bill_depth_mm,sex\n";
    const char* species[] = {"Adelie", "Gentoo", "Chinstrap"};
    for (int r = 1; r <= 12; ++r)
        t += "\"" + QByteArray::number(r) + "\"," + species[r % 3] + "," +
             (r % 2 ? "Torgersen" : "Biscoe") + "," +
             (r == 2 || r == 5 ? QByteArray("NA") : QByteArray::number(38.0 + r)) + "," +
             QByteArray::number(15 + r % 4) + "," + (r % 2 ? "male" : "female") + "\n";
    return t;
}

// The import dialog once it shows its first preview (nullptr after 5 s without one).
ImportDialog* dialogOf(MainWindow& w)
{
    for (int waited = 0; waited < 20000; waited += 20)
    {
        if (auto* d = w.findChild<ImportDialog*>("importDialog"); d && !d->isReading())
            return d; // shown, with its first preview
        QTest::qWait(20);
    }
    return nullptr;
}

void choose(QComboBox* box, const QString& data)
{
    box->setCurrentIndex(box->findData(data));
    Q_EMIT box->activated(box->currentIndex());
}

} // namespace

class TestImportWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void init() { QSettings().remove("imports"); }

    void tableWithTextClassesAndMissingValuesOpensThroughTheDialog()
    {
        const QString path = write(dir, "penguins.csv", penguins());
        MainWindow w;
        w.show();
        w.openAsked({path});
        ImportDialog* d = dialogOf(w);
        QVERIFY(d);
        QVERIFY(!w.dataset()); // nothing loads before Open
        auto* label = d->findChild<QComboBox*>("labelColumn");
        QCOMPARE(label->currentText(), QString("species"));
        QVERIFY(d->findChild<QLabel*>("labelWhy")->text().contains("text with 3 values"));
        // The default policy refuses the missing values: said, and Open waits for a choice.
        auto* open = d->findChild<QPushButton*>("importOpen");
        QVERIFY(!open->isEnabled());
        QVERIFY(d->findChild<QLabel*>("missingSummary")->text().contains("2 rows"));
        QVERIFY(d->findChild<QLabel*>("importMessage")->text().contains("missing-value policy"));
        QVERIFY2(!d->findChild<QLabel*>("importMessage")->text().contains("--"),
                 qPrintable(d->findChild<QLabel*>("importMessage")->text()));
        choose(d->findChild<QComboBox*>("missingPolicy"), "impute-median");
        QTRY_VERIFY(!d->isReading()); // previewed on a worker
        QVERIFY(open->isEnabled());
        // The preview's columns: the label tinted, the text columns metadata.
        auto* columns = d->findChild<QTableWidget*>("importColumns");
        QCOMPARE(columns->rowCount(), 6);
        QCOMPARE(columns->item(2, 4)->text(), QString("metadata")); // island
        // One column's role changed from its row's box: the others stay as they were.
        auto* depthRole = d->findChild<QComboBox*>("role-4");
        QVERIFY(depthRole);
        choose(depthRole, QString::number(static_cast<int>(ColumnRole::Ignore)));
        QTRY_COMPARE(d->preview().columns[4].role, ColumnRole::Ignore); // queued, then a worker
        QTRY_VERIFY(!d->isReading());
        QCOMPARE(d->preview().columns[1].role, ColumnRole::Label);
        QCOMPARE(d->preview().columns[0].role, ColumnRole::Metadata); // the id, still set apart
        choose(d->findChild<QComboBox*>("role-4"),
               QString::number(static_cast<int>(ColumnRole::Feature)));
        QTRY_COMPARE(d->preview().columns[4].role, ColumnRole::Feature);
        QTRY_VERIFY(!d->isReading());
        QCOMPARE(columns->item(0, 0)->text(), QString("id")); // every row shows its column
        QVERIFY(!columns->cellWidget(0, 0));
        choose(d->findChild<QComboBox*>("scaling"), "standardize");
        QVERIFY(d->findChild<QLabel*>("scalingHelp")->text().contains("standard deviation"));
        if (const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT"); !shots.isEmpty())
            QVERIFY(d->grab().save(shots + "/19-import.png")); // docs/screenshots/user-guide.sh
        open->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 10000);
        const Dataset& data = *w.dataset();
        QCOMPARE(data.rows(), int64_t(12));
        QCOMPARE(data.labelColumn, std::string("species"));
        QCOMPARE(data.featureNames, (std::vector<std::string>{"bill_length_mm", "bill_depth_mm"}));
        QCOMPARE(data.imputedValues, int64_t(2));
        // The session (and so each run record) keeps the choices with the data.
        const auto& load = w.session().sources().loadSettings;
        QCOMPARE(load.missing, std::string("impute-median"));
        QCOMPARE(load.metadataColumns, std::string("id,island,sex"));
        QCOMPARE(w.methodPanel()->request().settings.scaling, std::string("standardize"));
        QVERIFY(w.datasetPanel()->importSettingsButton()->isVisible());

        // Opened again: the dialog starts from the remembered choices.
        w.openAsked({path});
        d = dialogOf(w);
        QVERIFY(d);
        QCOMPARE(d->findChild<QComboBox*>("missingPolicy")->currentData().toString(),
                 QString("impute-median"));
        QVERIFY(d->findChild<QPushButton*>("importOpen")->isEnabled());
        d->findChild<QCheckBox*>("loadAsBefore")->setChecked(true);
        d->findChild<QPushButton*>("importOpen")->click();
        QTRY_VERIFY(!w.findChild<ImportDialog*>("importDialog"));
        // Load as before: no dialog, the same data.
        w.openAsked({path});
        QTRY_COMPARE(w.session().sources().loadSettings.missing, std::string("impute-median"));
        QTest::qWait(200);
        QVERIFY(!w.findChild<ImportDialog*>("importDialog"));
        // Import Settings... shows the step again for the table on screen.
        w.datasetPanel()->importSettingsButton()->click();
        d = dialogOf(w);
        QVERIFY(d);
        QVERIFY(d->findChild<QCheckBox*>("loadAsBefore")->isChecked());
        d->reject();
    }

    void linesToSkipMakeATitledTableReadable()
    {
        const QString path = write(dir, "titled.csv",
                                   "Survey of 2024\nsource: station 4\nx,y,class\n1,2,a\n3,4,b\n"
                                   "5,6,a\n7,8,b\n");
        MainWindow w;
        w.show();
        w.openAsked({path});
        ImportDialog* d = dialogOf(w);
        QVERIFY(d);
        // The rows agree only below the title and the note: the dialog skips them, and says so.
        QCOMPARE(d->findChild<QSpinBox*>("skipLines")->value(), 2);
        QVERIFY(d->findChild<QLabel*>("importMessage")->text().contains("starts below"));
        QVERIFY(d->findChild<QPushButton*>("importOpen")->isEnabled());
        // One line too few cannot be read: said, with Open disabled.
        d->findChild<QSpinBox*>("skipLines")->setValue(1);
        QTRY_VERIFY(!d->isReading());
        QVERIFY(!d->findChild<QPushButton*>("importOpen")->isEnabled());
        // The advice names the dialog's control, not the CLI's flag.
        QVERIFY2(d->findChild<QLabel*>("importMessage")->text().contains("Lines to skip: 2"),
                 qPrintable(d->findChild<QLabel*>("importMessage")->text()));
        QVERIFY(!d->findChild<QLabel*>("importMessage")->text().contains("--"));
        d->findChild<QSpinBox*>("skipLines")->setValue(2);
        QTRY_VERIFY(!d->isReading());
        QVERIFY(d->findChild<QPushButton*>("importOpen")->isEnabled());
        QCOMPARE(d->findChild<QComboBox*>("labelColumn")->currentText(), QString("class"));
        d->findChild<QPushButton*>("importOpen")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 10000);
        QCOMPARE(w.dataset()->rows(), int64_t(4));
        QCOMPARE(w.session().sources().loadSettings.skipLines, int64_t(2));
    }

    // The trial: each of scikit-learn's bundled tables opens through the dialog with
    // its defaults, with the roles a scientist would give it.
    void everyBundledScikitLearnTableOpensWithItsDefaults_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("features");
        QTest::addColumn<bool>("labels");
        QTest::addColumn<int>("skipped");
        QTest::newRow("iris") << "iris.csv" << qint64(150) << qint64(4) << true << 0;
        QTest::newRow("wine_data") << "wine_data.csv" << qint64(178) << qint64(13) << true << 0;
        QTest::newRow("breast_cancer")
            << "breast_cancer.csv" << qint64(569) << qint64(30) << true << 0;
        QTest::newRow("digits") << "digits.csv.gz" << qint64(1797) << qint64(64) << true << 0;
        // MEDV, the price the 13 counted features predict, is metadata to colour by.
        QTest::newRow("boston") << "boston_house_prices.csv" << qint64(506) << qint64(13) << false
                                << 1;
        QTest::newRow("linnerud") << "linnerud_exercise.csv" << qint64(20) << qint64(3) << false
                                  << 0;
        QTest::newRow("diabetes") << "diabetes_data_raw.csv.gz" << qint64(442) << qint64(10)
                                  << false << 0;
    }
    void everyBundledScikitLearnTableOpensWithItsDefaults()
    {
        QFETCH(QString, file);
        QFETCH(qint64, rows);
        QFETCH(qint64, features);
        QFETCH(bool, labels);
        QFETCH(int, skipped);
        const QString path = "/usr/lib/python3/dist-packages/sklearn/datasets/data/" + file;
        if (!QFileInfo::exists(path))
            QSKIP("scikit-learn's bundled tables are not installed");
        MainWindow w;
        w.show();
        w.openAsked({path});
        ImportDialog* d = dialogOf(w);
        QVERIFY(d);
        QCOMPARE(d->findChild<QSpinBox*>("skipLines")->value(), skipped);
        QVERIFY2(d->findChild<QPushButton*>("importOpen")->isEnabled(),
                 qPrintable(d->findChild<QLabel*>("importMessage")->text()));
        d->findChild<QPushButton*>("importOpen")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 20000);
        QCOMPARE(w.dataset()->rows(), rows);
        QCOMPARE(w.dataset()->cols(), features);
        QCOMPARE(w.dataset()->hasLabels(), labels);
        // What the dialog said before Open (scikit-learn's layout) is not said again in a box.
        QTest::qWait(50);
        QVERIFY(!w.findChild<QMessageBox*>("loadWarningsBox"));
    }

    // Wine's columns are in mixed units: standardize is proposed with its reason, reaches the
    // Method panel, and a scaling picked by hand is kept while the preview is read again.
    void standardizeIsProposedForMixedUnits()
    {
        const QString wine = "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv";
        if (!QFileInfo::exists(wine))
            QSKIP("scikit-learn's bundled tables are not installed");
        MainWindow w;
        w.show();
        w.openAsked({wine});
        ImportDialog* d = dialogOf(w);
        QVERIFY(d);
        auto* scaling = d->findChild<QComboBox*>("scaling");
        QCOMPARE(scaling->currentData().toString(), QString("standardize"));
        QVERIFY2(d->findChild<QLabel*>("scalingHelp")->text().startsWith("Proposed: 'column 12'"),
                 qPrintable(d->findChild<QLabel*>("scalingHelp")->text()));
        choose(scaling, "minmax");
        d->findChild<QSpinBox*>("skipLines")->setValue(0); // read again
        QTRY_VERIFY(!d->isReading());
        QCOMPARE(scaling->currentData().toString(), QString("minmax"));
        QVERIFY(!d->findChild<QLabel*>("scalingHelp")->text().startsWith("Proposed"));
        choose(scaling, "standardize");
        d->findChild<QPushButton*>("importOpen")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 20000);
        QCOMPARE(w.methodPanel()->settingsForm()->values().choice("scaling"),
                 std::string("standardize"));
        // The first view already shows the features so scaled, not proline's line: its first
        // axis holds 36.2 % of the variance, as scikit-learn's PCA of StandardScaler's wine.
        QCOMPARE(w.session().dataView().scaling, std::string("standardize"));
        QCOMPARE(w.session().dataView().axes.value(0), QString("PC 1 (36.2 %)"));
        QCOMPARE(w.session().dataView().axes.value(1), QString("PC 2 (19.2 %)"));

        // Iris's are not: nothing is proposed.
        MainWindow other;
        other.show();
        other.openAsked({"/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv"});
        ImportDialog* irisDialog = dialogOf(other);
        QVERIFY(irisDialog);
        QCOMPARE(irisDialog->findChild<QComboBox*>("scaling")->currentData().toString(),
                 QString("none"));
    }

    // The loaders' advice in the window's terms: each flag becomes the control that sets it.
    void adviceNamesTheWindowsControls()
    {
        // Each policy by the name the Dataset panel gives it, then what it does.
        QCOMPARE(missingPolicyText("error"),
                 QString("error: refuse the file at the first missing value"));
        QCOMPARE(missingPolicyText("drop"), QString("drop: drop the rows that have one"));
        QCOMPARE(missingPolicyText("impute-mean"),
                 QString("impute-mean: fill in the column's mean"));
        QCOMPARE(missingPolicyText("impute-median"),
                 QString("impute-median: fill in the column's median"));
        QCOMPARE(inWindowTerms("choose --missing drop or --missing impute-mean"),
                 QString("choose Missing values: “drop” or “impute-mean”"));
        QCOMPARE(inWindowTerms("--missing impute-median, --missing error, or --missing"),
                 QString("Missing values: “impute-median”, Missing values: “error”, or the "
                         "Missing values policy"));
        QCOMPARE(inWindowTerms("--label-column none makes it a feature; --label-column NAME"),
                 QString("Labels: (none) makes it a feature; the Labels box"));
        QCOMPARE(inWindowTerms("--id-column none keeps it; --id-column"),
                 QString("Row ids: (none) keeps it; the Row ids box"));
        QCOMPARE(inWindowTerms("--skip-lines 2 skips them"),
                 QString("Lines to skip: 2 skips them"));
        QCOMPARE(inWindowTerms("no flag here"), QString("no flag here"));
    }

    // A long table is read on a worker: the window keeps answering meanwhile.
    void aLongTableIsReadWithoutFreezingTheWindow()
    {
        QByteArray t = "a,b,c,d,e,f,g,h,kind\n";
        for (int r = 0; r < 150000; ++r)
            t += QByteArray::number(r % 97) + "," + QByteArray::number(r % 13 * 0.5) +
                 ",1.25,2.5,3.75,5,6.25,7.5," + (r % 2 ? "x" : "y") + "\n";
        const QString path = write(dir, "long.csv", t);
        QElapsedTimer clock;
        qint64 worst = 0;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, this, [&] { worst = std::max(worst, clock.restart()); });
        ImportDialog d(path, {});
        QSignalSpy shown(&d, &ImportDialog::previewShown);
        clock.start();
        tick.start();
        QVERIFY(d.isReading());
        QVERIFY(shown.wait(60000));
        tick.stop();
        qInfo("read in the background; longest GUI-thread stall: %lld ms", worst);
        QVERIFY(worst < 100);
        QCOMPARE(d.preview().rows, int64_t(150000));
        QCOMPARE(d.preview().proposedLabel, std::string("kind"));
    }

    void scikitLearnTablesAndTheDemo()
    {
        MainWindow w;
        w.show();
        w.openAsked({kWine});
        ImportDialog* d = dialogOf(w);
        QVERIFY(d);
        QCOMPARE(d->findChild<QComboBox*>("labelColumn")->currentText(), QString("label"));
        d->findChild<QPushButton*>("importOpen")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() && w.dataset()->rows() == 178, 10000);
        QCOMPARE(w.dataset()->cols(), int64_t(13));
        // Another file starts without this one's column roles.
        w.openAsked({CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz"});
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() && w.dataset()->rows() == 1797, 10000);
        QVERIFY(!w.findChild<ImportDialog*>("importDialog")); // the demo opens at once
        QCOMPARE(w.session().sources().loadSettings.metadataColumns, std::string());
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestImportWindow)
#include "test_import_window.moc"
