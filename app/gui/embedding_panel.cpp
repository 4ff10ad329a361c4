#include "embedding_panel.h"

#include "operation_forms.h"
#include "parameter_form.h"
#include "session.h"

#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QComboBox>
#include <QFormLayout>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace clusterscope
{

EmbeddingPanel::EmbeddingPanel(Session& session, QWidget* parent)
    : QWidget(parent), session_(session), reducer_(new QComboBox(this)),
      input_(new QComboBox(this)), form_(new ParameterForm(this)),
      settings_(new ParameterForm(this)), compute_(new QPushButton(tr("Compute"), this)),
      list_(new QListWidget(this)), cluster_(new QPushButton(tr("Cluster This Embedding"), this))
{
    // Every reducer the registry has, in its order: a new one shows up here by itself.
    for (const auto& r : builtinRegistry().reducers())
        addOperationItem(*reducer_, r);
    reducer_->setObjectName("reducer");
    input_->setObjectName("embeddingInput");
    input_->addItem(tr("Features (as the run settings prepare them)"), 0);
    input_->setToolTip(tr("What the reducer maps: the loaded features (scaled, or reduced by "
                          "PCA, by the settings below), or what a deep run learned"));
    form_->setObjectName("reducerParams");
    settings_->setObjectName("embeddingSettings");
    settings_->setSchema(runSettingsSchema(SettingStage::Run));
    compute_->setObjectName("computeEmbedding");
    compute_->setToolTip(tr("Compute the embedding in the background (see the Jobs panel)"));
    list_->setObjectName("embeddings");
    list_->setToolTip(tr("The dataset's embeddings: pick one to show it"));
    cluster_->setObjectName("clusterEmbedding");
    cluster_->setToolTip(tr("Run the Method panel's method on the picked embedding's "
                            "coordinates instead of the features"));

    auto* top = new QFormLayout;
    top->addRow(tr("Reducer:"), reducer_);
    top->addRow(tr("Input:"), input_);
    auto* scroll = scrollingForms(form_, settings_, tr("Settings"), this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 2);
    layout->addWidget(compute_);
    layout->addWidget(list_, 1);
    layout->addWidget(cluster_);

    auto showSchema = [this]
    {
        const auto id = reducer_->currentData().toString().toStdString();
        form_->setSchema(builtinRegistry().getReducer(id).params);
        updateButtons();
    };
    connect(reducer_, &QComboBox::currentIndexChanged, this, showSchema);
    connect(form_, &ParameterForm::validityChanged, this, &EmbeddingPanel::updateButtons);
    connect(settings_, &ParameterForm::validityChanged, this, &EmbeddingPanel::updateButtons);
    connect(compute_, &QPushButton::clicked, this, &EmbeddingPanel::computeRequested);
    connect(cluster_, &QPushButton::clicked, this,
            [this]
            {
                if (auto* item = list_->currentItem(); item && item->data(Qt::UserRole).toInt())
                    Q_EMIT clusterRequested(item->data(Qt::UserRole).toInt());
            });
    connect(list_, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem* item)
            {
                updateButtons();
                if (item)
                    session_.setCurrentEmbedding(item->data(Qt::UserRole).toInt());
            });
    connect(&session_, &Session::datasetChanged, this, &EmbeddingPanel::rebuildList);
    connect(&session_, &Session::embeddingAdded, this, &EmbeddingPanel::rebuildList);
    connect(&session_, &Session::currentEmbeddingChanged, this,
            [this](int id)
            {
                for (int i = 0; i < list_->count(); ++i)
                    if (list_->item(i)->data(Qt::UserRole).toInt() == id &&
                        list_->currentRow() != i)
                        list_->setCurrentRow(i);
            });
    showSchema();
    rebuildList();
}

void EmbeddingPanel::rebuildList()
{
    const QSignalBlocker block(list_);
    list_->clear();
    if (session_.dataset())
    {
        auto* pcaView = new QListWidgetItem(tr("PCA view (the data's first components)"), list_);
        pcaView->setData(Qt::UserRole, 0);
        for (int id : session_.embeddingIds())
        {
            const EmbeddingEntry* e = session_.embedding(id);
            auto* item = new QListWidgetItem(e->name, list_);
            item->setData(Qt::UserRole, id);
            QStringList tip{tr("Input: %1").arg(e->input)};
            for (const auto& [name, value] : e->quality)
                if (name != "quality_queries")
                    tip << QString("%1 %2").arg(QString::fromStdString(name)).arg(value, 0, 'f', 3);
            for (const auto& w : e->warnings)
                tip << QString::fromStdString(w);
            item->setToolTip(tip.join("\n"));
        }
        for (int i = 0; i < list_->count(); ++i)
            if (list_->item(i)->data(Qt::UserRole).toInt() == session_.currentEmbeddingId())
                list_->setCurrentRow(i);
    }
    updateButtons();
}

void EmbeddingPanel::updateButtons()
{
    compute_->setEnabled(form_->isValid() && settings_->isValid());
    const auto* item = list_->currentItem();
    cluster_->setEnabled(item && item->data(Qt::UserRole).toInt() != 0);
}

EmbedRequest EmbeddingPanel::request() const
{
    EmbedRequest r;
    r.reducer = &builtinRegistry().getReducer(reducer_->currentData().toString().toStdString());
    r.params = form_->values();
    r.settings = runSettingsFromForm(*settings_);
    return r;
}

int EmbeddingPanel::inputRun() const
{
    return input_->currentData().toInt();
}

void EmbeddingPanel::setLearnedRuns(const std::vector<int>& runIds)
{
    const int kept = inputRun();
    const QSignalBlocker block(input_);
    while (input_->count() > 1)
        input_->removeItem(1);
    for (int id : runIds)
        if (const RunEntry* run = session_.run(id))
            input_->addItem(
                tr("Run #%1 (%2): learned embedding").arg(id).arg(describeRun(run->request)), id);
    const int index = input_->findData(kept);
    input_->setCurrentIndex(index < 0 ? 0 : index);
}

bool EmbeddingPanel::selectReducer(const std::string& id)
{
    const int index = reducer_->findData(QString::fromStdString(id));
    if (index < 0)
        return false;
    reducer_->setCurrentIndex(index);
    return true;
}

} // namespace clusterscope
