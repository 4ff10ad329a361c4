#include "coordinate_columns.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace clusterscope
{

std::vector<std::string> pickCoordinateColumns(QWidget* parent,
                                               const std::vector<std::string>& columns)
{
    QDialog dialog(parent);
    dialog.setObjectName("coordinateColumns");
    dialog.setWindowTitle(QObject::tr("Coordinates from Columns"));
    auto* list = new QListWidget(&dialog);
    list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    for (const auto& name : columns)
        list->addItem(QString::fromStdString(name));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    auto* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(false);
    QObject::connect(list, &QListWidget::itemSelectionChanged, &dialog,
                     [list, ok]
                     {
                         const auto n = list->selectedItems().size();
                         ok->setEnabled(n >= 1 && n <= 64);
                     });
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(QObject::tr("Pick the columns that hold the map (x and y, or "
                                             "three for 3-D; Ctrl+click for several):"),
                                 &dialog));
    layout->addWidget(list);
    layout->addWidget(buttons);
    std::vector<std::string> picked;
    if (dialog.exec() != QDialog::Accepted)
        return picked;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->isSelected())
            picked.push_back(list->item(i)->text().toStdString());
    return picked;
}

} // namespace clusterscope
