#!/usr/bin/env bash
# tests/tools/trace_check_cli_test.sh: the trace_check binary's command line and exit
# statuses: 0 nothing found, 1 findings, 2 unusable input (with FILE:LINE on stderr).
set -uo pipefail
trace_check="$1"
testdata="tests/tools/testdata"
tmp="${TEST_TMPDIR:-/tmp}"
failures=0

expect_status() {  # expected-status description command...
  local expected="$1" description="$2"
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local status=$?
  if [[ "$status" != "$expected" ]]; then
    echo "FAIL: $description: exit $status, expected $expected"
    cat "$tmp/out" "$tmp/err"
    failures=$((failures + 1))
  fi
}

expect_status 0 "clean trace" "$trace_check" "$testdata/guarded.std"
expect_status 1 "racy trace" "$trace_check" "$testdata/race_after_fork.std"
grep -q "WARNING: harness: data race" "$tmp/out" || { echo "FAIL: no race report"; failures=$((failures + 1)); }
expect_status 1 "cycle as json" "$trace_check" --output=json "$testdata/cycle2.std"
grep -q '"lock-order-cycle"' "$tmp/out" || { echo "FAIL: no json cycle"; failures=$((failures + 1)); }
expect_status 0 "only lock order" "$trace_check" --analyses=lock_order "$testdata/race_after_fork.std"

printf 'T1|acq(L1)|1\nT1|frob(L1)|2\n' >"$tmp/bad.std"
expect_status 2 "malformed line" "$trace_check" "$tmp/bad.std"
if [[ "$(cat "$tmp/err")" != "trace_check: $tmp/bad.std:2: unknown operation 'frob' (expected r, w, acq, rel, fork or join)" ]]; then
  echo "FAIL: malformed line message: $(cat "$tmp/err")"
  failures=$((failures + 1))
fi
expect_status 2 "no file" "$trace_check"
expect_status 2 "two files" "$trace_check" "$testdata/guarded.std" "$testdata/cycle2.std"
expect_status 2 "bad --format" "$trace_check" --format=xml "$testdata/guarded.std"
expect_status 2 "bad --progress" "$trace_check" --progress=sometimes "$testdata/guarded.std"
expect_status 2 "missing file" "$trace_check" "$tmp/does-not-exist.std"

expect_status 0 "convert to stdout" "$trace_check" --convert=std "$testdata/cycle2.std"
cmp -s "$tmp/out" "$testdata/cycle2.std" || { echo "FAIL: STD -> STD changed the trace"; failures=$((failures + 1)); }
expect_status 1 "standard input" sh -c "\"$trace_check\" - < \"$testdata/cycle2.std\""
expect_status 1 "progress always" "$trace_check" --progress=always "$testdata/cycle2.std"

if [[ "$failures" != 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "PASS"
