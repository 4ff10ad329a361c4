// A folder of images in the window: dropped on it, its class folders become the true labels,
// and a hovered point shows its file, class and picture (in colour) in the inspector.

#include "embedding_view.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "view_sidebar.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>

#include <stb/stb_image_write.h>

using namespace clusterscope;

class TestImageWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void imagesShowInTheInspector()
    {
        // Two classes of 8 x 8 RGB squares: red ones and blue ones, each a little different.
        for (const auto& [name, channel] : {std::pair{"red", 0}, std::pair{"blue", 2}})
        {
            QVERIFY(QDir(dir.path()).mkpath(name));
            for (int i = 0; i < 20; ++i)
            {
                std::vector<uint8_t> rgb(8 * 8 * 3, 0);
                for (size_t p = 0; p < 64; ++p)
                    rgb[p * 3 + static_cast<size_t>(channel)] = static_cast<uint8_t>(150 + 5 * i);
                const QString file =
                    dir.filePath(QString("%1/%2.png").arg(name).arg(i, 2, 10, QChar('0')));
                QVERIFY(stbi_write_png(file.toLocal8Bit().constData(), 8, 8, 3, rgb.data(), 24));
            }
        }
        MainWindow w;
        w.show();
        Job* load = w.openFiles({dir.path()});
        QVERIFY(waitFor(load));
        QCOMPARE(load->state(), Job::State::Finished);
        QCOMPARE(w.dataset()->rows(), int64_t(40));
        QCOMPARE(w.dataset()->labelNames, (std::vector<std::string>{"blue", "red"}));
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("truth"));
        // The file names identify rows; they are no colouring.
        QCOMPARE(w.sidebar()->colorBy()->findText("file"), -1);
        Q_EMIT w.view()->pointHovered(25); // red/05.png
        auto* text = w.sidebar()->findChild<QLabel*>("inspector");
        QVERIFY2(text->text().contains("label: red") && text->text().contains("file: red/05.png"),
                 qPrintable(text->text()));
        const QImage thumb = w.sidebar()->findChild<QLabel*>("thumbnail")->pixmap().toImage();
        QVERIFY(!thumb.isNull());
        const QColor centre = thumb.pixelColor(thumb.width() / 2, thumb.height() / 2);
        QVERIFY2(centre.red() == 255 && centre.blue() == 0, qPrintable(centre.name()));
        Q_EMIT w.view()->pointHovered(-1);
        QVERIFY(w.sidebar()->findChild<QLabel*>("thumbnail")->pixmap().isNull());
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestImageWindow)
#include "test_image_window.moc"
