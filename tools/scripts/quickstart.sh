#!/usr/bin/env bash
# Installs what is missing, builds Release, and runs the flagship scenario.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
./build/tools/pkrisk run scenarios/minusma-north.yaml
