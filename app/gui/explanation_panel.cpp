#include "explanation_panel.h"

#include "coloring.h"
#include "explanation_controller.h"
#include "figure_renderer.h"
#include "operation_forms.h"
#include "palette.h"
#include "parameter_form.h"
#include "profile_chart.h"
#include "rule_view.h"
#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/explain/explain_export.h>
#include <clusterscope/explain/rules.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/builtin.h>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace clusterscope
{
namespace
{

std::string featureName(const std::vector<std::string>& names, int64_t j)
{
    return j < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(j)]
                                                  : "x" + std::to_string(j);
}

// The chosen cluster in words: its rules with their counts, then its top features.
QString detailsHtml(const ClusterExplanation& c, const std::vector<std::string>& names)
{
    QString html =
        QString("<b>%1</b> · %2 rows")
            .arg(
                QString::number(c.cluster) +
                (c.name.empty() ? QString() : " " + QString::fromStdString(c.name)).toHtmlEscaped())
            .arg(c.size);
    if (!c.rules.empty())
        html += QString(" · coverage %1, precision %2")
                    .arg(c.coverage, 0, 'f', 3)
                    .arg(c.precision, 0, 'f', 3);
    for (size_t i = 0; i < c.rules.size(); ++i)
        html +=
            QString("<p>%1%2<br><small>%3 of the %4 rows it covers are in the cluster</small></p>")
                .arg(i > 0 ? "OR " : "")
                .arg(QString::fromStdString(ruleText(c.rules[i], names)).toHtmlEscaped())
                .arg(c.rules[i].correct)
                .arg(c.rules[i].covered);
    if (!c.tTest.empty())
    {
        html += "<p><b>Most distinguishing features</b> (Welch's t against the rest)</p><table>"
                "<tr><th align=left>feature</th><th>t</th><th>adjusted p</th><th>mean</th>"
                "<th>rest</th></tr>";
        for (const auto& r : c.tTest)
            html += QString("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td>"
                            "<td align=right>%4</td><td align=right>%5</td></tr>")
                        .arg(QString::fromStdString(featureName(names, r.feature)).toHtmlEscaped())
                        .arg(r.score, 0, 'f', 2)
                        .arg(r.pvalueAdjusted, 0, 'g', 3)
                        .arg(r.meanIn, 0, 'g', 4)
                        .arg(r.meanOut, 0, 'g', 4);
        html += "</table>";
    }
    return html;
}

// The file type chosen in the dialog, when the name typed has no suffix: "rules" with
// "Plain text (*.txt)" becomes "rules.txt" (the writers go by the suffix).
QString withSuffixOf(const QString& path, const QString& filter)
{
    if (path.isEmpty() || !QFileInfo(path).suffix().isEmpty())
        return path;
    const int star = filter.indexOf("*.");
    return star < 0 ? path : path + filter.mid(star + 1, filter.indexOf(')', star) - star - 1);
}

} // namespace

