#!/usr/bin/env bash
# shellcheck disable=SC2317  # the lane_* functions are called by name
# The checks CI runs besides the release build's ctest (scripts/test.sh calls this first):
#   fuzz  each loader's libFuzzer target for $FUZZ_SECONDS with its seed corpus (build/fuzz)
#   asan  the engine and CLI suites (ctest -L 'engine|cli') under ASan + UBSan (build/asan)
#   tsan  the job runner's and the session's suites under TSan (build/tsan)
#         (test_session_file runs under ASan + UBSan in the asan lane too)
#   package  the .deb from the release build and its checks (scripts/package.sh); as root it is
#         installed, run from /usr/bin and removed again
# Each lane builds only the targets it runs (the sanitizer presets build at -O1 -g1 as unity
# builds, so a cold build fits CI) and runs its suites $CLUSTERSCOPE_JOBS at a time. A sanitizer
# report or a fuzzer finding fails its lane; the script ends with one line per lane (build and
# run timed apart) and exits non-zero when any failed.
# Usage: scripts/ci-lanes.sh [lane ...]   (default: fuzz asan tsan package)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
jobs=${CLUSTERSCOPE_JOBS:-2}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
lanes=("$@")
((${#lanes[@]})) || lanes=(fuzz asan tsan package)

# Sanitizer settings shared by the lanes: stop at the first report, and fail the process.
supp=$root/tests/sanitizers
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# die_after_fork=0: the session suite starts the CLI through QProcess, whose child starts a
# thread between fork and exec; TSan would kill it.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp"

build_seconds=0
build() { # preset, targets...
    local preset=$1 start=$SECONDS status
    shift
    cmake --preset "$preset" >/dev/null && cmake --build "build/$preset" -j"$jobs" --target "$@"
    status=$?
    build_seconds=$((SECONDS - start))
    return "$status"
}

lane_fuzz() {
    build fuzz fuzz_targets || return 1
    local failed=0 target work scratch
    for target in csv csv_gz npy npz idx idx_gz images; do
        work=$(mktemp -d)    # new inputs stay out of the committed seeds
        scratch=$(mktemp -d) # the target's files; a crash skips its own clean-up
        echo "fuzz_$target: ${FUZZ_SECONDS}s"
        if ! CLUSTERSCOPE_FUZZ_TMP=$scratch "build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$FUZZ_SECONDS" -max_len=4096 \
            -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=30 -print_final_stats=1 \
            -artifact_prefix="build/fuzz/crash-$target-" "$work" "tests/fuzz/corpus/$target" \
            >"build/fuzz/fuzz_$target.log" 2>&1; then
            tail -n 60 "build/fuzz/fuzz_$target.log"
            echo "fuzz_$target: FINDING (input saved as build/fuzz/crash-$target-*)"
            failed=1
        else
            grep -E "^stat::number_of_executed_units" "build/fuzz/fuzz_$target.log"
        fi
        rm -rf "$work" "$scratch"
    done
    return "$failed"
}

lane_asan() {
    cmake --preset asan >/dev/null || return 1
    # The suites labelled engine or cli, as CTest lists them (each test_* is its own target).
    local tests
    tests=$(ctest --test-dir build/asan -N -L '^(engine|cli)$' | sed -nE 's/^ *Test +#[0-9]+: (test_[a-z0-9_]+)$/\1/p')
    # shellcheck disable=SC2086
    build asan $tests test_session_file clusterscope-cli || return 1
    ctest --test-dir build/asan -L '^(engine|cli)$' -j"$jobs" --output-on-failure || return 1
    # Session files are read from untrusted bytes too (damaged-field edits in this suite).
    ctest --test-dir build/asan -R '^test_session_file$' --output-on-failure
}

lane_tsan() {
    build tsan test_job_runner test_session test_session_file || return 1
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x1024x24" \
        ctest --test-dir build/tsan -R '^(test_job_runner|test_session|test_session_file)$' \
        -j"$jobs" --output-on-failure
}

lane_package() {
    if [[ $(id -u) -eq 0 ]]; then
        bash scripts/package.sh --install
    else
        echo "package: not root, so the package is built and checked but not installed"
        bash scripts/package.sh
    fi
}

summary=()
failed=0
for lane in "${lanes[@]}"; do
    echo "=== lane $lane"
    start=$SECONDS
    build_seconds=0
    if "lane_$lane"; then
        result="passed"
    else
        result="FAILED"
        failed=$((failed + 1))
    fi
    summary+=("lane $lane: $result in $((SECONDS - start)) s (build $build_seconds s, run $((SECONDS - start - build_seconds)) s)")
    echo "${summary[-1]}"
done
echo "=== lanes: $((${#lanes[@]} - failed)) passed, $failed failed"
printf '  %s\n' "${summary[@]}"
exit $((failed > 0))
