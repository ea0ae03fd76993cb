#!/usr/bin/env bash
# A command with --out (sweep, decide) on 2 MPI ranks writes the same result
# file as the serial run.
#   mpi_equals_serial.sh BIN MPIEXEC RESULT_FILE COMMAND ARGS...
set -euo pipefail
bin=$1 mpiexec=$2 result=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
"$bin" "$@" --out "$work/serial" -q >/dev/null
# One mpirun at a time on the machine (the hostile-store test takes the same
# lock), killed 10 s after 240 s: a failure, never a hang.
ASAN_OPTIONS=detect_leaks=0 flock /tmp/pkrisk-tests-mpirun.lock timeout -k 10 240 \
  "$mpiexec" --oversubscribe -np 2 "$bin" "$@" --out "$work/mpi" -q >/dev/null
cmp "$work/serial/$result" "$work/mpi/$result"
grep -q '"ranks": 2' "$work/mpi/manifest.json"