ExplanationPanel::ExplanationPanel(Session& session, ExplanationController& controller,
                                   QWidget* parent)
    : QWidget(parent), session_(session), controller_(controller), explainer_(new QComboBox(this)),
      form_(new ParameterForm(this)), run_(new QPushButton(tr("Explain Current Run"), this)),
      note_(new QLabel(this)), clusters_(new QTableWidget(this)), details_(new QTextBrowser(this)),
      ruleView_(new RuleView(this)), tabs_(new QTabWidget(this)), prototypeTab_(new QWidget(this)),
      profile_(new ProfileChart(this)), hover_(new QLabel(this)),
      selectCovered_(new QPushButton(tr("Select Covered"), this)),
      selectErrors_(new QPushButton(tr("Select Errors"), this)),
      export_(new QPushButton(tr("Export Rules..."), this)),
      exportFigure_(new QPushButton(tr("Export Figure..."), this))
{
    // Every explainer the registry has: a new one shows up here by itself.
    for (const auto& e : builtinRegistry().explainers())
        addOperationItem(*explainer_, e);
    explainer_->setObjectName("explainerChoice");
    form_->setObjectName("explainerParams");
    run_->setObjectName("explainRun");
    run_->setToolTip(tr("Describe the current run's clusters in the background"));
    note_->setObjectName("explanationNote");
    note_->setWordWrap(true);
    clusters_->setObjectName("explanationClusters");
    clusters_->setColumnCount(5);
    clusters_->setHorizontalHeaderLabels(
        {tr("Cluster"), tr("Name"), tr("Size"), tr("Coverage"), tr("Precision")});
    clusters_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    clusters_->verticalHeader()->hide();
    clusters_->setSelectionBehavior(QAbstractItemView::SelectRows);
    clusters_->setSelectionMode(QAbstractItemView::SingleSelection);
    // A cluster's name is the one cell a user edits (double-click): it renames the cluster in
    // the session, and the legend follows.
    clusters_->setEditTriggers(QAbstractItemView::DoubleClicked |
                               QAbstractItemView::EditKeyPressed);
    details_->setObjectName("explanationDetails");
    selectCovered_->setToolTip(tr("Select the rows the chosen cluster's description covers"));
    selectErrors_->setToolTip(tr("Select the rows its description gets wrong: covered rows of "
                                 "other clusters and uncovered rows of the cluster"));
    export_->setObjectName("exportRules");
    exportFigure_->setObjectName("exportRuleFigure");
    ruleView_->setObjectName("ruleView");
    // Small minimums: the dock must fit a 1280 x 800 window beside the others.
    clusters_->setMinimumHeight(70);
    details_->setMinimumHeight(60);
    ruleView_->setMinimumHeight(120);
    hover_->setMinimumHeight(0);
    tabs_->addTab(details_, tr("Rules"));
    tabs_->addTab(ruleView_, tr("Two Features"));
    tabs_->addTab(prototypeTab_, tr("Prototypes"));
    tabs_->addTab(profile_, tr("Profile"));
    profile_->setObjectName("profileChart");
    prototypeTab_->setObjectName("prototypes");
    new QGridLayout(prototypeTab_);
    hover_->setObjectName("explanationHover");
    hover_->setWordWrap(true);

    auto* top = new QFormLayout;
    top->addRow(tr("Explainer:"), explainer_);
    // Two rows, so that the dock stays narrow.
    auto* buttons = new QGridLayout;
    buttons->addWidget(selectCovered_, 0, 0);
    buttons->addWidget(selectErrors_, 0, 1);
    buttons->addWidget(export_, 1, 0);
    buttons->addWidget(exportFigure_, 1, 1);
    // The form scrolls, so that the clusters and their rules keep the room.
    auto* params = new QScrollArea(this);
    params->setWidget(form_);
    params->setWidgetResizable(true);
    params->setFrameShape(QFrame::NoFrame);
    params->setMaximumHeight(120);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(params);
    layout->addWidget(run_);
    layout->addWidget(note_);
    layout->addWidget(clusters_, 2);
    layout->addWidget(tabs_, 3);
    layout->addWidget(hover_);
    layout->addLayout(buttons);

    auto showSchema = [this]
    {
        const auto id = explainer_->currentData().toString().toStdString();
        form_->setSchema(builtinRegistry().getExplainer(id).params);
        updateRefusal();
    };
    showSchema();
    connect(explainer_, &QComboBox::currentIndexChanged, this, showSchema);
    connect(form_, &ParameterForm::validityChanged, this, &ExplanationPanel::updateRefusal);
    connect(run_, &QPushButton::clicked, this, [this] { explainCurrentRun(); });
    connect(clusters_, &QTableWidget::currentCellChanged, this,
            [this](int row) { chooseCluster(row); });
    connect(clusters_, &QTableWidget::itemChanged, this,
            [this](QTableWidgetItem* item)
            {
                if (item->column() != 1 || !clusters_->item(item->row(), 0))
                    return;
                renameCluster(item->row(), item->text());
            });
    connect(selectCovered_, &QPushButton::clicked, this,
            [this] { session_.setSelection(coveredRows(clusters_->currentRow())); });
    connect(selectErrors_, &QPushButton::clicked, this,
            [this]
            {
                const auto rows = errorRows(clusters_->currentRow());
                session_.setSelection(rows);
                hover_->setText(rows.empty() ? tr("The chosen cluster's description has no errors.")
                                             : tr("%n row(s) its description gets wrong selected.",
                                                  nullptr, static_cast<int>(rows.size())));
            });
    // Both exports: ask for a path (the chosen type's suffix added), write, say what failed.
    const auto exportTo = [this](QPushButton* button, const QString& title, const QString& filters,
                                 bool (ExplanationPanel::*write)(const QString&, QString*) const)
    {
        connect(button, &QPushButton::clicked, this,
                [this, title, filters, write]
                {
                    QString filter;
                    const QString path = withSuffixOf(
                        QFileDialog::getSaveFileName(this, title, {}, filters, &filter), filter);
                    QString error;
                    if (!path.isEmpty() && !(this->*write)(path, &error))
                        note_->setText(error);
                });
    };
    exportTo(export_, tr("Export rules"),
             tr("JSON (*.json);;Plain text (*.txt);;LaTeX table (*.tex)"),
             &ExplanationPanel::exportRules);
    exportTo(exportFigure_, tr("Export figure"),
             tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
             &ExplanationPanel::exportFigure);
    connect(ruleView_, &RuleView::pointHovered, this,
            [this](int64_t i)
            {
                const RunEntry* run = session_.run(shownRun_);
                showHovered(run && run->explanation && i >= 0 &&
                                    i < static_cast<int64_t>(run->explanation->rows.size())
                                ? run->explanation->rows[static_cast<size_t>(i)]
                                : -1);
            });
    connect(&session_, &Session::currentRunChanged, this, &ExplanationPanel::showCurrentRun);
    connect(&session_, &Session::datasetChanged, this, &ExplanationPanel::showCurrentRun);
    connect(&session_, &Session::runChanged, this, &ExplanationPanel::updateRefusal);
    connect(&session_, &Session::explanationChanged, this,
            [this](int id)
            {
                if (id == session_.currentRunId())
                    showCurrentRun();
            });
    connect(&controller_, &ExplanationController::explanationFailed, this,
            [this](const QString& error)
            { note_->setText(tr("Explanation failed: %1").arg(error)); });
    showCurrentRun();
}

