#!/usr/bin/env bash
# Runs every example under the harness and under ThreadSanitizer and compares verdicts.
#
#   tools/compare_verdicts.sh [TARGET_PATTERN...]      (default: //examples/...)
#
# The examples are the test targets with a tag "verdict=<race|lock_order|misuse|deadlock|
# clean>" (the verdict the harness must give). This script builds them plain and with
# --config=tsan (manual ones included), runs each test binary directly, both ways, with
# a timeout, and prints one row per target:
#
#   example, variant, expected verdict,
#   harness verdict  from the plain run: "clean" if the test passes, else the kinds of its
#                    "WARNING: harness: ..." reports (race, lock_order, misuse, deadlock),
#                    "xN" when there are N of one kind, "hang" on timeout;
#   TSan verdict     from the --config=tsan run, reading only ThreadSanitizer's own
#                    "WARNING: ThreadSanitizer: ..." lines (the harness's listener runs
#                    there too): "clean" if none, "hang" on timeout, and reports a test
#                    suppressed (TSan's "Matched N suppressions", asked for with
#                    print_suppressions=1) as "<kind> (suppressed)";
#   note             why the two verdicts differ, where they do.
#
# Exits 1 when some harness verdict disagrees with the expected one (the TSan verdict is
# informational), 2 when something could not be built or queried. Works from any
# directory and from a fresh clone (runs tools/setup.sh first).
#
# Environment:
#   COMPARE_TIMEOUT   seconds per test binary run (default 60)
#   COMPARE_LOG_DIR   where the runs' output goes (default: a new temporary directory);
#                     <target>.plain.log and <target>.tsan.log per target
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
  echo "compare_verdicts.sh: $1" >&2
  exit 2
}

tools/setup.sh || die "tools/setup.sh failed"
command -v timeout >/dev/null 2>&1 || die "timeout(1) not found (coreutils)"

patterns=("$@")
((${#patterns[@]} > 0)) || patterns=(//examples/...)
scope=$(printf '%s + ' "${patterns[@]}")
scope="(${scope% + })"
timeout_seconds="${COMPARE_TIMEOUT:-60}"
log_dir="${COMPARE_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/compare_verdicts.XXXXXX")}"
mkdir -p "$log_dir"
bazel_log="$log_dir/bazel.log"
: >"$bazel_log"

# Runs bazel, its chatter to bazel.log; on failure shows the end of it and gives up.
quiet_bazel() {
  if ! bazel "$@" 2>>"$bazel_log"; then
    tail -n 30 "$bazel_log" >&2
    die "bazel $1 failed (full log: $bazel_log)"
  fi
}

# --- The examples and their expected verdicts, from their tags. ------------------------
# (Command output goes through variables, not `< <(...)`, so that a failure stops here.)
listing=$(quiet_bazel query --output=label "attr(tags, '\\bverdict=', $scope)")
mapfile -t targets < <(sort <<<"$listing" | sed '/^$/d')
((${#targets[@]} > 0)) || die "no target tagged verdict=... in ${patterns[*]}"

declare -A expected=()
for verdict in race lock_order misuse deadlock clean; do
  listing=$(quiet_bazel query --output=label "attr(tags, '\\bverdict=${verdict}\\b', $scope)")
  while IFS= read -r label; do
    [[ -n "$label" ]] || continue
    [[ -z "${expected[$label]:-}" ]] || die "$label has two verdict tags"
    expected[$label]=$verdict
  done <<<"$listing"
done
for label in "${targets[@]}"; do
  [[ -n "${expected[$label]:-}" ]] ||
    die "$label: unknown verdict tag (use race, lock_order, misuse, deadlock or clean)"
done

# --- Build both ways, and find each binary per configuration. -------------------------
echo "compare_verdicts.sh: building ${#targets[@]} targets plain and with --config=tsan" \
  "(bazel output: $bazel_log)" >&2
quiet_bazel build "${targets[@]}" >>"$bazel_log"
quiet_bazel build --config=tsan "${targets[@]}" >>"$bazel_log"

execution_root=$(quiet_bazel info execution_root)
workspace_name=$(sed -n 's/^workspace(name *= *"\([^"]*\)".*/\1/p' WORKSPACE)

declare -A plain_binary=() tsan_binary=()
# binaries CONFIG_ARGS...: "label path" lines.
binaries() {
  quiet_bazel cquery "$@" "set(${targets[*]})" --output=starlark \
    --starlark:expr='str(target.label) + " " + target.files_to_run.executable.path'
}
listing=$(binaries)
while read -r label path; do plain_binary[$label]="$execution_root/$path"; done <<<"$listing"
listing=$(binaries --config=tsan)
while read -r label path; do tsan_binary[$label]="$execution_root/$path"; done <<<"$listing"
for label in "${targets[@]}"; do
  [[ -x "${plain_binary[$label]:-}" && -x "${tsan_binary[$label]:-}" ]] ||
    die "no binary found for $label (cquery: $listing)"
done

# --- Run. ------------------------------------------------------------------------------
# run_binary BINARY LOG EXTRA_ENV...: runs the test binary as `bazel test` would (from its
# runfiles directory), with a timeout. Prints "exit:N" or "timeout".
run_binary() {
  local binary=$1 log=$2
  shift 2
  local dir="$binary.runfiles/$workspace_name"
  [[ -d "$dir" ]] || dir="$log_dir"
  local status=0
  (
    cd "$dir" &&
      env -u HARNESS_OPTIONS -u TSAN_OPTIONS -u TEST_UNDECLARED_OUTPUTS_DIR GTEST_COLOR=no \
        "$@" timeout --kill-after=10 "$timeout_seconds" "$binary"
  ) >"$log" 2>&1 </dev/null || status=$?
  if ((status == 124 || status == 137)); then echo timeout; else echo "exit:$status"; fi
}

# Canonical kind of a "WARNING: harness: TITLE" report.
harness_kind() {
  case "$1" in
    "data race"*) echo race ;;
    "lock-order-inversion"*) echo lock_order ;;
    "deadlock"*) echo deadlock ;;
    *) echo misuse ;;
  esac
}

