#!/usr/bin/env bash
# Runs the example demos: tools/setup.sh, `bazel build //examples/...`, then
# `bazel run` for each label listed in examples/demo_targets.txt (one Bazel label per
# line, optionally followed by arguments for the binary; `#` starts a comment), each
# under a header line. Keeps going when a demo exits non-zero and exits 1 at the end
# if any did.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets_file=examples/demo_targets.txt
if [[ ! -f "$targets_file" ]]; then
  echo "demo.sh: $targets_file is missing (list one demo label per line)" >&2
  exit 1
fi

tools/setup.sh

# Read the whole list first: `bazel run` must not consume it from stdin.
demos=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%%#*}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [[ -n "$line" ]]; then
    demos+=("$line")
  fi
done <"$targets_file"

if ((${#demos[@]} == 0)); then
  echo "demo.sh: $targets_file lists no demos" >&2
  exit 1
fi

bazel build //examples/...

failed=()
for demo in "${demos[@]}"; do
  read -r -a words <<<"$demo"
  label="${words[0]}"
  echo
  echo "==================== ${demo} ===================="
  set +e
  bazel run --ui_event_filters=-info --noshow_progress --show_result=0 "$label" -- "${words[@]:1}"
  demo_status=$?
  set -e
  if ((demo_status != 0)); then
    echo "demo.sh: ${label} exited with status ${demo_status}"
    failed+=("$label")
  fi
done

if ((${#failed[@]} > 0)); then
  echo
  echo "demo.sh: ${#failed[@]} demo(s) failed: ${failed[*]}" >&2
  exit 1
fi