QString ExplanationPanel::refusal() const
{
    const auto id = explainer_->currentData().toString().toStdString();
    const ExplainerInfo* info = builtinRegistry().findExplainer(id);
    if (!info)
        return tr("no explainer chosen");
    if (!form_->isValid())
        return form_->firstError();
    return controller_.refusal(session_.currentRunId(), *info);
}

void ExplanationPanel::updateRefusal()
{
    const QString why = refusal();
    run_->setEnabled(why.isEmpty());
    if (!why.isEmpty())
        note_->setText(why);
    else if (shownRun_ != session_.currentRunId())
        note_->setText(tr("Run #%1 can be explained.").arg(session_.currentRunId()));
}

Job* ExplanationPanel::explainCurrentRun()
{
    const QString why = refusal();
    if (!why.isEmpty())
    {
        note_->setText(why);
        return nullptr;
    }
    const auto id = explainer_->currentData().toString().toStdString();
    try
    {
        Job* job = controller_.start(session_.currentRunId(), builtinRegistry().getExplainer(id),
                                     form_->values(), session_.currentRun()->request.settings.seed);
        note_->setText(tr("Explaining run #%1...").arg(session_.currentRunId()));
        return job;
    }
    catch (const std::exception& e)
    {
        note_->setText(QString::fromStdString(e.what()));
        return nullptr;
    }
}

