#!/usr/bin/env bash
# The engine against the independent SimPy implementation of the same model
# (tools/crosscheck/pkrisk_ref.py), one after the other in one run, each on one
# core: mission-years per second of each and their ratio. Every arm of the
# scenario, baseline included; the engine plays 40× the replications so that
# both runs last a few seconds.
# Builds nothing: pass the pkrisk binary.
#
#   tools/bench/vs_simpy.sh build/tools/pkrisk [scenario.yaml] [python replications]
#
# Needs Debian's python3-simpy and python3-yaml (/usr/bin/python3).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 PKRISK [SCENARIO] [PY_REPLICATIONS]" >&2
  exit 2
fi
pkrisk=$1
here=$(dirname "$0")
scenario=${2:-"$here/../../scenarios/reference.yaml"}
py_reps=${3:-250}
engine_reps=$((py_reps * 40))

arms=$({ "$pkrisk" run "$scenario" -n 1 --threads 1 -q --format json 2>/dev/null || true; } |
  /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)["arms"]))')

wall() {  # command...: seconds of wall-clock on core 0; a failure stops the script
  local t0 t1 rc=0 err
  err=$(mktemp)
  t0=$(date +%s.%N)
  taskset -c 0 "$@" >/dev/null 2>"$err" || rc=$?
  t1=$(date +%s.%N)
  # pkrisk exits 1 when the scenario's acceptance gate fails: the run is complete.
  if [[ $rc -ne 0 && ! ($rc -eq 1 && $1 == "$pkrisk") ]]; then
    cat "$err" >&2
    echo "$0: $* failed (exit $rc)" >&2
    rm -f "$err"
    return 1
  fi
  rm -f "$err"
  echo "$t1 - $t0" | bc -l
}

py_s=$(wall /usr/bin/python3 "$here/../crosscheck/pkrisk_ref.py" "$scenario" -n "$py_reps" --seed 1)
engine_s=$(wall "$pkrisk" run "$scenario" -n "$engine_reps" --threads 1 -q --format json)
py_rate=$(echo "$arms * $py_reps / $py_s" | bc -l)
engine_rate=$(echo "$arms * $engine_reps / $engine_s" | bc -l)
printf 'scenario %s, %d arms\n' "$(basename "$scenario")" "$arms"
printf 'SimPy model: %6d mission-years in %7.2f s: %9.0f mission-years/s\n' \
  $((arms * py_reps)) "$py_s" "$py_rate"
printf 'engine:      %6d mission-years in %7.2f s: %9.0f mission-years/s\n' \
  $((arms * engine_reps)) "$engine_s" "$engine_rate"
printf 'engine / SimPy: %.0f×\n' "$(echo "$engine_rate / $py_rate" | bc -l)"
