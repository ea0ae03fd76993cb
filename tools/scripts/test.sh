#!/usr/bin/env bash
# Installs what is missing, builds Release, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/install-deps.sh
# A unity build (the sources of a library compiled in batches): the heavy
# headers are parsed once per batch, not once per file, which more than halves
# a fresh build on two cores; the program and its results are the same.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
