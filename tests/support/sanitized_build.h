// Whether this test binary was built with AddressSanitizer or ThreadSanitizer (the asan and tsan
// presets). Their instrumentation slows our code 2-15x, so wall-clock bounds measured on the
// release build (a cancel within 200 ms) say nothing there, and realistic sizes cost minutes:
// checks that only time or scale skip or shrink in such a build, and say so in their output.
#pragma once

#include <QtTest>

namespace clusterscope::testing
{

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) // gcc
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature) // clang
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

} // namespace clusterscope::testing

// In a check of quality at full scale against a peer's number (scikit-learn's inertia on
// Fashion-MNIST, t-SNE's trustworthiness on digits, a deep method's accuracy): the release
// suite runs it; a sanitized build skips it, saying so. The same code paths run under the
// sanitizers in the suites' smaller checks.
#define CLUSTERSCOPE_SKIP_QUALITY_WHEN_SANITIZED()                                                 \
    do                                                                                             \
    {                                                                                              \
        if (clusterscope::testing::kSanitizedBuild)                                                \
            QSKIP("a quality check at full scale: the release suite runs it, not a sanitized "     \
                  "build");                                                                        \
    } while (false)
