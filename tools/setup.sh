#!/usr/bin/env bash
# Installs the Debian packages the offline Bazel build needs (see WORKSPACE and
# tools/bazel/system_repositories.bzl), and only those that are missing: it is idempotent
# and prints nothing when everything is already installed. Exits 1, naming the package,
# when a package cannot be installed. Uses sudo only when not root.
set -euo pipefail

# Every Debian package the project needs. Add new ones here.
PACKAGES=(
  bazel-bootstrap
  bazel-rules-cc
  bazel-rules-java
  libgtest-dev
  libgmock-dev
  libabsl-dev
  libbenchmark-dev
  pkg-config
  g++
  clang-14
  libclang-rt-14-dev
)

cd "$(dirname "${BASH_SOURCE[0]}")/.."

is_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ "$status" == *" ok installed" ]]
}

missing_packages() {
  local package
  for package in "${PACKAGES[@]}"; do
    is_installed "$package" || printf '%s\n' "$package"
  done
}

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup.sh: apt-get/dpkg-query not found; install by hand: ${missing[*]}" >&2
  exit 1
fi

as_root=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup.sh: missing packages and not root (and no sudo): ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup.sh: installing missing packages: ${missing[*]}"
if ! "${as_root[@]}" apt-get update -q >/dev/null; then
  echo "setup.sh: apt-get update failed; cannot install: ${missing[*]}" >&2
  exit 1
fi

# Name every package the archive does not offer before trying to install any.
unavailable=()
for package in "${missing[@]}"; do
  candidate=$(apt-cache policy "$package" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
    unavailable+=("$package")
  fi
done
if ((${#unavailable[@]} > 0)); then
  echo "setup.sh: package(s) not available from the configured Debian archive: ${unavailable[*]}" >&2
  exit 1
fi

if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; then
  echo "setup.sh: apt-get install failed for: ${missing[*]}" >&2
fi

mapfile -t still_missing < <(missing_packages)
if ((${#still_missing[@]} > 0)); then
  echo "setup.sh: could not install package(s): ${still_missing[*]}" >&2
  exit 1
fi
