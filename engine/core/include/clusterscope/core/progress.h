#pragma once
// The one progress/cancel interface of the engine. Long loops call `checkpoint` often enough
// (at least every ~50 ms of work) that a cancel takes effect within ~200 ms.

#include <string_view>

namespace clusterscope
{

class Progress
{
public:
    virtual ~Progress() = default;
    // `fraction` is in [0, 1]; implementations must be cheap and thread-safe.
    virtual void report(double fraction, std::string_view message) = 0;
    virtual bool cancelRequested() const = 0;
    // Long training loops hold still while this is true (polling cancel meanwhile).
    virtual bool pauseRequested() const { return false; }
};

// Discards reports and never cancels; the default for callers that do not care.
class NullProgress final : public Progress
{
public:
    void report(double, std::string_view) override {}
    bool cancelRequested() const override { return false; }
};

NullProgress& nullProgress();

// Throws CancelledError when the user asked to stop.
void throwIfCancelled(const Progress& progress);

// Sleeps in 50 ms steps while a pause is requested; throws CancelledError if cancelled.
void waitWhilePaused(const Progress& progress);

// Maps a stage [begin, end] of a parent's range, so nested work reports overall progress.
class ProgressRange final : public Progress
{
public:
    ProgressRange(Progress& parent, double begin, double end)
        : parent_(parent), begin_(begin), end_(end)
    {
    }
    void report(double fraction, std::string_view message) override
    {
        parent_.report(begin_ + (end_ - begin_) * fraction, message);
    }
    bool cancelRequested() const override { return parent_.cancelRequested(); }
    bool pauseRequested() const override { return parent_.pauseRequested(); }

private:
    Progress& parent_;
    double begin_;
    double end_;
};

} // namespace clusterscope
