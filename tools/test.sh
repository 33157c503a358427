#!/usr/bin/env bash
# Runs every test: tools/setup.sh, then `bazel test //...` plain, with --config=tsan and
# with --config=asan (all with --keep_going), then each libFuzzer target of tests/fuzz
# for a short, bounded time (tools/fuzz.sh: clang 14, ASan + UBSan). Extra arguments
# are passed to every `bazel test` run (e.g. --test_filter=..., or
# `-- -//tests/slow/...`).
#
# The last line printed is always exactly `N passed, N failed`, counting test targets
# summed over all runs (FLAKY counts as passed, as Bazel does; FAILED, TIMEOUT,
# FAILED TO BUILD, NO STATUS, ... as failed) plus one per fuzzer run. A run in which
# Bazel (or tools/fuzz.sh) fails without a failed target counts as at least one failure.
# Exits non-zero if any run or any test target failed.
#
# Environment:
#   HARNESS_TEST_SANITIZERS  sanitizer configs to run after the plain run, separated by
#                            spaces or commas: default "tsan,asan"; "none" skips them.
#   HARNESS_TEST_FUZZ_SECONDS  seconds each fuzzer runs: default 30; "none" skips the
#                            fuzzers, 0 only runs them over their seed corpora.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Fails before any bazel run: still end with the result line.
fail_early() {
  echo "test.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit "${2:-1}"
}

tools/setup.sh || fail_early "tools/setup.sh failed"

sanitizers="${HARNESS_TEST_SANITIZERS:-tsan,asan}"
configs=("")
if [[ "$sanitizers" != "none" ]]; then
  for config in ${sanitizers//,/ }; do
    case "$config" in
      tsan | asan) configs+=("$config") ;;
      *)
        fail_early "unknown sanitizer '$config' in HARNESS_TEST_SANITIZERS (use tsan, asan or none)" 2
        ;;
    esac
  done
fi

log=$(mktemp "${TMPDIR:-/tmp}/harness-test.XXXXXX")
trap 'rm -f "$log"' EXIT

total_passed=0
total_failed=0
status=0

# tally NAME PASSED FAILED EXIT_STATUS TOOL UNIT: adds one run's counts to the totals.
# A run whose TOOL exited non-zero without a failed UNIT counts as one failure.
tally() {
  local name=$1 passed=$2 failed=$3 exit_status=$4 tool=$5 unit=$6
  if ((exit_status != 0 && failed == 0)); then
    echo "test.sh: $tool exited with status $exit_status without a failed $unit; counting one failure"
    failed=1
  fi
  ((failed == 0)) || status=1
  echo "==== $name: $passed passed, $failed failed ($tool exit status $exit_status) ===="
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}

for config in "${configs[@]}"; do
  args=(test --keep_going)
  # .bazelrc asks for a terse summary, which lists only unsuccessful targets; the short
  # one gives one result line per test target, which is what is counted below.
  args+=(--test_summary=short)
  if [[ -n "$config" ]]; then
    args+=("--config=$config")
  fi
  echo "==== bazel ${args[*]} //...${*:+ $*} ===="

  set +e
  bazel "${args[@]}" //... "$@" 2>&1 | tee "$log"
  bazel_status=${PIPESTATUS[0]}
  set -e

  # Result lines look like (status word after an optional cache marker):
  #   //tests/smoke:smoke                        (cached) PASSED in 0.1s
  #   //t:flaky                              (1/2 cached) FLAKY, failed in 1 out of 2 in 0.0s
  #   //t:fail                                            FAILED in 0.0s
  #   //t:slow                                            TIMEOUT in 5.0s
  #   //t:broken                                          FAILED TO BUILD
  #   //t:other                                           NO STATUS
  # They follow "INFO: Elapsed time", so test logs printed earlier are not counted.
  read -r passed failed < <(awk '
    /^INFO: Elapsed time:/ { summary = 1; next }
    summary && match($0, /^(@[^ \/]*)?\/\/[^ ]+ +(\([^)]*cached\) +)?[A-Z][A-Z ]*[A-Z]/) {
      result = substr($0, RSTART, RLENGTH)
      sub(/^[^ ]+ +(\([^)]*cached\) +)?/, "", result)
      if (result == "PASSED" || result == "FLAKY") passed++; else failed++
    }
    END { print passed + 0, failed + 0 }
  ' "$log")

  tally "${config:-plain}" "$passed" "$failed" "$bazel_status" bazel "test target"
done

fuzz_seconds="${HARNESS_TEST_FUZZ_SECONDS:-30}"
if [[ "$fuzz_seconds" != "none" ]]; then
  echo "==== tools/fuzz.sh (HARNESS_FUZZ_SECONDS=$fuzz_seconds) ===="
  set +e
  HARNESS_FUZZ_SECONDS="$fuzz_seconds" tools/fuzz.sh 2>&1 | tee "$log"
  fuzz_status=${PIPESTATUS[0]}
  set -e
  # One line per fuzzer: `fuzz.sh: NAME PASSED (...)` or `fuzz.sh: NAME FAILED (...)`.
  read -r passed failed < <(awk '
    /^fuzz\.sh: [^ ]+ PASSED/ { passed++ }
    /^fuzz\.sh: [^ ]+ FAILED/ { failed++ }
    END { print passed + 0, failed + 0 }
  ' "$log")
  tally fuzz "$passed" "$failed" "$fuzz_status" tools/fuzz.sh fuzzer
fi

echo "$total_passed passed, $total_failed failed"
exit "$status"