void ExplanationPanel::showCurrentRun()
{
    const RunEntry* run = session_.currentRun();
    const RunExplanation* shown = run ? run->explanation.get() : nullptr;
    shownRun_ = shown ? run->id : 0;
    clusters_->clearContents();
    clusters_->setRowCount(0);
    details_->clear();
    hover_->clear();
    chosen_ = -1;
    Q_EMIT errorsMarked({});
    values_.clear();
    indexOfRow_.clear();
    showPrototypes(-1);
    profile_->setBars({}, {});
    for (auto* b : {selectCovered_, selectErrors_, export_, exportFigure_})
        b->setEnabled(shown != nullptr);
    updateRefusal();
    note_->setToolTip({});
    if (!shown)
    {
        ruleView_->setData({}, 0, {}, {});
        return;
    }
    const auto& e = shown->result;
    // The name and whether it is proven; the solver's own words in the tooltip.
    QString note = shown->name;
    if (e.optimal)
        note += tr(": proven optimal");
    else if (!e.warnings.empty())
        note += tr(" (%n note(s): hover here)", nullptr, static_cast<int>(e.warnings.size()));
    QStringList warnings;
    for (const auto& w : e.warnings)
        warnings << QString::fromStdString(w);
    note_->setText(note);
    note_->setToolTip(warnings.join("\n\n"));
    const bool rules = !e.clusters.empty() && !e.clusters.front().rules.empty();
    clusters_->setColumnHidden(3, !rules);
    clusters_->setColumnHidden(4, !rules);
    selectErrors_->setEnabled(rules);
    selectCovered_->setEnabled(rules);     // a profile covers nothing
    const QSignalBlocker quiet(clusters_); // filling the table is no rename
    clusters_->setRowCount(static_cast<int>(e.clusters.size()));
    for (size_t i = 0; i < e.clusters.size(); ++i)
    {
        const auto& c = e.clusters[i];
        const auto row = static_cast<int>(i);
        const auto number = [](double v, int digits)
        {
            auto* item = new QTableWidgetItem(QString::number(v, 'f', digits));
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        clusters_->setItem(row, 0, number(static_cast<double>(c.cluster), 0));
        const auto renamed = run->clusterNames.find(c.cluster);
        auto* name = new QTableWidgetItem(
            renamed != run->clusterNames.end() ? renamed->second : QString::fromStdString(c.name));
        name->setFlags(name->flags() | Qt::ItemIsEditable);
        name->setToolTip(tr("Double-click to rename the cluster (the legend follows)"));
        clusters_->setItem(row, 1, name);
        clusters_->setItem(row, 2, number(static_cast<double>(c.size), 0));
        clusters_->setItem(row, 3, number(c.coverage, 3));
        clusters_->setItem(row, 4, number(c.precision, 3));
    }
    clusters_->resizeColumnsToContents();
    // The explained rows in the file's units, coloured by the run's clusters.
    const auto& loaded = *session_.dataset();
    const auto x = floatValues(loaded.features);
    const auto d = static_cast<size_t>(loaded.cols());
    std::vector<float> values;
    values.reserve(shown->rows.size() * d);
    for (auto r : shown->rows)
        for (size_t j = 0; j < d; ++j)
            values.push_back(static_cast<float>(
                x[static_cast<size_t>(r) * d + j] +
                (j < loaded.featureOffsets.size() ? loaded.featureOffsets[j] : 0.0)));
    values_ = values;
    indexOfRow_.assign(static_cast<size_t>(loaded.rows()), -1);
    for (size_t i = 0; i < shown->rows.size(); ++i)
        indexOfRow_[static_cast<size_t>(shown->rows[i])] = static_cast<int64_t>(i);
    ruleView_->setData(std::move(values), static_cast<int64_t>(d), loaded.featureNames,
                       clusterColors(viewColorSlots(session_, *run), run->outcome.result.labels));
    ruleView_->setRule(nullptr, {});
}

void ExplanationPanel::chooseCluster(int index)
{
    chosen_ = index;
    showDetails(index);
    showPrototypes(index);
    showProfile(index);
    if (clusters_->currentRow() != index && index >= 0 && index < clusters_->rowCount())
        clusters_->setCurrentCell(index, 0);
    const RunEntry* run = session_.run(shownRun_);
    if (run && run->explanation && !run->explanation->result.clusters.empty() &&
        !run->explanation->result.clusters.front().rules.empty())
    {
        // The covered rows selected; among them and around them, the errors ringed.
        session_.setSelection(coveredRows(index));
        Q_EMIT errorsMarked(errorRows(index));
    }
    else
        Q_EMIT errorsMarked({});
}

void ExplanationPanel::showDetails(int index)
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || index < 0 ||
        index >= static_cast<int>(run->explanation->result.clusters.size()))
    {
        details_->clear();
        return;
    }
    const auto names =
        session_.dataset() ? session_.dataset()->featureNames : std::vector<std::string>{};
    const auto& c = run->explanation->result.clusters[static_cast<size_t>(index)];
    details_->setHtml(detailsHtml(c, names));
    // The rule (the first, for a tree's several leaves) over its first two features; a
    // profile shows its two most distinguishing features.
    const int64_t top = c.tTest.empty() ? -1 : c.tTest.front().feature;
    if (!c.rules.empty())
        ruleView_->setRule(&c.rules.front(),
                           clusterColor(viewColorSlots(session_, *run), c.cluster), top);
    else
    {
        ruleView_->setRule(nullptr, {});
        if (c.tTest.size() >= 2)
            ruleView_->setFeatures(c.tTest[0].feature, c.tTest[1].feature);
    }
}

std::vector<int64_t> ExplanationPanel::coveredRows(int index) const
{
    std::vector<int64_t> rows;
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || index < 0)
        return rows;
    const auto& x = *run->explanation;
    const auto k = x.result.clusters.size();
    if (static_cast<size_t>(index) >= k)
        return rows;
    for (size_t i = 0; i < x.rows.size(); ++i)
        if (x.covered[i * k + static_cast<size_t>(index)])
            rows.push_back(x.rows[i]);
    return rows;
}

