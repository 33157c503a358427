#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang 14 (-fsanitize=fuzzer plus ASan
# and UBSan) and runs each for a bounded time from a copy of its seed corpus.
#
#   tools/fuzz.sh                  every fuzzer, HARNESS_FUZZ_SECONDS each
#   tools/fuzz.sh NAME...          only these (e.g. binary_trace_reader)
#   tools/fuzz.sh --list           the fuzzers' names, one per line
#
# A fuzzer NAME is tests/fuzz/NAME_fuzzer.cc (defining LLVMFuzzerTestOneInput) with its
# seeds in tests/fuzz/corpus/NAME/. The list of fuzzers and the harness sources each one
# needs come from Bazel: every //tests/fuzz:NAME_corpus_test target, and the //harness
# .cc files in its dependencies (`bazel query`), so adding a fuzzer is one entry in
# FUZZERS of tests/fuzz/BUILD.bazel. Abseil comes from pkg-config.
#
# Bazel's toolchain here is gcc, which has no libFuzzer, hence this script. Nothing is
# written to the source tree: the build, the working corpus (libFuzzer adds the inputs
# it finds to it) and crash / timeout / leak artifacts go to a fresh temporary directory,
# whose path is printed. It is removed when every fuzzer passes, kept otherwise.
#
# For each fuzzer one line `fuzz.sh: NAME PASSED` or `fuzz.sh: NAME FAILED (reason)`
# (tools/test.sh counts them); exits non-zero if any failed.
#
# Environment:
#   HARNESS_FUZZ_SECONDS   run time per fuzzer (libFuzzer -max_total_time), default 30;
#                          0 only builds each fuzzer and runs it over its seeds
#   HARNESS_FUZZ_TIMEOUT   seconds one input may take before it counts as a hang
#                          (-timeout), default 10
#   HARNESS_FUZZ_KEEP      1: keep the temporary directory even when all passed
#   CXX_FUZZ               the compiler, default clang++-14
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Bazel's output only (its progress messages go to stderr, which is kept for errors).
query() { bazel query --noshow_progress "$1" --output=label 2>/dev/null; }

mapfile -t FUZZERS < <(query 'attr(name, "_corpus_test$", kind(cc_test, //tests/fuzz:all))' |
  sed -n 's|^//tests/fuzz:\(.*\)_corpus_test$|\1|p')
