#!/usr/bin/env bash
# A sweep on 2 MPI ranks gives the same summary.json as the serial run.
set -euo pipefail
bin=$1 mpiexec=$2 scenario=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
"$bin" sweep "$scenario" --out "$work/serial" -n 120 --batch 40 -q >/dev/null
# One mpirun at a time on the machine (the hostile-store test takes the same
# lock), killed 10 s after 240 s: a failure, never a hang.
ASAN_OPTIONS=detect_leaks=0 flock /tmp/pkrisk-tests-mpirun.lock timeout -k 10 240 \
  "$mpiexec" --oversubscribe -np 2 "$bin" sweep "$scenario" --out "$work/mpi" -n 120 --batch 40 -q >/dev/null
cmp "$work/serial/summary.json" "$work/mpi/summary.json"
grep -q '"ranks": 2' "$work/mpi/manifest.json"
