#pragma once
// The one progress/cancel interface of the engine. The contract every entry point keeps: it
// polls `cancelRequested` at least every ~50 ms of work, so a cancel ends the run with
// CancelledError within ~200 ms, and it reports its fraction and a message at least every
// second. Nested calls get a ProgressRange of their parent's range, never nothing.
// tests/engine/test_common_checks.cpp enforces this for every registered operation.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace clusterscope
{

class Progress
{
public:
    Progress() = default;
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    virtual ~Progress() = default;
    // `fraction` is in [0, 1] and never decreases within one run; implementations must be
    // thread-safe.
    virtual void report(double fraction, std::string_view message) = 0;
    virtual bool cancelRequested() const = 0;
    // Long training loops hold still while this is true (polling cancel meanwhile).
    virtual bool pauseRequested() const { return false; }

    // What inner loops call, as often as they like (after ParaView's vtkPVProgressHandler, the
    // throttling lives here, not in the kernels): throws CancelledError when a cancel was
    // requested, and forwards a report at most every kReportInterval. `message` is a callable
    // returning the text, so it is formatted only when a report goes out. Thread-safe.
    template <typename MakeMessage> void poll(double fraction, MakeMessage&& message)
    {
        checkCancel();
        reportThrottled(fraction, message);
    }

    // The report half of poll, for worker threads that must not throw (they stop on
    // cancelRequested instead).
    template <typename MakeMessage> void reportThrottled(double fraction, MakeMessage&& message)
    {
        if (reportDue())
            report(fraction, std::string_view(std::string(message())));
    }

    static constexpr int64_t kReportIntervalMs = 100;

private:
    void checkCancel() const;
    // True at most once per kReportIntervalMs (the first call is always due).
    bool reportDue();

    std::atomic<int64_t> lastReportMs_{-1};
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
// Give one to every nested call (a k-means start, each fit of a sweep): the nested call then
// polls the parent's cancel flag and its reports keep the parent's progress moving.
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
