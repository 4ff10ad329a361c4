#include "vtk_view_widget.h"

#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QWheelEvent>
#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>

namespace clusterscope
{

namespace
{

const char* keySym(int key)
{
    switch (key)
    {
    case Qt::Key_Escape:
        return "Escape";
    case Qt::Key_Return:
    case Qt::Key_Enter:
        return "Return";
    case Qt::Key_Left:
        return "Left";
    case Qt::Key_Right:
        return "Right";
    case Qt::Key_Up:
        return "Up";
    case Qt::Key_Down:
        return "Down";
    case Qt::Key_Shift:
        return "Shift_L";
    case Qt::Key_Control:
        return "Control_L";
    default:
        return nullptr;
    }
}

} // namespace

VtkViewWidget::VtkViewWidget(QWidget* parent) : QOpenGLWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);

    window_ = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
    window_->SetReadyForRendering(false);
    window_->SetFrameBlitModeToNoBlit();
    window_->SetMultiSamples(0);

    auto observe = [this](unsigned long event)
    {
        vtkNew<vtkCallbackCommand> cb;
        cb->SetClientData(this);
        cb->SetCallback(
            [](vtkObject* caller, unsigned long id, void* client, void* callData)
            { static_cast<VtkViewWidget*>(client)->onWindowEvent(caller, id, callData); });
        observerTags_.push_back(window_->AddObserver(event, cb));
    };
    observe(vtkCommand::WindowMakeCurrentEvent);
    observe(vtkCommand::WindowIsCurrentEvent);
    observe(vtkCommand::WindowFrameEvent);
    observe(vtkCommand::CursorChangedEvent);

    interactor_ = vtkSmartPointer<vtkGenericRenderWindowInteractor>::New();
    interactor_->SetRenderWindow(window_);
    interactor_->Initialize();
    setInteractorStyle(vtkNew<vtkInteractorStyleTrackballCamera>());
}

VtkViewWidget::~VtkViewWidget()
{
    // QOpenGLWidget's destructor destroys the context after our members are gone: stop
    // listening to it first.
    if (context())
    {
        disconnect(context(), nullptr, this, nullptr);
    }
    makeCurrent();
    cleanupContext();
    doneCurrent();
    for (unsigned long tag : observerTags_)
    {
        window_->RemoveObserver(tag);
    }
}

QSurfaceFormat VtkViewWidget::defaultFormat()
{
    QSurfaceFormat f;
    f.setRenderableType(QSurfaceFormat::OpenGL);
    f.setVersion(3, 2);
    f.setProfile(QSurfaceFormat::CoreProfile);
    f.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    f.setRedBufferSize(8);
    f.setGreenBufferSize(8);
    f.setBlueBufferSize(8);
    f.setAlphaBufferSize(8);
    f.setDepthBufferSize(8);
    f.setStencilBufferSize(0);
    f.setSamples(0);      // multisampling, when wanted, belongs in VTK's own framebuffer
    f.setSwapInterval(0); // no vsync wait in swaps, as QVTKRenderWindowAdapter::defaultFormat
    return f;
}

vtkGenericOpenGLRenderWindow* VtkViewWidget::renderWindow() const
{
    return window_;
}
vtkGenericRenderWindowInteractor* VtkViewWidget::interactor() const
{
    return interactor_;
}

void VtkViewWidget::setInteractorStyle(vtkInteractorStyle* style)
{
    interactor_->SetInteractorStyle(style);
}

void VtkViewWidget::onWindowEvent(vtkObject*, unsigned long eventId, void* callData)
{
    switch (eventId)
    {
    case vtkCommand::WindowMakeCurrentEvent:
        // Never QOpenGLWidget::makeCurrent(): it also binds Qt's framebuffer behind VTK's
        // state cache, and the widget stays black.
        if (context() && QOpenGLContext::currentContext() != context())
        {
            context()->makeCurrent(context()->surface());
        }
        break;
    case vtkCommand::WindowIsCurrentEvent:
        *static_cast<bool*>(callData) = context() && QOpenGLContext::currentContext() == context();
        break;
    case vtkCommand::WindowFrameEvent:
        if (window_->GetDoubleBuffer() && !window_->GetSwapBuffers())
        {
            break; // an internal pass (e.g. hardware selection), not a frame to show
        }
        renderInPaint_ = false;
        if (!inPaint_)
        {
            update();
        }
        break;
    case vtkCommand::CursorChangedEvent:
        setCursor(window_->GetCurrentCursor() == VTK_CURSOR_HAND ? Qt::PointingHandCursor
                                                                 : Qt::ArrowCursor);
        break;
    default:
        break;
    }
}

void VtkViewWidget::initializeGL()
{
    auto* state = window_->GetState();
    state->Reset();
    state->vtkglDepthFunc(GL_LEQUAL); // Qt leaves GL_LESS
    window_->SetForceMaximumHardwareLineWidth(1);
    window_->SetReadyForRendering(true);
    window_->SetOwnContext(0);
    window_->OpenGLInitContext();
    renderInPaint_ = true;
    connect(
        context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] { cleanupContext(); },
        Qt::DirectConnection);
}

void VtkViewWidget::cleanupContext()
{
    if (window_ && window_->GetReadyForRendering())
    {
        window_->Finalize();
        window_->SetReadyForRendering(false);
    }
}

void VtkViewWidget::resizeGL(int w, int h)
{
    const double dpr = devicePixelRatioF();
    const int dw = static_cast<int>(w * dpr);
    const int dh = static_cast<int>(h * dpr);
    interactor_->UpdateSize(dw, dh);
    window_->SetSize(dw, dh);
    window_->SetDPI(static_cast<int>(72 * dpr));
    renderInPaint_ = true;
}

