#pragma once
// A Progress decorator that measures how well a run keeps the progress contract
// (core/progress.h): the largest gap between cancelRequested() calls and between reports,
// whether the reported fractions stayed monotone within [0, 1], and, when asked to cancel (at a
// chosen report or after a deadline), when the cancel was first seen by the run.

#include <clusterscope/core/progress.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace testing
{

class PollWatchdog final : public clusterscope::Progress
{
public:
    using Clock = std::chrono::steady_clock;

    struct Options
    {
        int64_t cancelAtReport = -1;    // cancel once this many reports arrived (-1: never)
        double cancelAfterSeconds = -1; // cancel once this much time passed (-1: never)
    };

    PollWatchdog() : PollWatchdog(Options{}) {}
    explicit PollWatchdog(Options options) : options_(options), start_(Clock::now())
    {
        lastPoll_ = lastReport_ = start_;
    }

    void report(double fraction, std::string_view message) override
    {
        std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        maxReportGap_ = std::max(maxReportGap_, seconds(lastReport_, now));
        lastReport_ = now;
        reports_ += 1;
        if (!(fraction >= -1e-9 && fraction <= 1 + 1e-9) && problem_.empty())
            problem_ = "fraction " + std::to_string(fraction) + " outside [0, 1] at '" +
                       std::string(message) + "'";
        if (fraction < lastFraction_ - 1e-9 && problem_.empty())
            problem_ = "fraction fell from " + std::to_string(lastFraction_) + " to " +
                       std::to_string(fraction) + " at '" + std::string(message) + "'";
        lastFraction_ = std::max(lastFraction_, fraction);
        if (options_.cancelAtReport >= 0 && reports_ >= options_.cancelAtReport)
            cancelLocked(now);
    }

    bool cancelRequested() const override
    {
        std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        if (!cancelled_)
            maxPollGap_ = std::max(maxPollGap_, seconds(lastPoll_, now));
        lastPoll_ = now;
        polls_ += 1;
        if (!cancelled_ && options_.cancelAfterSeconds >= 0 &&
            seconds(start_, now) >= options_.cancelAfterSeconds)
        {
            // The cancel was asked at the deadline, not when a poll first saw it.
            cancelLocked(start_ + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options_.cancelAfterSeconds)));
        }
        return cancelled_;
    }

    // Call where the run ended: the time since the last poll counts as a gap too (a run that
    // stops polling and then works on would otherwise hide its longest stretch).
    void finish()
    {
        std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        if (!cancelled_)
            maxPollGap_ = std::max(maxPollGap_, seconds(lastPoll_, now));
        // A deadline that passed with no poll after it was still a cancel request: the run
        // then ended that long after it.
        if (!cancelled_ && options_.cancelAfterSeconds >= 0 &&
            seconds(start_, now) >= options_.cancelAfterSeconds)
            cancelLocked(start_ + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options_.cancelAfterSeconds)));
    }

    // The largest time between two polls (from the start to the first, from the last to
    // finish()) before the cancel.
    double maxPollGap() const { return locked(maxPollGap_); }
    double maxReportGap() const { return locked(maxReportGap_); }
    int64_t polls() const { return locked(polls_); }
    int64_t reports() const { return locked(reports_); }
    bool cancelled() const { return locked(cancelled_); }
    // Seconds from the cancel to now: call it where the run ended.
    double secondsSinceCancel() const
    {
        std::lock_guard lock(mutex_);
        return cancelled_ ? seconds(cancelledAt_, Clock::now()) : -1;
    }
    // "" when every fraction lay in [0, 1] and none fell; otherwise the first fault.
    std::string progressProblem() const { return locked(problem_); }

private:
    static double seconds(Clock::time_point a, Clock::time_point b)
    {
        return std::chrono::duration<double>(b - a).count();
    }
    template <typename T> T locked(const T& value) const
    {
        std::lock_guard lock(mutex_);
        return value;
    }
    // The cancel counts from the moment the request is made, whether a report or a poll made it.
    void cancelLocked(Clock::time_point at) const
    {
        if (cancelled_)
            return;
        cancelled_ = true;
        cancelledAt_ = at;
    }

    Options options_;
    mutable std::mutex mutex_;
    Clock::time_point start_;
    mutable Clock::time_point lastPoll_;
    Clock::time_point lastReport_;
    mutable Clock::time_point cancelledAt_;
    mutable double maxPollGap_ = 0;
    double maxReportGap_ = 0;
    mutable int64_t polls_ = 0;
    int64_t reports_ = 0;
    double lastFraction_ = 0;
    mutable bool cancelled_ = false;
    std::string problem_;
};

} // namespace testing
