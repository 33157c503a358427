#!/usr/bin/env bash
# Runs the primitives benchmark twice: optimized (harness loops beside the raw std
# loops), then optimized with ThreadSanitizer (the std loops under TSan), so every
# harness figure can be read beside both. Extra arguments go to the benchmark binary
# (e.g. --benchmark_filter=Mutex).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tools/setup.sh

bazel build -c opt //tools/bench:primitives_benchmark
bazel build -c opt --config=tsan //tools/bench:primitives_benchmark
plain=$(bazel cquery -c opt --output=starlark --starlark:expr='target.files.to_list()[0].path' //tools/bench:primitives_benchmark 2>/dev/null)
tsan=$(bazel cquery -c opt --config=tsan --output=starlark --starlark:expr='target.files.to_list()[0].path' //tools/bench:primitives_benchmark 2>/dev/null)

echo "== optimized build: harness and raw std =="
"$plain" --benchmark_min_time=0.5 "$@"
echo
echo "== optimized build under ThreadSanitizer: raw std =="
"$tsan" --benchmark_min_time=0.5 --benchmark_filter='Std|Plain' "$@"