# Canonical kind of a "WARNING: ThreadSanitizer: TITLE" report, or of a suppression type.
# Mutex misuse is "misuse", as the harness calls it; other kinds keep TSan's name.
tsan_kind() {
  case "$1" in
    "data race"* | "race"*) echo race ;;  # titles, and suppression types race / race_top
    "lock-order-inversion"* | "deadlock"*) echo lock_order ;;
    "unlock of"* | "double lock"* | "read lock of"* | "read unlock of"* | \
      "destroy of a locked"* | "mutex"*) echo misuse ;;
    "thread leak"* | "thread") echo thread_leak ;;
    *) sed 's/ (.*//; s/ /_/g' <<<"$1" ;;  # heap-use-after-free, signal-unsafe_call..., ...
  esac
}

# "race x2 + lock_order" from a list of kinds (one per line), in first-seen order.
summarize_kinds() {
  awk 'NF { if (!($0 in n)) order[++k] = $0; n[$0]++ }
       END { for (i = 1; i <= k; i++) { s = s (i > 1 ? " + " : "") order[i] (n[order[i]] > 1 ? " x" n[order[i]] : "") }
             print s }'
}

# The set of kinds in a summary ("race x2 + lock_order" -> "lock_order race").
kind_set() { sed 's/ x[0-9]*//g; s/ (suppressed)//g; s/ + /\n/g' <<<"$1" | sort -u | xargs; }