std::vector<int64_t> ExplanationPanel::errorRows(int index) const
{
    std::vector<int64_t> rows;
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || index < 0)
        return rows;
    const auto& x = *run->explanation;
    const auto k = x.result.clusters.size();
    if (static_cast<size_t>(index) >= k)
        return rows;
    const auto cluster = x.result.clusters[static_cast<size_t>(index)].cluster;
    const auto& labels = run->outcome.result.labels;
    for (size_t i = 0; i < x.rows.size(); ++i)
        if (static_cast<bool>(x.covered[i * k + static_cast<size_t>(index)]) !=
            (labels[i] == cluster))
            rows.push_back(x.rows[i]);
    return rows;
}

void ExplanationPanel::renameCluster(int index, const QString& name)
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || index < 0 ||
        index >= static_cast<int>(run->explanation->result.clusters.size()))
        return;
    session_.renameCluster(
        shownRun_, run->explanation->result.clusters[static_cast<size_t>(index)].cluster, name);
}

QString ExplanationPanel::describeRow(int64_t row) const
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || chosen_ < 0 || row < 0 ||
        row >= static_cast<int64_t>(indexOfRow_.size()) ||
        indexOfRow_[static_cast<size_t>(row)] < 0)
        return {};
    const auto& e = run->explanation->result;
    if (chosen_ >= static_cast<int>(e.clusters.size()) || e.clusters.front().rules.empty())
        return {};
    const auto& c = e.clusters[static_cast<size_t>(chosen_)];
    const auto i = static_cast<size_t>(indexOfRow_[static_cast<size_t>(row)]);
    const size_t d = values_.size() / run->explanation->rows.size();
    const float* x = values_.data() + i * d;
    const int64_t cluster = run->outcome.result.labels[i];
    const auto names = session_.dataset()->featureNames;
    // The rule it breaks least (for a tree's several leaves), and those conditions.
    std::vector<const Condition*> broken;
    bool any = false;
    for (const auto& r : c.rules)
    {
        std::vector<const Condition*> fails;
        for (const auto& cond : r.conditions)
            if (!satisfies(cond, x))
                fails.push_back(&cond);
        if (!any || fails.size() < broken.size())
            broken = fails;
        any = true;
    }
    const QString who = tr("Row %1 (cluster %2)").arg(row).arg(cluster);
    if (broken.empty())
        return cluster == c.cluster
                   ? tr("%1 satisfies cluster %2's description.").arg(who).arg(c.cluster)
                   : tr("%1 satisfies cluster %2's description: one of its errors.")
                         .arg(who)
                         .arg(c.cluster);
    QStringList text;
    for (const auto* cond : broken)
        text << QString::fromStdString(conditionText(*cond, names));
    return tr("%1 breaks %2 of cluster %3's description%4")
        .arg(who, text.join(tr(" and ")))
        .arg(c.cluster)
        .arg(cluster == c.cluster ? tr(": one of its errors.") : ".");
}

void ExplanationPanel::showProfile(int index)
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation || index < 0 ||
        index >= static_cast<int>(run->explanation->result.clusters.size()) || values_.empty())
    {
        profile_->setBars({}, {});
        return;
    }
    const auto& x = *run->explanation;
    const auto cluster = x.result.clusters[static_cast<size_t>(index)].cluster;
    std::vector<char> member(x.rows.size());
    for (size_t i = 0; i < x.rows.size(); ++i)
        member[i] = run->outcome.result.labels[i] == cluster;
    const size_t d = values_.size() / x.rows.size();
    const auto& names = session_.dataset()->featureNames;
    std::vector<std::pair<QString, double>> bars;
    for (const auto& [j, z] : standardisedDifferences(values_, d, member, 12))
        bars.emplace_back(j < static_cast<int64_t>(names.size())
                              ? QString::fromStdString(names[static_cast<size_t>(j)])
                              : QString("x%1").arg(j),
                          z);
    profile_->setBars(std::move(bars), clusterColor(viewColorSlots(session_, *run), cluster));
}

void ExplanationPanel::showHovered(int64_t row)
{
    hover_->setText(describeRow(row));
}

