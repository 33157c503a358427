#!/usr/bin/env bash
# The main job: builds every example (each a buggy and a fixed variant) plainly and
# under ThreadSanitizer, runs them all both ways and prints the verdict table
# (tools/compare_verdicts.sh), then shows one full harness report of each kind: a data
# race, a lock-order cycle, a misuse and a deadlock that happens (ended by the watchdog
# within a second). Installs what it needs first (tools/setup.sh).
# Exits non-zero when the harness's verdict on some example is not the expected one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh

set +e
tools/compare_verdicts.sh
table_status=$?
set -e

# The report blocks ("==================" ... "==================") of one buggy example,
# run straight from its plain build.
show_report() {
  local title=$1 label=$2
  local binary
  binary=$(bazel cquery --output=starlark --starlark:expr='target.files.to_list()[0].path' \
    "$label" 2>/dev/null | head -n 1)
  echo
  echo "######## ${title}: ${label}"
  if [[ -z "$binary" || ! -x "$binary" ]]; then
    echo "demo.sh: no binary for ${label}" >&2
    return 1
  fi
  # Fails by design; only its report is shown.
  "$binary" 2>&1 | awk '
    /^==================$/ { inside = !inside; print; next }
    inside { print }
  ' || true
}

bazel build --ui_event_filters=-info --noshow_progress //examples/... //examples/abba_deadlock:buggy
show_report "A data race" //examples/bank_account:buggy
show_report "A lock-order cycle (a deadlock that could happen)" //examples/transfers:buggy
show_report "A misuse" //examples/lock_handoff:buggy
show_report "A deadlock that happens (the watchdog ends it)" //examples/abba_deadlock:buggy

exit "$table_status"
