#!/usr/bin/env bash
# Regenerates the exact regression references (tests/regression/reference/*.json)
# after an intended change of the engine's numbers or of a shipped scenario.
# Usage: tools/scripts/update-references.sh [BUILD_DIR]   (default: build)
# Review `git diff tests/regression/reference` before committing the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
cmake --build "$build" -j2 --target pk_regression_tests pkrisk_cli
PK_UPDATE_REFERENCES=1 ctest --test-dir "$build" -R 'Regression\.MatchesReferenceExactly' --output-on-failure
# The references written, then the check that they now pass (and the plausibility ranges).
ctest --test-dir "$build" -R Regression --output-on-failure -j2
