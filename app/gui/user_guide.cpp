#include "user_guide.h"

#include "installed_files.h"

#include <QDialog>
#include <QImage>
#include <QMessageBox>
#include <QScrollBar>
#include <QStyle>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace clusterscope
{

namespace
{

// Screenshots are 1280 px wide: shown at the window's width, so a reader never scrolls sideways.
class GuideBrowser : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;

    QVariant loadResource(int type, const QUrl& name) override
    {
        QVariant resource = QTextBrowser::loadResource(type, name);
        if (type != QTextDocument::ImageResource || !resource.isValid())
            return resource;
        QImage image = resource.value<QImage>();
        if (image.isNull())
            image.loadFromData(resource.toByteArray());
        // Less the vertical scroll bar, which appears only once the long page is laid out.
        const int scrollBar =
            verticalScrollBar()->isVisible() ? 0 : style()->pixelMetric(QStyle::PM_ScrollBarExtent);
        const int width =
            viewport()->width() - scrollBar - 2 * static_cast<int>(document()->documentMargin());
        if (!image.isNull() && image.width() > width && width > 100)
            image = image.scaledToWidth(width, Qt::SmoothTransformation);
        return image;
    }
};

} // namespace

void showUserGuide(QWidget* parent)
{
    if (auto* open = parent->findChild<QDialog*>(QStringLiteral("userGuide")))
    {
        open->show();
        open->raise();
        open->activateWindow();
        return;
    }
    const QString path = userGuidePath();
    if (path.isEmpty())
    {
        QMessageBox::information(
            parent, QObject::tr("User Guide"),
            QObject::tr("The user guide is not installed. It was looked for in %1 and %2.")
                .arg(userGuidePlaces().front(), userGuidePlaces().back()));
        return;
    }
    auto* dialog = new QDialog(parent, Qt::Window);
    dialog->setObjectName(QStringLiteral("userGuide"));
    dialog->setWindowTitle(QObject::tr("ClusterScope User Guide"));
    auto* browser = new GuideBrowser(dialog);
    browser->setObjectName(QStringLiteral("userGuideText"));
    browser->setOpenExternalLinks(true); // web links go to the browser; the docs' own stay here
    browser->setSource(QUrl::fromLocalFile(path), QTextDocument::MarkdownResource);
    auto* layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(browser);
    dialog->resize(820, 760);
    dialog->show();
}

} // namespace clusterscope
