#!/usr/bin/env bash
# Installs the Debian 12 packages pkrisk needs, only those that are missing.
# Run as root (or with sudo). Nothing is downloaded at build time: every
# dependency comes from here.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev          # scenario loader (event API only)
  libboost-dev             # Boost.Random distributions, Boost.Math intervals
  librandom123-dev         # counter-based Philox streams (header-only)
  libeigen3-dev            # sensitivity regressions
  libcli11-dev             # command line
  nlohmann-json3-dev       # JSON output and schema
  libsqlite3-dev           # results store
  libgtest-dev             # tests
  libbenchmark-dev
  python3                  # the interval-coverage study (tools/coverage) and its ctest
  python3-jsonschema       # cross-checks the result schema's ctest (tools/schema; optional)
  clang-14 libfuzzer-14-dev libclang-rt-14-dev   # fuzzing and sanitizer builds (CI)
  libopenmpi-dev openmpi-bin   # sweeps across MPI ranks (optional at build time)
  chromium                 # browser test of the HTML report (headless render; skipped when absent)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
