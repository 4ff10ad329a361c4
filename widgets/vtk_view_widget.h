#pragma once
// A Qt 6 QOpenGLWidget that hosts a vtkGenericOpenGLRenderWindow, as VTK's Qt 5-only
// QVTKOpenGLNativeWidget does (Debian's VTK Qt module is built for Qt 5, so it is not used).
// The recipe, checked on this platform: shared/reference/qt6-vtk-hosting.md.

#include <QOpenGLWidget>
#include <vtkSmartPointer.h>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkInteractorStyle;
class vtkObject;

namespace clusterscope
{

class VtkViewWidget : public QOpenGLWidget
{
    Q_OBJECT

public:
    explicit VtkViewWidget(QWidget* parent = nullptr);
    ~VtkViewWidget() override;

    // The format VTK needs; set it as the default before creating the QApplication.
    static QSurfaceFormat defaultFormat();

    vtkGenericOpenGLRenderWindow* renderWindow() const;
    vtkGenericRenderWindowInteractor* interactor() const;
    void setInteractorStyle(vtkInteractorStyle* style);

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    bool event(QEvent* e) override;

private:
    void onWindowEvent(vtkObject* caller, unsigned long eventId, void* callData);
    void cleanupContext();
    bool forwardToVtk(QEvent* e);

    vtkSmartPointer<vtkGenericOpenGLRenderWindow> window_;
    vtkSmartPointer<vtkGenericRenderWindowInteractor> interactor_;
    std::vector<unsigned long> observerTags_;
    bool renderInPaint_ = false;
    bool inPaint_ = false;
    double wheelAccumulator_ = 0;
};

} // namespace clusterscope