void ExplanationPanel::showPrototypes(int index)
{
    prototypes_.clear();
    auto* grid = static_cast<QGridLayout*>(prototypeTab_->layout());
    while (auto* item = grid->takeAt(0))
    {
        delete item->widget();
        delete item;
    }
    const auto& loaded = session_.dataset();
    const RunEntry* run = session_.run(shownRun_);
    const bool images = loaded && loaded->imageShape && loaded->imageShape->channels == 1;
    tabs_->setTabEnabled(2, images);
    if (!images || !run || !run->explanation || index < 0 ||
        index >= static_cast<int>(run->explanation->result.clusters.size()))
        return;
    const auto& x = *run->explanation;
    const auto cluster = x.result.clusters[static_cast<size_t>(index)].cluster;
    const size_t d = values_.size() / x.rows.size();
    // The cluster's mean image, and its rows nearest it (its medoids under squared distance).
    std::vector<double> mean(d, 0);
    std::vector<size_t> members;
    for (size_t i = 0; i < x.rows.size(); ++i)
        if (run->outcome.result.labels[i] == cluster)
        {
            members.push_back(i);
            for (size_t j = 0; j < d; ++j)
                mean[j] += values_[i * d + j];
        }
    if (members.empty())
        return;
    for (auto& m : mean)
        m /= static_cast<double>(members.size());
    std::vector<std::pair<double, size_t>> near;
    for (auto i : members)
    {
        double s = 0;
        for (size_t j = 0; j < d; ++j)
            s += (values_[i * d + j] - mean[j]) * (values_[i * d + j] - mean[j]);
        near.emplace_back(s, i);
    }
    const size_t shown = std::min<size_t>(8, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(shown), near.end());
    const int h = static_cast<int>(loaded->imageShape->height),
              w = static_cast<int>(loaded->imageShape->width);
    const auto picture = [&](const auto& value, const QString& caption, int at)
    {
        double top = 1e-6;
        for (int p = 0; p < h * w; ++p)
            top = std::max(top, static_cast<double>(value(p)));
        QImage image(w, h, QImage::Format_Grayscale8);
        for (int y = 0; y < h; ++y)
            for (int col = 0; col < w; ++col)
                image.scanLine(y)[col] =
                    static_cast<uchar>(std::clamp(value(y * w + col) / top, 0.0, 1.0) * 255);
        auto* label = new QLabel(prototypeTab_);
        label->setPixmap(QPixmap::fromImage(image.scaled(w * 3, h * 3)));
        label->setToolTip(caption);
        grid->addWidget(label, at / 3, at % 3);
    };
    picture([&](int p) { return mean[static_cast<size_t>(p)]; }, tr("the cluster's mean image"), 0);
    for (size_t k = 0; k < shown; ++k)
    {
        const size_t i = near[k].second;
        prototypes_.push_back(x.rows[i]);
        picture([&](int p) { return static_cast<double>(values_[i * d + static_cast<size_t>(p)]); },
                tr("row %1, %2 nearest the mean").arg(x.rows[i]).arg(k + 1),
                static_cast<int>(k + 1));
    }
}

bool ExplanationPanel::exportFigure(const QString& path, QString* error) const
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation)
    {
        if (error)
            *error = tr("Nothing to export: explain a run first.");
        return false;
    }
    FigureOptions options;
    const QSize on = ruleView_->size();
    options.size = QSize(700, on.width() > 0 ? std::max(300, 700 * on.height() / on.width()) : 500);
    const int row = clusters_->currentRow();
    const QString title =
        row >= 0 ? tr("Cluster %1 of run #%2").arg(clusters_->item(row, 0)->text()).arg(shownRun_)
                 : run->explanation->name;
    const QString message = renderFigure(ruleView_->figureScene(title), path, options);
    if (!message.isEmpty() && error)
        *error = message;
    return message.isEmpty();
}

bool ExplanationPanel::exportRules(const QString& path, QString* error) const
{
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->explanation)
    {
        if (error)
            *error = tr("Nothing to export: explain a run first.");
        return false;
    }
    const auto names =
        session_.dataset() ? session_.dataset()->featureNames : std::vector<std::string>{};
    // The names the user gave win over the automatic ones.
    auto e = run->explanation->result;
    for (auto& c : e.clusters)
        if (const auto named = run->clusterNames.find(c.cluster); named != run->clusterNames.end())
            c.name = named->second.toStdString();
    const std::string text = path.endsWith(".tex", Qt::CaseInsensitive) ? explanationLatex(e, names)
                             : path.endsWith(".txt", Qt::CaseInsensitive)
                                 ? explanationText(e, names)
                                 : explanationJson(e, names);
    try
    {
        writeFileAtomically(path.toStdString(), text);
        return true;
    }
    catch (const std::exception& ex)
    {
        if (error)
            *error = QString::fromStdString(ex.what());
        return false;
    }
}

} // namespace clusterscope