if ((${#FUZZERS[@]} == 0)); then
  echo "fuzz.sh: bazel query found no //tests/fuzz:*_corpus_test target" >&2
  echo "fuzz.sh: all FAILED (no fuzzer found)"
  exit 1
fi

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${FUZZERS[@]}"
  exit 0
fi

selected=("$@")
if ((${#selected[@]} == 0)); then selected=("${FUZZERS[@]}"); fi
for name in "${selected[@]}"; do
  known=0
  for fuzzer in "${FUZZERS[@]}"; do [[ "$name" == "$fuzzer" ]] && known=1; done
  if ((!known)); then
    echo "fuzz.sh: unknown fuzzer '$name' (known: ${FUZZERS[*]})" >&2
    exit 2
  fi
done

seconds="${HARNESS_FUZZ_SECONDS:-30}"
timeout_seconds="${HARNESS_FUZZ_TIMEOUT:-10}"
if ! [[ "$seconds" =~ ^[0-9]+$ && "$timeout_seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: HARNESS_FUZZ_SECONDS and HARNESS_FUZZ_TIMEOUT must be whole seconds" >&2
  exit 2
fi
cxx="${CXX_FUZZ:-clang++-14}"

# Every fuzzer is reported, even when the shared build fails.
fail_all() {
  echo "fuzz.sh: $1" >&2
  for name in "${selected[@]}"; do echo "fuzz.sh: $name FAILED ($1)"; done
  exit 1
}

tools/setup.sh || fail_all "tools/setup.sh failed"
command -v "$cxx" >/dev/null 2>&1 || fail_all "compiler $cxx not found"

out=$(mktemp -d "${TMPDIR:-/tmp}/harness-fuzz.XXXXXX")
echo "fuzz.sh: working directory $out"

absl_modules=(absl_status absl_statusor absl_strings absl_str_format absl_flat_hash_map absl_hash)
read -r -a absl_cflags < <(pkg-config --cflags "${absl_modules[@]}") || true
read -r -a absl_libs < <(pkg-config --libs "${absl_modules[@]}") ||
  fail_all "pkg-config found no Abseil (libabsl-dev)"

# The same language and warnings as the Bazel build; fuzzing instrumentation on the code
# under test, ASan + UBSan everywhere, and no recovery so UBSan findings are crashes.
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -I. "${absl_cflags[@]}"
  -Wall -Wextra -Werror -Wno-maybe-uninitialized -Wno-unknown-warning-option
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)

# Compiles a harness source once (shared by the fuzzers that need it); prints the object.
compile() {
  local source="$1" object="$out/obj/${1%.cc}.o"
  if [[ ! -f "$object" ]]; then
    mkdir -p "$(dirname "$object")"
    "$cxx" "${flags[@]}" -c "$source" -o "$object" || return 1
  fi
  echo "$object"
}

failed=0
for name in "${selected[@]}"; do
  source="tests/fuzz/${name}_fuzzer.cc"
  seeds="tests/fuzz/corpus/$name"
  binary="$out/$name/${name}_fuzzer"
  corpus="$out/$name/corpus"
  artifacts="$out/$name/artifacts"
  log="$out/$name/fuzz.log"
  mkdir -p "$corpus" "$artifacts"
  if [[ ! -f "$source" || ! -d "$seeds" ]]; then
    echo "fuzz.sh: $name FAILED (missing $source or $seeds)"
    failed=1
    continue
  fi
  # //harness/trace:event.cc -> harness/trace/event.cc
  mapfile -t sources < <(query "filter('^//harness/.*[.]cc\$', kind('source file', \
    deps(//tests/fuzz:${name}_corpus_test)))" | sed 's|^//||; s|:|/|')
  objects=()
  for harness_source in "${sources[@]}"; do
    if ! object=$(compile "$harness_source"); then
      objects=()
      break
    fi
    objects+=("$object")
  done
  if ((${#sources[@]} == 0 || ${#objects[@]} != ${#sources[@]})); then
    echo "fuzz.sh: $name FAILED (build of its harness sources: ${sources[*]:-none found})"
    failed=1
    continue
  fi
  if ! "$cxx" "${flags[@]}" -fsanitize=fuzzer "$source" "${objects[@]}" "${absl_libs[@]}" \
    -o "$binary"; then
    echo "fuzz.sh: $name FAILED (build)"
    failed=1
    continue
  fi
  cp -R "$seeds/." "$corpus/"

  # Options: seeds run first (a seed that crashes fails at once); then fuzzing for
  # `seconds`. -timeout turns a hang into a failure with the input saved; the outer
  # `timeout` bounds the whole run even if libFuzzer itself wedges.
  fuzz_args=(-timeout="$timeout_seconds" -rss_limit_mb=2048 -max_len=16384
    -artifact_prefix="$artifacts/" -print_final_stats=1)
  if ((seconds > 0)); then
    fuzz_args+=(-max_total_time="$seconds")
  else
    fuzz_args+=(-runs=0)
  fi
  echo "==== fuzz $name: $binary ${fuzz_args[*]} $corpus ===="
  set +e
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    timeout --kill-after=10 $((seconds + 120)) "$binary" "${fuzz_args[@]}" "$corpus" \
    >"$log" 2>&1
  fuzz_status=$?
  set -e
  tail -n 25 "$log"
  if ((fuzz_status == 0)); then
    runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
    echo "fuzz.sh: $name PASSED (${runs:-?} inputs in ${seconds}s, corpus $(ls "$corpus" | wc -l) files)"
  else
    reason="libFuzzer exit status $fuzz_status"
    ((fuzz_status == 124 || fuzz_status == 137)) && reason="killed after $((seconds + 120))s"
    echo "fuzz.sh: $name FAILED ($reason; log $log, artifacts in $artifacts)"
    ls -l "$artifacts"
    failed=1
  fi
done

if ((failed)) || [[ "${HARNESS_FUZZ_KEEP:-0}" == 1 ]]; then
  echo "fuzz.sh: kept $out"
else
  rm -rf "$out"
fi
exit "$failed"