# harness_verdict LOG RESULT
harness_verdict() {
  local log=$1 result=$2 kinds
  if [[ "$result" == timeout ]]; then echo hang; return; fi
  kinds=$(sed -n 's/^WARNING: harness: \(.*\) (test .*/\1/p; t; s/^WARNING: harness: \(.*\)$/\1/p' "$log" |
    while IFS= read -r title; do harness_kind "$title"; done | summarize_kinds)
  local status=${result#exit:}
  if [[ -n "$kinds" ]]; then
    echo "$kinds"
  elif ((status == 0)); then
    echo clean
  elif ((status > 128)); then
    echo "crash (signal $((status - 128)))"
  else
    echo "failed without a report (exit $status)"
  fi
}

# tsan_verdict LOG RESULT
tsan_verdict() {
  local log=$1 result=$2 reported suppressed
  if [[ "$result" == timeout ]]; then echo hang; return; fi
  reported=$(sed -n 's/^WARNING: ThreadSanitizer: \(.*\) (pid=[0-9]*).*/\1/p' "$log" |
    while IFS= read -r title; do tsan_kind "$title"; done | summarize_kinds)
  # "ThreadSanitizer: Matched 1 suppressions (pid=...):" then "<count> <type>:<pattern>".
  suppressed=$(awk '/^ThreadSanitizer: Matched [0-9]+ suppressions/ { on = 1; next }
                    on && match($0, /^ *[0-9]+ [a-z_]+:/) { split($0, f, /[ :]+/); print (f[1] == "" ? f[3] : f[2]); next }
                    { on = 0 }' "$log" |
    while IFS= read -r type; do tsan_kind "$type"; done | sort -u | sed 's/$/ (suppressed)/' |
    paste -sd'|' | sed 's/|/ + /g')
  local verdict="${reported}${reported:+${suppressed:+ + }}${suppressed}"
  local status=${result#exit:}
  if [[ -n "$verdict" ]]; then
    echo "$verdict"
  elif ((status > 128)); then
    echo "crash (signal $((status - 128)))"
  else
    echo clean  # a non-zero exit here is the harness's (or a test's) failure, not TSan's
  fi
}

# note EXPECTED HARNESS TSAN HARNESS_UNDER_TSAN: why the columns differ.
note() {
  local expected=$1 harness=$2 tsan=$3 harness_tsan=$4
  local h t notes=()
  h=$(kind_set "$harness")
  t=$(kind_set "$tsan")
  [[ "$h" == "$(kind_set "$expected")" ]] || notes+=("HARNESS DISAGREES WITH THE EXPECTED VERDICT")
  if [[ "$tsan" == *"(suppressed)"* ]]; then
    notes+=("TSan reported ${tsan// (suppressed)/}, suppressed by the test itself (see its source)")
  fi
  if [[ "$h" != "$t" ]]; then
    if [[ "$t" == hang ]]; then
      notes+=("TSan run timed out")
    elif [[ "$h" == *race* && "$t" != *race* ]]; then
      notes+=("TSan missed the race in this run: under --config=tsan it also sees the harness's own synchronization (the global call-site table's std::mutex, which each thread takes on its first use of each call site, e.g. right after a join or after the racy write), and that orders the accesses in the instrumented program (timing-dependent)")
    elif [[ "$t" == *race* && "$h" != *race* ]]; then
      notes+=("TSan reports a race the harness does not: memory the harness does not record (not a Shared<T> / RecordWrite)")
    fi
    if [[ "$t" == *lock_order* && "$h" != *lock_order* ]]; then
      notes+=("TSan's deadlock detector reports every lock-order cycle: it ignores gate locks and create/join order, which the harness honours")
    elif [[ "$h" == *lock_order* && "$t" != *lock_order* ]]; then
      notes+=("TSan saw no cycle: it adds edges only for acquisitions that reach pthread")
    fi
    if [[ "$h" == *deadlock* && "$t" != *deadlock* ]]; then
      notes+=("TSan does not detect a deadlock that happens (its detector reports lock-order cycles once both locks were taken, and neither second lock ever is): alone it hangs until killed; in this run the harness's watchdog, built in too, ended it")
    fi
    if [[ "$h" == *misuse* && "$t" != *misuse* ]]; then
      notes+=("the harness refuses the misuse before it reaches pthread, so TSan never sees it")
    fi
  fi
  if [[ "$(kind_set "$harness_tsan")" != "$h" ]]; then
    notes+=("the harness's verdict under --config=tsan was '$harness_tsan'")
  fi
  ((${#notes[@]} > 0)) || notes=("agree")
  local joined
  joined=$(printf '%s; ' "${notes[@]}")
  echo "${joined%; }"
}

rows=()
disagreements=0
for label in "${targets[@]}"; do
  safe=$(sed 's|^//||; s|[/:]|_|g' <<<"$label")
  plain_log="$log_dir/$safe.plain.log"
  tsan_log="$log_dir/$safe.tsan.log"
  echo "compare_verdicts.sh: running $label" >&2
  plain_result=$(run_binary "${plain_binary[$label]}" "$plain_log")
  tsan_result=$(run_binary "${tsan_binary[$label]}" "$tsan_log" \
    TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 print_suppressions=1")
  harness=$(harness_verdict "$plain_log" "$plain_result")
  tsan=$(tsan_verdict "$tsan_log" "$tsan_result")
  harness_tsan=$(harness_verdict "$tsan_log" "$tsan_result")
  if [[ "$(kind_set "$harness")" != "$(kind_set "${expected[$label]}")" ]]; then
    disagreements=$((disagreements + 1))
  fi
  package=${label%%:*}
  rows+=("${package##*/}|${label##*:}|${expected[$label]}|$harness|$tsan|$(note "${expected[$label]}" "$harness" "$tsan" "$harness_tsan")")
done

echo
{
  echo "example|variant|expected|harness|tsan|note"
  printf '%s\n' "${rows[@]}"
} | awk -F'|' '
  { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (i < NF && length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
  END {
    for (r = 1; r <= n; r++) {
      line = ""
      for (i = 1; i <= nf; i++) line = line sprintf(i < nf ? "%-" w[i] "s  " : "%s", cell[r, i])
      print line
      if (r == 1) { rule = ""; for (i = 1; i < nf; i++) rule = rule sprintf("%-" w[i] "s  ", ""); gsub(/ /, "-", rule); print rule "----" }
    }
  }'
echo
echo "logs: $log_dir"
if ((disagreements > 0)); then
  echo "compare_verdicts.sh: $disagreements harness verdict(s) disagree with the expected verdict" >&2
  exit 1
fi