void VtkViewWidget::paintGL()
{
    inPaint_ = true;
    auto* state = window_->GetState();
    state->Reset();
    state->Push();
    state->vtkglDepthFunc(GL_LEQUAL);
    if (renderInPaint_)
    {
        interactor_->Render();
    }
    renderInPaint_ = false;

    makeCurrent();
    state->ResetFramebufferBindings();
    auto* f = context()->extraFunctions();
    f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    const GLenum buffer = GL_COLOR_ATTACHMENT0;
    f->glDrawBuffers(1, &buffer);
    const bool scissor = f->glIsEnabled(GL_SCISSOR_TEST);
    if (scissor)
    {
        state->vtkglDisable(GL_SCISSOR_TEST);
        f->glDisable(GL_SCISSOR_TEST);
    }
    const double dpr = devicePixelRatioF();
    const int dw = static_cast<int>(width() * dpr);
    const int dh = static_cast<int>(height() * dpr);
    int* size = window_->GetRenderFramebuffer()->GetLastSize();
    window_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, dw, dh, GL_COLOR_BUFFER_BIT,
                                    GL_LINEAR);
    // Mesa composes with the alpha channel: make it opaque, as QVTK does.
    f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    f->glClearColor(0, 0, 0, 1);
    f->glViewport(0, 0, dw, dh);
    f->glClear(GL_COLOR_BUFFER_BIT);
    f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    if (scissor)
    {
        state->vtkglEnable(GL_SCISSOR_TEST);
        f->glEnable(GL_SCISSOR_TEST);
    }
    state->Pop();
    inPaint_ = false;
}

bool VtkViewWidget::forwardToVtk(QEvent* e)
{
    const double dpr = devicePixelRatioF();
    switch (e->type())
    {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    {
        auto* m = static_cast<QMouseEvent*>(e);
        const auto p = m->position();
        const auto mods = m->modifiers();
        interactor_->SetEventInformationFlipY(
            static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr),
            mods.testFlag(Qt::ControlModifier) ? 1 : 0, mods.testFlag(Qt::ShiftModifier) ? 1 : 0, 0,
            e->type() == QEvent::MouseButtonDblClick ? 1 : 0);
        interactor_->SetAltKey(mods.testFlag(Qt::AltModifier) ? 1 : 0);
        unsigned long id = vtkCommand::MouseMoveEvent;
        if (e->type() != QEvent::MouseMove)
        {
            const bool press = e->type() != QEvent::MouseButtonRelease;
            switch (m->button())
            {
            case Qt::LeftButton:
                id = press ? vtkCommand::LeftButtonPressEvent : vtkCommand::LeftButtonReleaseEvent;
                break;
            case Qt::MiddleButton:
                id = press ? vtkCommand::MiddleButtonPressEvent
                           : vtkCommand::MiddleButtonReleaseEvent;
                break;
            case Qt::RightButton:
                id =
                    press ? vtkCommand::RightButtonPressEvent : vtkCommand::RightButtonReleaseEvent;
                break;
            default:
                return false;
            }
        }
        interactor_->InvokeEvent(id, e);
        return true;
    }
    case QEvent::Wheel:
    {
        auto* w = static_cast<QWheelEvent*>(e);
        const auto p = w->position();
        interactor_->SetEventInformationFlipY(static_cast<int>(p.x() * dpr),
                                              static_cast<int>(p.y() * dpr));
        wheelAccumulator_ += w->angleDelta().y() + w->angleDelta().x();
        if (wheelAccumulator_ >= 120)
        {
            interactor_->InvokeEvent(vtkCommand::MouseWheelForwardEvent, e);
            wheelAccumulator_ = 0;
        }
        else if (wheelAccumulator_ <= -120)
        {
            interactor_->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, e);
            wheelAccumulator_ = 0;
        }
        return true;
    }
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
    {
        auto* k = static_cast<QKeyEvent*>(e);
        const QString text = k->text();
        const char ascii = text.size() == 1 && text[0].unicode() < 128 ? text[0].toLatin1() : 0;
        std::string sym = keySym(k->key()) ? keySym(k->key()) : std::string(ascii ? 1 : 0, ascii);
        interactor_->SetKeyEventInformation(k->modifiers().testFlag(Qt::ControlModifier) ? 1 : 0,
                                            k->modifiers().testFlag(Qt::ShiftModifier) ? 1 : 0,
                                            ascii, k->isAutoRepeat() ? 1 : 0, sym.c_str());
        if (e->type() == QEvent::KeyPress)
        {
            interactor_->InvokeEvent(vtkCommand::KeyPressEvent, e);
            if (ascii)
            {
                interactor_->InvokeEvent(vtkCommand::CharEvent, e);
            }
        }
        else
        {
            interactor_->InvokeEvent(vtkCommand::KeyReleaseEvent, e);
        }
        return true;
    }
    case QEvent::Enter:
        interactor_->InvokeEvent(vtkCommand::EnterEvent, e);
        return true;
    case QEvent::Leave:
        interactor_->InvokeEvent(vtkCommand::LeaveEvent, e);
        return true;
    default:
        return false;
    }
}

bool VtkViewWidget::event(QEvent* e)
{
    // Qt sends events from inside the constructor (setMouseTracking), before VTK exists.
    if (window_ && interactor_ && window_->GetReadyForRendering())
    {
        forwardToVtk(e);
    }
    return QOpenGLWidget::event(e);
}

} // namespace clusterscope
